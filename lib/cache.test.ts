import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase, useDatabase } from "@/db";
import { stories } from "@/db/schema";
import { SEED_STORY_SLUG, seed } from "@/lib/seed";
import { systemActor } from "@/lib/audit";
import { createClaim, linkClaims } from "@/lib/claims";
import { cacheStore } from "@/lib/cache";
import { addVersion, createDocument } from "@/lib/documents";
import { addQuestion, createStory, readStory } from "@/lib/stories";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { claimInput, documentInput } from "@/lib/validation";

let database: TestDatabase;
const actor = systemActor("test");

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  await seed(database.db);
});
afterAll(async () => {
  await database.close();
});

async function addClaim(slug: string, text: string) {
  const { document } = await createDocument(database.db, actor, documentInput.parse({ outlet: { name: "Cache Gazette" }, title: text, publishedAt: "2024-10-16" }));
  return createClaim(database.db, actor, slug, claimInput.parse({ documentId: document.id, text }));
}

describe(`cached reads on ${testEngine()}`, () => {
  it("serve repeat reads without touching the database, and show a write on the very next read", async () => {
    const first = await readStory(SEED_STORY_SLUG);
    const before = database.queryCount();
    const again = await readStory(SEED_STORY_SLUG);
    expect(database.queryCount()).toBe(before);
    expect(again).toBe(first);

    await addClaim(SEED_STORY_SLUG, "A claim logged after the page was cached.");
    const fresh = await readStory(SEED_STORY_SLUG);
    expect(fresh.claims.map((c) => c.text)).toContain("A claim logged after the page was cached.");
  });

  it("does not cache a failure", async () => {
    await expect(readStory("not-yet-a-story")).rejects.toThrow(/not found/);
    await createStory(database.db, actor, { title: "Not yet a story", slug: "not-yet-a-story" });
    expect((await readStory("not-yet-a-story")).story.title).toBe("Not yet a story");
  });

  it("loads a story in the same number of round trips whatever its size", async () => {
    const countFor = async (slug: string, claims: number) => {
      await createStory(database.db, actor, { title: slug, slug });
      const question = await addQuestion(database.db, actor, slug, { label: "How many?" });
      const { document } = await createDocument(database.db, actor, documentInput.parse({ outlet: { name: `Outlet ${slug}` }, title: slug, publishedAt: "2024-01-01" }));
      await addVersion(database.db, actor, document.id, { text: "Some text to quote from.", seenAt: new Date("2024-01-01") });
      let previous: number | undefined;
      for (let i = 0; i < claims; i++) {
        const claim = await createClaim(database.db, actor, slug, claimInput.parse({ documentId: document.id, text: `Claim ${i}`, quote: "text to quote", questionId: question.id, relaysClaimId: previous, assertedAt: `2024-01-${String(1 + (i % 28)).padStart(2, "0")}` }));
        if (previous && i % 3 === 0) await linkClaims(database.db, actor, claim.id, { kind: "contradicts", targetClaimId: previous }).catch(() => undefined);
        previous = claim.id;
      }
      const start = database.queryCount();
      const view = await readStory(slug);
      expect(view.claims).toHaveLength(claims);
      return database.queryCount() - start;
    };
    const small = await countFor("small-story", 3);
    const large = await countFor("large-story", 120);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(8);
  });
});

// The PostgreSQL leg of the engine matrix (an embedded database has one process by design).
if (testEngine() === "postgres") describe("several app processes on one PostgreSQL", () => {
  type Read = { title: string; claims: string[]; queries: number };

  /** A second app process that reads the demo story through its own cache whenever asked. */
  async function otherProcess() {
    const script = `
      import { openDatabase, useDatabase } from "./db/index.ts";
      import { followWrites } from "./lib/invalidation.ts";
      import { readStory } from "./lib/stories/index.ts";
      const database = await openDatabase({ url: process.env.DATABASE_URL });
      await followWrites(database);
      useDatabase(database);
      process.stdin.setEncoding("utf8");
      let buffer = "";
      process.stdin.on("data", async (chunk) => {
        buffer += chunk;
        for (let i = buffer.indexOf("\\n"); i !== -1; i = buffer.indexOf("\\n")) {
          buffer = buffer.slice(i + 1);
          const before = database.queryCount();
          const view = await readStory(${JSON.stringify(SEED_STORY_SLUG)});
          console.log(JSON.stringify({ title: view.story.title, claims: view.claims.map((c) => c.text), queries: database.queryCount() - before }));
        }
      });
      console.log("ready");
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines: string[] = [];
    const waitLine = () =>
      new Promise<string>((resolve) => {
        const check = () => (lines.length ? resolve(lines.shift()!) : setTimeout(check, 20));
        check();
      });
    let pending = "";
    child.stdout.on("data", (c: Buffer) => {
      pending += c.toString();
      const parts = pending.split("\n");
      pending = parts.pop()!;
      lines.push(...parts.filter(Boolean));
    });
    const ask = async () => {
      child.stdin.write("read\n");
      return JSON.parse(await waitLine()) as Read;
    };
    expect(await waitLine()).toBe("ready");
    // Its first read loads the story, its second comes from its cache.
    expect((await ask()).queries).toBeGreaterThan(0);
    expect((await ask()).queries).toBe(0);
    /** Asks until `seen` holds, for at most a second. */
    const sees = async (seen: (read: Read) => boolean) => {
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline) {
        if (seen(await ask())) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    return { sees, stop: () => child.kill() };
  }

  it("a write through one process is visible through the other's cache within a second", async () => {
    const reader = await otherProcess();
    try {
      const other = await openDatabase({ url: database.url });
      await addClaimVia(other.db, "Written by another process.");
      await other.close();
      expect(await reader.sees((r) => r.claims.includes("Written by another process."))).toBe(true);
    } finally {
      reader.stop();
    }
  }, 60_000);

  it("so is a committed write that appends no audit event", async () => {
    const reader = await otherProcess();
    try {
      const other = await openDatabase({ url: database.url });
      await other.db.transaction(async (tx) => {
        await tx.update(stories).set({ title: "Retitled by a bare transaction" }).where(eq(stories.slug, SEED_STORY_SLUG));
      });
      await other.close();
      expect(await reader.sees((r) => r.title === "Retitled by a bare transaction")).toBe(true);
    } finally {
      reader.stop();
    }
  }, 60_000);
});

async function addClaimVia(db: TestDatabase["db"], text: string) {
  const { document } = await createDocument(db, actor, documentInput.parse({ outlet: { name: "Other Process Post" }, title: text, publishedAt: "2024-10-16" }));
  return createClaim(db, actor, SEED_STORY_SLUG, claimInput.parse({ documentId: document.id, text }));
}

describe("a cache over its limit", () => {
  it("lets the least recently used entry go, however often the newest is read again", async () => {
    const loads: string[] = [];
    const store = cacheStore<string>("lru-test", { maxEntries: 2 });
    const read = (key: string) => store(key, async () => (loads.push(key), key.toUpperCase()));
    await read("a");
    await read("b");
    // a is used after b, twice: b is now the least recently used.
    expect(store.peek("a")).toBe("A");
    expect(store.peek("a")).toBe("A");
    await read("c");
    expect([store.peek("a"), store.peek("b"), store.peek("c")]).toEqual(["A", undefined, "C"]);
    // c, then a, then c again: a goes when d comes.
    expect(store.peek("c")).toBe("C");
    expect(store.peek("a")).toBe("A");
    expect(await read("c")).toBe("C");
    await read("d");
    expect([store.peek("a"), store.peek("c"), store.peek("d")]).toEqual([undefined, "C", "D"]);
    expect(loads).toEqual(["a", "b", "c", "d"]);
  });
});
