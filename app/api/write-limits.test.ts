import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase, useDatabase, type Database } from "@/db";
import { requireWriteAllowance } from "@/lib/auth/rate-limit";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import type { FormState } from "@/lib/forms";
import { makeEditor, tableCounts, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";

// Writes an editor may make a minute, through the API and the editor's forms together. A small
// figure, so that a test reaches it; each test makes an editor of its own, with a bucket of its own.
const LIMIT = 3;
// Next's request context, stood in for as in app/editor/actions.test.ts, so that a form can be posted.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => new Headers({ host: "localhost:3000" }),
}));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`redirect ${to}`), { digest: `NEXT_REDIRECT;${to}` });
  },
}));

const actions = await import("@/app/editor/actions");
const stories = await import("./stories/route");
const batch = await import("./stories/[slug]/claims/batch/route");
const documents = await import("./documents/route");

let database: TestDatabase;
beforeAll(async () => {
  vi.stubEnv("WRITE_RATE_LIMIT", String(LIMIT));
  database = await testDatabase();
  useDatabase(database);
});
afterAll(async () => {
  await database.close();
  vi.unstubAllEnvs();
});

const newStory = (token: string, title: string) => call(stories.POST, { token, body: { title } });

describe(`write limits on ${testEngine()}`, () => {
  it(`refuses an editor's API writes past ${LIMIT} a minute with 429 and Retry-After, writing nothing`, async () => {
    const { token } = await makeEditor(database.db);
    for (let i = 0; i < LIMIT; i++) expect((await newStory(token, `Allowed ${i}`)).status).toBe(201);
    const before = await tableCounts(database.db);
    const refused = await newStory(token, "One too many");
    expect(refused.status).toBe(429);
    // Each write's share of the minute is 20 s: the next may come once the first write's share is
    // back, at most 20 s from now.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.body.error).toMatchObject({ code: "too_many_requests", retryAfter, message: expect.stringMatching(/^Too many writes: an editor may make 3 a minute\./) });
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("counts a batch as one write, whatever its size", async () => {
    const { token } = await makeEditor(database.db);
    const doc = await call(documents.POST, { token, body: { outlet: { name: "Limit Desk" }, title: "A report", publishedAt: "2024-05-01" } });
    expect(doc.status).toBe(201);
    const story = await newStory(token, "Batch story");
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ claim: { documentId: doc.body.id, text: `Claim ${i}` } })).join("\n");
    const written = await call(batch.POST, { token, params: { slug: story.body.slug }, rawBody: lines, headers: { "content-type": "application/x-ndjson" } });
    expect(written.status).toBe(201);
    expect(written.body.claims).toHaveLength(50);
    expect((await newStory(token, "Fourth write")).status).toBe(429);
  });

  it("gives each editor a limit of their own, and counts no request refused before it", async () => {
    const spent = await makeEditor(database.db);
    const fresh = await makeEditor(database.db);
    const reader = await makeEditor(database.db, "editor", "read");
    for (let i = 0; i < LIMIT; i++) await newStory(spent.token, `Spent ${i}`);
    expect((await newStory(spent.token, "Refused")).status).toBe(429);
    expect((await newStory(fresh.token, "Someone else's")).status).toBe(201);
    // A read-only token is refused before any count, however often it tries.
    for (let i = 0; i < LIMIT + 2; i++) expect((await newStory(reader.token, "Read only")).status).toBe(403);
    expect((await call(stories.POST, { body: { title: "Anonymous" } })).status).toBe(401);
  });

  it("counts the editor's forms against the same limit, and says so in the form, keeping what was typed", async () => {
    const { editor, token } = await makeEditor(database.db);
    jar.clear();
    jar.set(SESSION_COOKIE, (await createSession(database.db, editor)).value);
    const form = (title: string) => {
      const data = new FormData();
      data.set("title", title);
      return data;
    };
    // Saved, the form goes to the new story's page.
    await expect(actions.createStoryAction({ status: "idle" }, form("From the form"))).rejects.toThrow(/^redirect \/editor\/stories\//);
    for (let i = 1; i < LIMIT; i++) expect((await newStory(token, `Through the API ${i}`)).status).toBe(201);
    const before = await tableCounts(database.db);
    const refused: FormState = await actions.createStoryAction({ status: "idle" }, form("Past the limit"));
    expect(refused.status).toBe("error");
    expect(refused.message).toMatch(/^Too many writes: an editor may make 3 a minute\. Nothing was written; try again in \d+ seconds?\.$/);
    expect(refused.values).toEqual({ title: "Past the limit" });
    expect(await tableCounts(database.db)).toEqual(before);
  });
});

// The PostgreSQL leg: a second pool on the same database stands for a second instance.
if (testEngine() === "postgres") describe("write limits shared by instances on one PostgreSQL", () => {
  let other: Database;
  beforeAll(async () => {
    other = await openDatabase({ url: database.url!, poolMax: 5 });
  });
  afterAll(async () => {
    await other.close();
  });

  it("refuses a write on one instance once the editor's writes on another used the limit up", async () => {
    const { editor, token } = await makeEditor(database.db);
    for (let i = 0; i < LIMIT; i++) await requireWriteAllowance(other.db, editor.id);
    const refused = await newStory(token, "After the other instance's writes");
    expect(refused.status).toBe(429);
  });

  it("lets exactly the limit through when both instances write at once", async () => {
    const { editor, token } = await makeEditor(database.db);
    const outcomes = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => newStory(token, `Here ${i}`).then((r) => r.status === 201)),
      ...Array.from({ length: 5 }, () =>
        requireWriteAllowance(other.db, editor.id).then(
          () => true,
          () => false,
        ),
      ),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(LIMIT);
  });
});
