import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import { checkPassword } from "@/lib/auth/editors";
import { editorForToken } from "@/lib/auth/tokens";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";

// The CLI runs as its own process against a database it opens itself: a PGlite folder, or a
// PostgreSQL database made for this file.
let folder: string;
let pg: TestDatabase | undefined;

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-cli-"));
  if (testEngine() === "postgres") pg = await testDatabase();
});
afterAll(async () => {
  await pg?.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

function editors(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/editors.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: pg?.url ?? "", PGLITE_DIR: path.join(folder, "pglite") },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function withDb<T>(fn: (db: TestDatabase["db"]) => Promise<T>): Promise<T> {
  if (pg) return fn(pg.db);
  const database = await openDatabase({ dir: path.join(folder, "pglite") });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

describe(`editors CLI on ${testEngine()}`, () => {
  it("adds an editor, issues a token, lists, and revokes", async () => {
    const added = editors("add", "Ada@Example.test", "--role", "admin");
    expect(added.code, added.err).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(added.out)?.[1];
    expect(password).toBeTruthy();
    expect(await withDb((db) => checkPassword(db, "ada@example.test", password!))).toMatchObject({ email: "ada@example.test", role: "admin" });

    const issued = editors("token", "ada@example.test", "--name", "newsroom");
    expect(issued.code, issued.err).toBe(0);
    const [, id, secret] = /Token (\d+) for .*\n(ct_\S+)/.exec(issued.out) ?? [];
    expect(await withDb((db) => editorForToken(db, secret!))).toMatchObject({ scope: "write" });

    const listed = editors("list");
    expect(listed.out).toContain("ada@example.test\tadmin");
    expect(listed.out).toContain(`token ${id}\tnewsroom\twrite`);
    expect(listed.out).not.toContain(secret);

    expect(editors("revoke", id!).code).toBe(0);
    expect(await withDb((db) => editorForToken(db, secret!))).toBeNull();
    expect(editors("list").out).toContain(`token ${id}\tnewsroom\twrite\trevoked`);
  }, 120_000);

  it("refuses bad input with a message and a non-zero exit", () => {
    const dupe = editors("add", "ada@example.test");
    expect(dupe.code).toBe(1);
    expect(dupe.err).toMatch(/exists/);
    expect(editors("add", "not-an-email").code).toBe(1);
    expect(editors("revoke", "x").err).toMatch(/token id/);
    expect(editors("frobnicate").err).toMatch(/Unknown command/);
  }, 120_000);
});
