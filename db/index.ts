import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { invalidateAll, WRITES_CHANNEL } from "../lib/cache";
import { env } from "../lib/env";
import { isDatabaseUnavailable, sqlState } from "../lib/errors";
import { acquireFolderLock } from "./pglite-lock";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Query functions take either the database or an open transaction, so they compose. */
export type Executor = Db | Tx;
export type Engine = "pglite" | "postgres";

export type Database = {
  db: Db;
  engine: Engine;
  /** Where the data lives, for messages: a folder, memory://, or the server without credentials. */
  location: string;
  /** Statements sent so far: lets tests prove a page's round trips do not grow with its data. */
  queryCount(): number;
  /** Calls `onWrite` whenever any process commits a write (PostgreSQL NOTIFY from the audit log). */
  listenForWrites(onWrite: () => void): Promise<void>;
  close(): Promise<void>;
};

function counter() {
  let count = 0;
  return { logger: { logQuery: () => void count++ }, read: () => count };
}

/**
 * Top-level transactions are where writes commit: the cache is invalidated right after, so the
 * writer's next read is fresh without waiting for its own notification.
 */
function invalidatingAfterCommit(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (...args: Parameters<Db["transaction"]>) => {
    try {
      return await transaction(...args);
    } finally {
      invalidateAll();
    }
  }) as Db["transaction"];
  return db;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export type OpenOptions = { url?: string; dir?: string; poolMax?: number };

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  if (options.url) {
    const url = options.url;
    const client = replaceablePool(() =>
      postgres(url, {
        max: options.poolMax ?? 10,
        onnotice: () => {},
        connect_timeout: 5,
        idle_timeout: 30,
        // In a server's local zone old timestamps carry offsets in seconds ("+00:19:32"), which
        // JavaScript cannot parse; in UTC every timestamp reads back as it was written.
        connection: { TimeZone: "UTC" },
      }),
    );
    const queries = counter();
    const db = invalidatingAfterCommit(drizzlePostgres(client, { schema, logger: queries.logger }) as unknown as Db);
    const location = new URL(options.url);
    location.password = "";
    location.username = "";
    return {
      db,
      engine: "postgres",
      location: location.toString(),
      queryCount: queries.read,
      // postgres.js re-listens after a reconnect; the second callback runs then, since
      // notifications sent while the connection was down are lost.
      listenForWrites: async (onWrite) => void (await client.listen(WRITES_CHANNEL, onWrite, onWrite)),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = options.dir ?? ".data/pglite";
  const inMemory = dir.startsWith("memory://");
  // The folder is chosen at run time; the comment keeps the bundler from tracing the project.
  const folder = inMemory ? dir : path.resolve(/*turbopackIgnore: true*/ dir);
  const release = inMemory ? () => {} : acquireFolderLock(dir);
  try {
    return wrapPglite(await PGlite.create(folder), folder, release);
  } catch (err) {
    release();
    throw err;
  }
}

type Pool = postgres.Sql;
type PoolFace = Pick<Pool, "options" | "unsafe" | "begin" | "listen" | "end">;
type TxSql = postgres.TransactionSql;

// Too many connections is the server busy, not gone: a new pool would only add to the load.
const lostServer = (err: unknown) => isDatabaseUnavailable(err) && sqlState(err) !== "53300";

/**
 * Drizzle asks postgres.js for an unnamed statement each time. postgres.js sends such a query with
 * parameters in two steps, first asking the server for the parameters' types and only then binding
 * them, and it holds back every later query on that connection meanwhile: each statement costs
 * two round trips, and the statements of a transaction run one after another even when they are
 * sent together. A named statement is prepared once per connection and found again by its text,
 * so later runs take one round trip and pipeline. The app's statements come in a bounded set of
 * shapes (lists go in as one array parameter), so each connection keeps a bounded cache.
 */
function preparing(unsafe: Pool["unsafe"]): Pool["unsafe"] {
  return ((query: string, params?: unknown[], opts?: object) => unsafe(query, params as never, { ...opts, prepare: true })) as Pool["unsafe"];
}

/**
 * When the connection under a transaction is lost, postgres.js still sends ROLLBACK over it, and
 * that write to the dropped socket throws from a timer, where nothing can catch it, ending the
 * process (porsager/postgres#1208). The server has already rolled the transaction back, and
 * begin() fails as soon as the connection closes; so the body's error is held back, and is only
 * passed on if the connection turns out to be alive after all.
 */
function holdingLostErrors(body: (sql: TxSql) => unknown, settled: () => boolean) {
  return (sql: TxSql) => {
    sql.unsafe = preparing(sql.unsafe.bind(sql)) as TxSql["unsafe"];
    const savepoint = sql.savepoint.bind(sql) as (...args: unknown[]) => Promise<unknown>;
    sql.savepoint = ((...args: unknown[]) => {
      const inner = args.pop() as (s: TxSql) => unknown;
      return savepoint(...args, holdingLostErrors(inner, settled));
    }) as TxSql["savepoint"];
    return Promise.resolve()
      .then(() => body(sql))
      .catch((err: unknown) => {
        if (!lostServer(err)) throw err;
        return new Promise<never>((_, reject) => setTimeout(() => settled() || reject(err), 10_000).unref());
      });
  };
}

/**
 * postgres.js 3.4 can leave a pooled connection unable to send anything once the server dropped it
 * in the middle of a write (porsager/postgres#1208): its write timer is never reset, so after an
 * outage the pool fails on for good. Drizzle is given this stand-in instead, which hands each query
 * to the current pool and, when a query finds the server gone, starts a fresh pool for the queries
 * after it; the old one closes once its last query has settled. LISTEN keeps a pool of its own,
 * which postgres.js re-subscribes after reconnecting.
 */
function replaceablePool(connect: () => Pool): Pool {
  let current = connect();
  let listener: Pool | undefined;
  // Drizzle installs its own parsers on the first pool's options; later pools get the same ones.
  const options = current.options;
  const retiring = new Set<Promise<void>>();
  const onLost = (pool: Pool) => (err: unknown) => {
    if (pool !== current || !lostServer(err)) return;
    current = connect();
    Object.assign(current.options.parsers, options.parsers);
    Object.assign(current.options.serializers, options.serializers);
    // Queries still running on the old pool get time to finish before it is closed under them.
    const ending: Promise<void> = pool
      .end({ timeout: 30 })
      .catch(() => {})
      .finally(() => retiring.delete(ending));
    retiring.add(ending);
  };
  const stand: PoolFace = {
    options,
    unsafe: ((...args: Parameters<Pool["unsafe"]>) => {
      const pool = current;
      const query = preparing(pool.unsafe.bind(pool))(...args);
      // postgres.js runs a query when it is awaited, so its outcome is watched through `then`.
      const then = query.then.bind(query);
      query.then = ((onFulfilled, onRejected) =>
        then(onFulfilled, (err: unknown) => {
          onLost(pool)(err);
          if (onRejected) return onRejected(err);
          throw err;
        })) as typeof query.then;
      return query;
    }) as Pool["unsafe"],
    begin: ((...args: unknown[]) => {
      const pool = current;
      const body = args.pop() as (sql: TxSql) => unknown;
      let settled = false;
      const result = (pool.begin as (...a: unknown[]) => Promise<unknown>)(...args, holdingLostErrors(body, () => settled));
      result.then(
        () => (settled = true),
        (err: unknown) => {
          settled = true;
          onLost(pool)(err);
        },
      );
      return result;
    }) as Pool["begin"],
    listen: ((...args: Parameters<Pool["listen"]>) => (listener ??= connect()).listen(...args)) as Pool["listen"],
    async end(endOptions?: { timeout?: number }) {
      // A retired pool may hold a connection that can never finish; closing does not wait past the timeout for it.
      const patience = new Promise<void>((resolve) => setTimeout(resolve, (endOptions?.timeout ?? 5) * 1000).unref());
      await Promise.all([current.end(endOptions), listener?.end(endOptions), Promise.race([Promise.all(retiring), patience])]);
    },
  };
  return stand as Pool;
}

/** The Database over an open PGlite client; `release` frees the folder's lock on close. */
export function wrapPglite(client: PGlite, location: string, release: () => void = () => {}): Database {
  const queries = counter();
  const db = invalidatingAfterCommit(drizzlePglite(client, { schema, logger: queries.logger }) as unknown as Db);
  return {
    db,
    engine: "pglite",
    location,
    queryCount: queries.read,
    listenForWrites: async (onWrite) => void (await client.listen(WRITES_CHANNEL, onWrite)),
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** Applies the committed migrations; safe to run twice and from several processes at once. */
export async function migrateDatabase(database: Database, url?: string): Promise<void> {
  if (database.engine === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  // Migrations run on one dedicated connection holding an advisory lock, so concurrent
  // starters wait for each other instead of racing on the same DDL.
  const client = postgres(url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7266435)`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    await client`select pg_advisory_unlock(7266435)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Rows of a raw query: PGlite answers `{ rows }`, postgres.js an array. */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export async function latestMigration(executor: Executor): Promise<string | null> {
  const found = await rows<{ hash: string; created_at: string }>(
    executor,
    sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
  );
  if (!found[0]) return null;
  const journal = (await import("./migrations/meta/_journal.json")).default as {
    entries: { tag: string; when: number }[];
  };
  const when = Number(found[0].created_at);
  return journal.entries.find((e) => e.when === when)?.tag ?? String(when);
}

type Holder = { claimtrailDatabase?: Promise<Database> };
const holder = globalThis as Holder;

/**
 * The application's one database, opened once per process (cached on globalThis so hot reload
 * and several route bundles share it: with PGlite a second client would corrupt the folder).
 */
export function getDatabase(): Promise<Database> {
  holder.claimtrailDatabase ??= (async () => {
    const config = env();
    const database = await openDatabase({
      url: config.DATABASE_URL,
      dir: config.PGLITE_DIR,
      poolMax: config.DATABASE_POOL_MAX,
    });
    await migrateDatabase(database, config.DATABASE_URL);
    await database.listenForWrites(invalidateAll);
    return database;
  })().catch((err) => {
    holder.claimtrailDatabase = undefined;
    throw err;
  });
  return holder.claimtrailDatabase;
}

/** Makes `database` the process's database (tests give each file its own). */
export function useDatabase(database: Database): void {
  holder.claimtrailDatabase = Promise.resolve(database);
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export { schema };
