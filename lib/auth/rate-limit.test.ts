import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { sql } from "drizzle-orm";
import { attempt, resetLimit, take, type BucketLimit, type Limit } from "./rate-limit";

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

const bucket: BucketLimit = { name: "test-bucket", requests: 3, windowMs: 60_000 };

describe(`token buckets kept in the database (${testEngine()})`, () => {
  it("lets a burst of the limit through, then one request per share of the window, and says when to come back", async () => {
    for (const ms of [0, 0, 0]) expect(await take(database.db, bucket, "a", at(ms))).toEqual({ allowed: true });
    // Three a minute: each request's share is 20 s.
    expect(await take(database.db, bucket, "a", at(1_000))).toEqual({ allowed: false, retryAfter: 19 });
    expect(await take(database.db, bucket, "a", at(19_999))).toEqual({ allowed: false, retryAfter: 1 });
    // A refused request takes nothing: the first share is back at 20 s.
    expect(await take(database.db, bucket, "a", at(20_000))).toEqual({ allowed: true });
    expect(await take(database.db, bucket, "a", at(20_001))).toEqual({ allowed: false, retryAfter: 20 });
    // Idle for long, the bucket is full again, and holds no more than the limit.
    for (const ms of [200_000, 200_000, 200_000]) expect((await take(database.db, bucket, "a", at(ms))).allowed).toBe(true);
    expect((await take(database.db, bucket, "a", at(200_000))).allowed).toBe(false);
  });

  it("counts each key apart, and a key given by a query only when it gives one", async () => {
    for (let i = 0; i < 3; i++) await take(database.db, bucket, "b", at(i));
    expect((await take(database.db, bucket, "b", at(10))).allowed).toBe(false);
    expect((await take(database.db, bucket, "c", at(10))).allowed).toBe(true);
    expect((await take(database.db, { ...bucket, name: "other" }, "b", at(10))).allowed).toBe(true);
    // The same key from a query shares the bucket; a query giving no row counts nothing.
    expect((await take(database.db, bucket, sql`select 'b'`, at(10))).allowed).toBe(false);
    for (let i = 0; i < 5; i++) expect((await take(database.db, bucket, sql`select 'x' where false`, at(10))).allowed).toBe(true);
    for (let i = 0; i < 3; i++) expect((await take(database.db, bucket, "x", at(10))).allowed).toBe(true);
  });

  it("lets exactly the limit through when many requests arrive at once", async () => {
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => take(database.db, bucket, "burst", at(0))));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });
});

// The PostgreSQL leg of the engine matrix (an embedded database has one process by design).
if (testEngine() === "postgres") describe("rate limits shared by several app processes on one PostgreSQL", () => {
  /**
   * Ten attempts through a second process and ten through this one at once, with `fn` of
   * lib/auth/rate-limit.ts against a limit of 3: how many of the twenty got through.
   */
  async function allowedInTwoProcesses(fn: "attempt" | "take", shared: object): Promise<number> {
    const script = `
      import { openDatabase } from "./db/index.ts";
      import { ${fn} } from "./lib/auth/rate-limit.ts";
      const database = await openDatabase({ url: process.env.DATABASE_URL });
      const limit = ${JSON.stringify(shared)};
      const verdicts = await Promise.all(Array.from({ length: 10 }, () => ${fn}(database.db, limit, "shared")));
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
      const call = fn === "attempt" ? () => attempt(other.db, shared as Limit, "shared") : () => take(other.db, shared as BucketLimit, "shared");
      const here = (await Promise.all(Array.from({ length: 10 }, call))).filter((v) => v.allowed).length;
      expect(await exited).toBe(0);
      return here + Number(out.trim());
    } finally {
      await other.close();
    }
  }

  it("counts attempts made through two processes against one limit", async () => {
    expect(await allowedInTwoProcesses("attempt", limit)).toBe(3);
    expect((await attempt(database.db, limit, "shared")).allowed).toBe(false);
  }, 60_000);

  it("counts requests taken through two processes against one bucket", async () => {
    expect(await allowedInTwoProcesses("take", bucket)).toBe(3);
    expect((await take(database.db, bucket, "shared")).allowed).toBe(false);
  }, 60_000);
});
