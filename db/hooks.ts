import { AsyncLocalStorage } from "node:async_hooks";
import type { Db, Tx } from "./database";

/**
 * What the app runs around every top-level transaction, whichever engine and whoever opened the
 * database: `inTransaction` inside it, `afterCommit` once it has committed. A failed transaction
 * wrote nothing, so nothing `inTransaction` did stays and `afterCommit` does not run. The
 * transaction's caller gets its result once what every `afterCommit` returned has settled.
 *
 * `inTransaction` is sent ahead of the transaction's own statements and answered along with its
 * first ones, so it costs no round trip of its own: it is for statements whose place in the
 * transaction does not matter, such as a NOTIFY, which PostgreSQL delivers at commit wherever in
 * the transaction it was sent.
 */
export type TransactionHooks = { inTransaction?: (tx: Tx) => Promise<unknown>; afterCommit?: () => Promise<unknown> | void };

// Kept on globalThis and by name, so a module that registers again on hot reload replaces its hooks.
const holder = globalThis as { claimtrailTransactionHooks?: Map<string, TransactionHooks>; claimtrailUnhooked?: AsyncLocalStorage<true> };
const registered = (holder.claimtrailTransactionHooks ??= new Map());
const unhookedScope = (holder.claimtrailUnhooked ??= new AsyncLocalStorage<true>());

export function onTransaction(name: string, hooks: TransactionHooks): void {
  registered.set(name, hooks);
}

/**
 * Runs `work` with the hooks off for the transactions it starts: for bookkeeping that nothing
 * the hooks serve depends on (the watcher's log of checks that found nothing new).
 */
export const withoutHooks = <T>(work: () => Promise<T>): Promise<T> => unhookedScope.run(true, work);

/** Makes `db.transaction` run the registered hooks; savepoints (a transaction's own `transaction`) do not. */
export function withTransactionHooks(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (body: (tx: Tx) => Promise<unknown>, config?: Parameters<Db["transaction"]>[1]) => {
    if (unhookedScope.getStore()) return transaction(body, config);
    const result = await transaction(async (tx) => {
      const sent = Promise.all([...registered.values()].map((hooks) => hooks.inTransaction?.(tx)));
      // Awaited once the body is done; if the body fails first, the transaction is rolled back
      // and what was sent does not matter.
      sent.catch(() => {});
      const value = await body(tx);
      await sent;
      return value;
    }, config);
    await Promise.all([...registered.values()].map((hooks) => hooks.afterCommit?.()));
    return result;
  }) as Db["transaction"];
  return db;
}
