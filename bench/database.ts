import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { migrateDatabase, openDatabase, rows, type Database } from "@/db";

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export type BenchDatabase = {
  /** Connection URL for the app and the loader. */
  url: string;
  /** Where it lives, without credentials, for the report. */
  location: string;
  /** True when this run created it (and so drops it). */
  created: boolean;
  /** Drops the database if this run created it; safe to call more than once. */
  drop(): Promise<void>;
};

const withoutCredentials = (url: string) => {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  return u.toString();
};

/**
 * `BENCH_DATABASE_URL` when given (it must be empty: the data set has fixed ids), otherwise a
 * database of its own on the server, named at random so parallel runs never meet.
 */
export async function provideDatabase(given: string | undefined, serverUrl = DEFAULT_SERVER_URL): Promise<BenchDatabase> {
  if (given) return { url: given, location: withoutCredentials(given), created: false, drop: async () => {} };
  const name = `claimtrail_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    location: withoutCredentials(url.toString()),
    created: true,
    drop: () =>
      (dropped ??= (async () => {
        const client = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
        try {
          // FORCE ends the connections a killed server may have left behind.
          await client.unsafe(`drop database if exists ${name} with (force)`);
        } finally {
          await client.end({ timeout: 5 });
        }
      })()),
  };
}

/**
 * Opens and migrates the bench database. Checked before migrating, since migrating writes: the
 * server's maintenance databases and any database holding other tables or any story are refused.
 */
export async function openEmptyDatabase(url: string): Promise<Database> {
  const database = await openDatabase({ url, poolMax: 4 });
  const refuse = (why: string) => new Error(`Refusing the bench database ${withoutCredentials(url)}: ${why}. Give it an empty database of its own.`);
  try {
    const [{ name } = { name: "?" }] = await rows<{ name: string }>(database.db, sql`select current_database() as name`);
    if (["postgres", "template0", "template1"].includes(name)) throw refuse("it is the server's maintenance database");
    const tables = await rows<{ name: string }>(
      database.db,
      sql`select schemaname || '.' || tablename as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema', 'drizzle')`,
    );
    if (tables.length && !tables.some((t) => t.name === "public.stories")) throw refuse(`it holds other tables (${tables.slice(0, 3).map((t) => t.name).join(", ")}…)`);
    if (tables.length) {
      const [found] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from stories`);
      if (found && found.n > 0) throw refuse(`it already holds ${found.n} stories`);
    }
    await migrateDatabase(database, url);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}
