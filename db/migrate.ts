import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import postgres from "postgres";
import type { Database, Executor } from "./database";
import { LOCKS, rows } from "./sql";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

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
    await client`select pg_advisory_lock(${LOCKS.migrations})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    await client`select pg_advisory_unlock(${LOCKS.migrations})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** The tag of the newest migration applied, as the journal names it. */
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
