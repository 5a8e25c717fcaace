import type { Db, Tx } from "./database";

/**
 * What the app runs around every top-level transaction, whichever engine and whoever opened the
 * database: `beforeCommit` inside it as its last statement, `afterCommit` once it has committed.
 * A failed transaction wrote nothing, so it runs neither.
 */
export type TransactionHooks = { beforeCommit?: (tx: Tx) => Promise<unknown>; afterCommit?: () => void };

// Kept on globalThis and by name, so a module that registers again on hot reload replaces its hooks.
const holder = globalThis as { claimtrailTransactionHooks?: Map<string, TransactionHooks> };
const registered = (holder.claimtrailTransactionHooks ??= new Map());

export function onTransaction(name: string, hooks: TransactionHooks): void {
  registered.set(name, hooks);
}

/** Makes `db.transaction` run the registered hooks; savepoints (a transaction's own `transaction`) do not. */
export function withTransactionHooks(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (body: (tx: Tx) => Promise<unknown>, config?: Parameters<Db["transaction"]>[1]) => {
    const result = await transaction(async (tx) => {
      const value = await body(tx);
      for (const hooks of registered.values()) if (hooks.beforeCommit) await hooks.beforeCommit(tx);
      return value;
    }, config);
    for (const hooks of registered.values()) hooks.afterCommit?.();
    return result;
  }) as Db["transaction"];
  return db;
}
