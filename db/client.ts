import { parseEnv, databaseEnv } from "./config";
import type { Database, Db } from "./database";
import { migrateDatabase } from "./migrate";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";

export type OpenOptions = { url?: string; dir?: string; poolMax?: number };

/** A PostgreSQL server when `url` is given, else the embedded database in `dir`. */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolMax);
  return openPglite(options.dir ?? ".data/pglite");
}

/** The configured database, opened and migrated: the one a command-line task or the server uses. */
export async function openConfiguredDatabase(): Promise<Database> {
  const config = parseEnv(databaseEnv);
  const database = await openDatabase({ url: config.DATABASE_URL, dir: config.PGLITE_DIR, poolMax: config.DATABASE_POOL_MAX });
  try {
    await migrateDatabase(database, config.DATABASE_URL);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  return database;
}

type Holder = { claimtrailDatabase?: Promise<Database> };
const holder = globalThis as Holder;

/**
 * The process's one database, opened once (cached on globalThis so hot reload and several route
 * bundles share it: with PGlite a second client would corrupt the folder).
 */
export function getDatabase(): Promise<Database> {
  holder.claimtrailDatabase ??= openConfiguredDatabase().catch((err) => {
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
