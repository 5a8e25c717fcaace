import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestMigration, migrateDatabase, rows } from "@/db";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import journal from "./migrations/meta/_journal.json";

const migrationCount = journal.entries.length;

async function appliedMigrations(database: TestDatabase) {
  return rows<{ hash: string; created_at: string }>(database.db, sql`select hash, created_at::text from drizzle.__drizzle_migrations order by id`);
}

describe(`migrations on ${testEngine()}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("run twice in a row: the second run changes nothing", async () => {
    const before = await appliedMigrations(database);
    expect(before).toHaveLength(migrationCount);
    await migrateDatabase(database, database.url);
    await migrateDatabase(database, database.url);
    expect(await appliedMigrations(database)).toEqual(before);
    expect(await latestMigration(database.db)).toBe(journal.entries.at(-1)!.tag);
  });
});

// The PostgreSQL leg of the engine matrix: PGlite has one process per folder by construction.
if (testEngine() === "postgres") describe("migrations from several processes at once on PostgreSQL", () => {
  const base = process.env.TEST_DATABASE_URL ?? "";
  const name = `ct_test_migrate_${randomBytes(5).toString("hex")}`;
  let url = "";

  beforeAll(async () => {
    url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  const migrateInChild = () =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/migrate.ts"], {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr.on("data", (c: Buffer) => (output += c.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, output }));
    });

  it("four starting together on a fresh database all succeed, and each migration is applied once", async () => {
    const results = await Promise.all([migrateInChild(), migrateInChild(), migrateInChild(), migrateInChild()]);
    for (const r of results) {
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain(journal.entries.at(-1)!.tag);
    }

    const check = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const applied = await check<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
      expect(applied).toHaveLength(migrationCount);
      expect(new Set(applied.map((r) => r.hash)).size).toBe(migrationCount);
      const tables = await check`select 1 from information_schema.tables where table_schema = 'public' and table_name = 'audit_events'`;
      expect(tables).toHaveLength(1);
    } finally {
      await check.end();
    }

    const third = await migrateInChild();
    expect(third.code, third.output).toBe(0);
  }, 120_000);
});
