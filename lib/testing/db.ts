import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { migrateDatabase, openDatabase, PGLITE_OPTIONS, useDatabase, wrapPglite, type Database, type Db, type Executor } from "@/db";
import { systemActor } from "@/lib/audit";
import { createEditor } from "@/lib/auth/editors";
import { createToken } from "@/lib/auth/tokens";
import { countRows } from "@/lib/backup";
// Test processes invalidate their caches on commit, as the server does.
import "@/lib/invalidation";
import { seed } from "@/lib/seed";

/** The engine tests run on: PostgreSQL when TEST_DATABASE_URL is set, else PGlite in memory. */
export const testEngine = (): "postgres" | "pglite" => (process.env.TEST_DATABASE_URL ? "postgres" : "pglite");

export type TestDatabase = Database & { url?: string };

/**
 * A fresh, migrated database of its own for one test file: a new database on the PostgreSQL
 * server, or an in-memory PGlite restored from the migrated snapshot made in global setup.
 */
export async function testDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const name = `ct_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString(), poolMax: 20 });
    await migrateDatabase(database, url.toString());
    return {
      ...database,
      url: url.toString(),
      close: async () => {
        await database.close();
        const drop = postgres(base, { max: 1, onnotice: () => {} });
        await drop.unsafe(`drop database if exists ${name} with (force)`);
        await drop.end();
      },
    };
  }
  const snapshot = process.env.CLAIMTRAIL_TEST_SNAPSHOT;
  if (snapshot) {
    const client = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: new Blob([await readFile(snapshot)]) });
    return wrapPglite(client, "memory://");
  }
  const database = await openDatabase({ dir: "memory://" });
  await migrateDatabase(database);
  return database;
}

/**
 * A test database holding the demo story (the repository's own fixture), made the process's
 * database so that the readers and route handlers under test use it.
 */
export async function seededTestDatabase(): Promise<TestDatabase> {
  const database = await testDatabase();
  const result = await seed(database.db);
  if (!result.created) throw new Error(`The demo story was not loaded: ${result.reason}`);
  useDatabase(database);
  return database;
}

/** Rows per table: equal before and after a refused write means it changed nothing. */
export const tableCounts = (db: Executor): Promise<Record<string, number>> => countRows(db);

export async function makeEditor(db: Db, role: "editor" | "admin" = "editor", scope: "read" | "write" = "write") {
  const email = `editor-${randomBytes(4).toString("hex")}@example.test`;
  const { editor, password } = await createEditor(db, systemActor("test"), { email, role, password: "correct horse battery staple" });
  const token = await createToken(db, systemActor("test"), editor.id, { name: "test", scope });
  return { editor, password, token: token.secret, tokenId: token.id };
}
