import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase } from "@/db";
import * as claimLinks from "@/app/api/claims/[id]/links/route";
import * as claimRoute from "@/app/api/claims/[id]/route";
import * as documentVersions from "@/app/api/documents/[id]/versions/route";
import * as documents from "@/app/api/documents/route";
import * as outlets from "@/app/api/outlets/route";
import * as storyClaims from "@/app/api/stories/[slug]/claims/route";
import * as storyQuestions from "@/app/api/stories/[slug]/questions/route";
import * as stories from "@/app/api/stories/route";
import { databaseDigest } from "@/lib/testing/reliability/digest";
import { makeEditor, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";

// Runs per property; raise it (FC_RUNS=1000) to search harder than the suite has time for.
const RUNS = Number(process.env.FC_RUNS ?? 40);

let database: TestDatabase;
let token: string;
const f = { slug: "property", documentId: 0, claimId: 0, olderId: 0 };

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  token = (await makeEditor(database.db)).token;
  const ok = async (p: ReturnType<typeof call>) => {
    const res = await p;
    if (res.status >= 300) throw new Error(`fixture write failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await ok(call(stories.POST, { token, body: { title: "Property", slug: f.slug } }));
  f.documentId = (await ok(call(documents.POST, { token, body: { outlet: { name: "Fuzz Desk" }, title: "Fixture", publishedAt: "2024-06-01" } }))).id;
  await ok(call(documentVersions.POST, { token, params: { id: f.documentId }, body: { text: "Some words to quote from, in a version.", seenAt: "2024-06-01" } }));
  f.olderId = (await ok(call(storyClaims.POST, { token, params: { slug: f.slug }, body: { documentId: f.documentId, text: "Older", assertedAt: "2024-06-01" } }))).id;
  f.claimId = (await ok(call(storyClaims.POST, { token, params: { slug: f.slug }, body: { documentId: f.documentId, text: "Newer", assertedAt: "2024-06-02" } }))).id;
}, 120_000);
afterAll(async () => {
  await database.close();
});

// Values chosen to sit on the edges of what each field accepts.
const awkwardStrings = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  // Lone surrogates: JSON carries them, PostgreSQL cannot store them.
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 }),
  fc.constantFrom("", " ", "\u0000", "\t\n", "a".repeat(6000), "👩🏽‍🔬", "e\u0301", "مرحبا", "</script><script>alert(1)</script>", "'; drop table claims; --"),
);
const awkwardDates = fc.oneof(
  fc.constantFrom(
    "0000",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59.999Z",
    "-000001-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "+275760-09-14T00:00:00Z",
    "2024-02-29",
    "2023-02-29",
    "2024-06-01T12:00:00+14:00",
    "2024-06-01T12:00:00-12:59",
    "2024-06-01T12:00:00.123456789Z",
    " 2024 ",
    "1970",
    "4713-01-01",
    "294276-01-01T00:00:00Z",
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
  ),
);
const awkwardUrls = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    "javascript:alert(1)",
    "data:text/html,x",
    "/relative",
    "http://",
    "http://[::1]:99999/",
    "http://a b.example/",
    "https://example.com/%zz",
    `https://example.com/${"a".repeat(2100)}`,
    "HTTP://EXAMPLE.COM:80/?utm_source=x#frag",
    "http://user:pass@example.com/",
    "https://xn--80ak6aa92e.com/",
  ),
);
const awkwardIds = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1.5, "1", " 2 ", "1e3", "0x10", "", true, false, null, [], [1], {}),
);
const anyValue = fc.oneof(awkwardStrings, awkwardDates, awkwardUrls, awkwardIds, fc.jsonValue({ maxDepth: 2 }));

/**
 * Bodies that start from a valid one and change some fields (to a plausible or an arbitrary
 * value), drop one, or add a stranger: close enough to valid that most reach the database.
 */
function bodies(valid: () => Record<string, unknown>, fields: Record<string, fc.Arbitrary<unknown>>) {
  const keys = Object.keys(fields);
  const values = fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof({ weight: 3, arbitrary: fields[k]! }, { weight: 1, arbitrary: anyValue })])));
  const extra = fc.option(fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 2 }), { freq: 5 });
  return fc.tuple(fc.subarray(keys), fc.subarray(keys, { maxLength: 1 }), values, extra).map(([changed, dropped, v, stranger]) => {
    const body: Record<string, unknown> = { ...(stranger ?? {}), ...valid() };
    for (const k of changed) body[k] = v[k];
    for (const k of dropped) delete body[k];
    return body;
  });
}

const kinds = fc.constantFrom("corrects", "contradicts", "confirms", "supersedes", "retracts", "debunks");
const smallIds = fc.oneof(fc.integer({ min: 1, max: 4 }), awkwardIds);
const routes: { name: string; handler: Parameters<typeof call>[0]; method?: string; params: () => Record<string, string | number>; body: fc.Arbitrary<unknown> }[] = [
  { name: "POST /api/stories", handler: stories.POST, params: () => ({}), body: bodies(() => ({ title: "A story" }), { title: awkwardStrings, slug: awkwardStrings, summary: awkwardStrings }) },
  { name: "POST /api/outlets", handler: outlets.POST, params: () => ({}), body: bodies(() => ({ name: "An outlet" }), { name: awkwardStrings, homepage: awkwardUrls }) },
  {
    name: "POST /api/documents",
    handler: documents.POST,
    params: () => ({}),
    body: bodies(() => ({ outlet: { name: "Fuzz Desk" }, title: "A report", publishedAt: "2024-06-01" }), {
      url: awkwardUrls,
      outlet: fc.oneof(awkwardStrings, fc.constant("fuzz-desk"), bodies(() => ({ name: "Fuzz Desk" }), { name: awkwardStrings, homepage: awkwardUrls })),
      title: awkwardStrings,
      authors: fc.array(awkwardStrings, { maxLength: 3 }),
      publishedAt: awkwardDates,
      precision: fc.constantFrom("year", "month", "day", "time", "week"),
      kind: fc.constantFrom("article", "post", "blog"),
    }),
  },
  {
    name: "POST /api/documents/:id/versions",
    handler: documentVersions.POST,
    params: () => ({ id: f.documentId }),
    body: bodies(() => ({ text: "Some words to quote from.", seenAt: "2024-06-01" }), { text: awkwardStrings, seenAt: awkwardDates, note: awkwardStrings }),
  },
  { name: "POST /api/stories/:slug/questions", handler: storyQuestions.POST, params: () => ({ slug: f.slug }), body: bodies(() => ({ label: "Why?" }), { label: awkwardStrings }) },
  {
    name: "POST /api/stories/:slug/claims",
    handler: storyClaims.POST,
    params: () => ({ slug: f.slug }),
    body: bodies(() => ({ documentId: f.documentId, text: "A claim" }), {
      documentId: smallIds,
      versionId: smallIds,
      text: awkwardStrings,
      quote: fc.oneof(awkwardStrings, fc.constantFrom("Some words", "in a version", "quote from")),
      quotePrefix: awkwardStrings,
      quoteSuffix: awkwardStrings,
      speaker: awkwardStrings,
      questionId: smallIds,
      relaysClaimId: smallIds,
      assertedAt: awkwardDates,
    }),
  },
  {
    name: "PATCH /api/claims/:id",
    handler: claimRoute.PATCH,
    method: "PATCH",
    params: () => ({ id: f.claimId }),
    body: bodies(() => ({ text: "New wording", reason: "Clarified", baseRevision: 1 }), {
      text: awkwardStrings,
      quote: fc.oneof(awkwardStrings, fc.constantFrom("Some words", "in a version")),
      quotePrefix: awkwardStrings,
      quoteSuffix: awkwardStrings,
      reason: awkwardStrings,
      baseRevision: fc.oneof(fc.integer({ min: 1, max: 6 }), awkwardIds),
    }),
  },
  {
    name: "POST /api/claims/:id/links",
    handler: claimLinks.POST,
    params: () => ({ id: f.claimId }),
    body: bodies(() => ({ kind: "confirms", targetClaimId: f.olderId }), { kind: kinds, targetClaimId: smallIds, effectiveAt: awkwardDates, note: awkwardStrings }),
  },
];

const ALLOWED = [200, 201, 400, 404, 409, 413, 422];

/** Sends one request; it must be answered without a 500, and if refused must leave every table as it was. */
async function sendAndCheck(route: (typeof routes)[number], request: { body?: unknown; rawBody?: BodyInit }) {
  const before = await databaseDigest(database.db);
  const res = await call(route.handler, {
    method: route.method ?? "POST",
    token,
    params: route.params(),
    ...(request.rawBody !== undefined ? { rawBody: request.rawBody, headers: { "content-type": "application/json" } } : { body: request.body }),
  });
  expect(ALLOWED, `${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  if (res.status >= 400) {
    expect(res.body.error.code).toEqual(expect.any(String));
    expect(await databaseDigest(database.db)).toEqual(before);
  }
}

describe(`random input to the write routes, on ${testEngine()}: never a 500, a refusal writes nothing`, () => {
  for (const route of routes) {
    it(`${route.name}: bodies shaped like its input`, async () => {
      await fc.assert(fc.asyncProperty(route.body, (body) => sendAndCheck(route, { body })), { numRuns: RUNS });
    }, 300_000);

    it(`${route.name}: any JSON at all`, async () => {
      await fc.assert(fc.asyncProperty(fc.anything(), (value) => sendAndCheck(route, { rawBody: JSON.stringify(value) ?? "" })), { numRuns: Math.ceil(RUNS / 2) });
    }, 300_000);

    it(`${route.name}: arbitrary bytes`, async () => {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), (bytes) => sendAndCheck(route, { rawBody: bytes })), { numRuns: Math.ceil(RUNS / 2) });
    }, 300_000);
  }
});
