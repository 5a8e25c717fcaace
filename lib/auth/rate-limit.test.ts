import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { attempt, resetLimit, type Limit } from "./rate-limit";

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

const limit: Limit = { name: "test", attempts: 3, windowMs: 60_000 };
const t0 = new Date("2026-12-03T10:00:00Z").getTime();
const at = (ms: number) => new Date(t0 + ms);

describe(`rate limits kept in the database (${testEngine()})`, () => {
  it("refuses attempts past the limit in the window, says when to come back, and lets the key in again as its attempts age", async () => {
    for (const ms of [0, 1_000, 2_000]) expect(await attempt(database.db, limit, "a", at(ms))).toEqual({ allowed: true });
    expect(await attempt(database.db, limit, "a", at(3_000))).toEqual({ allowed: false, retryAfter: 57 });
    // A refused attempt does not count: once the first leaves the window, one more gets in.
    expect(await attempt(database.db, limit, "a", at(59_500))).toEqual({ allowed: false, retryAfter: 1 });
    expect(await attempt(database.db, limit, "a", at(60_500))).toEqual({ allowed: true });
    expect(await attempt(database.db, limit, "a", at(60_600))).toEqual({ allowed: false, retryAfter: 1 });
  });

  it("counts each key and each limit apart, and forgets a key when told", async () => {
    for (let i = 0; i < 3; i++) await attempt(database.db, limit, "b", at(i));
    expect((await attempt(database.db, limit, "b", at(10))).allowed).toBe(false);
    expect((await attempt(database.db, limit, "c", at(10))).allowed).toBe(true);
    expect((await attempt(database.db, { ...limit, name: "other" }, "b", at(10))).allowed).toBe(true);
    await resetLimit(database.db, limit, "b");
    expect((await attempt(database.db, limit, "b", at(20))).allowed).toBe(true);
  });

  it("lets exactly the limit through when many attempts arrive at once", async () => {
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => attempt(database.db, limit, "burst", at(0))));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });
});

// The PostgreSQL leg of the engine matrix (an embedded database has one process by design).
if (testEngine() === "postgres") describe("rate limits shared by several app processes on one PostgreSQL", () => {
  it("counts attempts made through two processes against one limit", async () => {
    const script = `
      import { openDatabase } from "./db/index.ts";
      import { attempt } from "./lib/auth/rate-limit.ts";
      const database = await openDatabase({ url: process.env.DATABASE_URL });
      const limit = ${JSON.stringify(limit)};
      const verdicts = await Promise.all(Array.from({ length: 10 }, () => attempt(database.db, limit, "shared")));
      console.log(verdicts.filter((v) => v.allowed).length);
      await database.close();
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env, DATABASE_URL: database.url }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // This process, a second instance, tries at the same time through a pool of its own.
    const other = await openDatabase({ url: database.url!, poolMax: 5 });
    try {
      const here = (await Promise.all(Array.from({ length: 10 }, () => attempt(other.db, limit, "shared")))).filter((v) => v.allowed).length;
      expect(await exited).toBe(0);
      expect(here + Number(out.trim())).toBe(3);
      expect((await attempt(database.db, limit, "shared")).allowed).toBe(false);
    } finally {
      await other.close();
    }
  }, 60_000);
});
