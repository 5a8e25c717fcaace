import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase } from "@/db";
import { MAX_BODY_BYTES, MAX_VERSION_CHARS } from "@/lib/validation";
import { databaseDigest } from "@/lib/testing/reliability/digest";
import { makeEditor, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { call, fixtureWrite, type Call } from "@/lib/testing/http";
import * as claimDiff from "./claims/[id]/diff/route";
import * as claimLinks from "./claims/[id]/links/route";
import * as claimRoute from "./claims/[id]/route";
import * as documentDiff from "./documents/[id]/diff/route";
import * as documentRoute from "./documents/[id]/route";
import * as documentVersions from "./documents/[id]/versions/route";
import * as documents from "./documents/route";
import * as outlets from "./outlets/route";
import * as storyChanges from "./stories/[slug]/changes/route";
import * as storyClaims from "./stories/[slug]/claims/route";
import * as storyQuestions from "./stories/[slug]/questions/route";
import * as storyRoute from "./stories/[slug]/route";
import * as stories from "./stories/route";

let database: TestDatabase;
let token: string;
// The fixture every case aims at: a story, a document with one version, claims in a chain.
const f = { slug: "bad-input", documentId: 0, versionId: 0, questionId: 0, older: 0, newer: 0, relay: 0, loopA: 0, loopB: 0 };
const VERSION_TEXT = "The spokesperson said the film was shot in Budapest over the summer.";

const post = (handler: Parameters<typeof call>[0], params: Record<string, string | number>, body: unknown) => fixtureWrite(handler, token, params, body);

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  token = (await makeEditor(database.db)).token;
  await post(stories.POST, {}, { title: "Bad input", slug: f.slug });
  f.questionId = (await post(storyQuestions.POST, { slug: f.slug }, { label: "Where was it shot?" })).id;
  f.documentId = (await post(documents.POST, {}, { outlet: { name: "Input Desk" }, title: "Fixture", publishedAt: "2024-06-01" })).id;
  f.versionId = (await post(documentVersions.POST, { id: f.documentId }, { text: VERSION_TEXT, seenAt: "2024-06-01" })).id;
  const claim = (body: object) => post(storyClaims.POST, { slug: f.slug }, { documentId: f.documentId, ...body });
  f.older = (await claim({ text: "Older claim", assertedAt: "2024-06-01" })).id;
  f.newer = (await claim({ text: "Newer claim", assertedAt: "2024-06-02" })).id;
  f.relay = (await claim({ text: "Relayed claim", assertedAt: "2024-06-02", relaysClaimId: f.older })).id;
  await post(claimLinks.POST, { id: f.newer }, { kind: "contradicts", targetClaimId: f.older });
  // Two claims of the same instant, so only the cycle rule can refuse a link between them.
  f.loopA = (await claim({ text: "Loop A", assertedAt: "2024-06-03" })).id;
  f.loopB = (await claim({ text: "Loop B", assertedAt: "2024-06-03" })).id;
  await post(claimLinks.POST, { id: f.loopB }, { kind: "supersedes", targetClaimId: f.loopA });
});
afterAll(async () => {
  await database.close();
});

type Handler = Parameters<typeof call>[0];
type Case = {
  name: string;
  handler: Handler;
  method?: string;
  params?: () => Record<string, string | number>;
  url?: string;
  body?: () => unknown;
  raw?: () => BodyInit;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** A field the error must name. */
  field?: string;
  message?: RegExp;
};

const json = { "content-type": "application/json" };
const story = () => ({ slug: f.slug });
const claimBody = (extra: object) => () => ({ documentId: f.documentId, text: "A statement", ...extra });
const docBody = (extra: object) => () => ({ outlet: { name: "Input Desk" }, title: "A report", publishedAt: "2024-06-01", ...extra });
const patchBody = (extra: object) => () => ({ text: "New wording", reason: "fix", baseRevision: 1, ...extra });
const linkBody = (extra: object) => () => ({ kind: "corrects", targetClaimId: f.older, ...extra });
const claimAt = (id: () => number) => () => ({ id: id() });

// Every write route, for the cases that apply to all of them.
const writeRoutes: { name: string; handler: Handler; method?: string; params: () => Record<string, string | number> }[] = [
  { name: "POST /api/stories", handler: stories.POST, params: () => ({}) },
  { name: "POST /api/outlets", handler: outlets.POST, params: () => ({}) },
  { name: "POST /api/documents", handler: documents.POST, params: () => ({}) },
  { name: "POST /api/documents/:id/versions", handler: documentVersions.POST, params: () => ({ id: f.documentId }) },
  { name: "POST /api/stories/:slug/questions", handler: storyQuestions.POST, params: story },
  { name: "POST /api/stories/:slug/claims", handler: storyClaims.POST, params: story },
  { name: "PATCH /api/claims/:id", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.newer) },
  { name: "POST /api/claims/:id/links", handler: claimLinks.POST, params: claimAt(() => f.newer) },
];

const everyRoute = (make: (r: (typeof writeRoutes)[number]) => Omit<Case, "handler" | "method" | "params">): Case[] =>
  writeRoutes.map((r) => ({ handler: r.handler, method: r.method, params: r.params, ...make(r) }));

const cases: Case[] = [
  // Malformed bodies, on every write route.
  ...everyRoute((r) => ({ name: `${r.name}: malformed JSON`, raw: () => '{"title": "x",', headers: json, status: 400, code: "bad_request", message: /not valid JSON/ })),
  ...everyRoute((r) => ({ name: `${r.name}: empty body`, raw: () => "", headers: json, status: 400, code: "bad_request" })),
  ...everyRoute((r) => ({ name: `${r.name}: a JSON array instead of an object`, body: () => [], status: 422, code: "unprocessable" })),
  ...everyRoute((r) => ({ name: `${r.name}: JSON null`, raw: () => "null", headers: json, status: 422, code: "unprocessable" })),
  ...everyRoute((r) => ({ name: `${r.name}: an extra field`, body: () => ({ colour: "red" }), status: 422, code: "unprocessable", field: "_" })),
  ...everyRoute((r) => ({
    name: `${r.name}: invalid UTF-8`,
    raw: () => new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]),
    headers: json,
    status: 400,
    code: "bad_request",
    message: /UTF-8/,
  })),
  ...everyRoute((r) => ({
    name: `${r.name}: a body over the limit`,
    raw: () => JSON.stringify({ title: "x".repeat(MAX_BODY_BYTES) }),
    headers: json,
    status: 413,
    code: "payload_too_large",
  })),
  ...everyRoute((r) => ({
    name: `${r.name}: a declared length over the limit`,
    raw: () => "{}",
    headers: { ...json, "content-length": String(MAX_BODY_BYTES + 1) },
    status: 413,
    code: "payload_too_large",
  })),

  // Missing fields and wrong types.
  { name: "story without a title", handler: stories.POST, body: () => ({}), status: 422, code: "unprocessable", field: "title" },
  { name: "story title of spaces", handler: stories.POST, body: () => ({ title: "   " }), status: 422, code: "unprocessable", field: "title" },
  { name: "story title as a number", handler: stories.POST, body: () => ({ title: 42 }), status: 422, code: "unprocessable", field: "title" },
  { name: "story slug with capitals and spaces", handler: stories.POST, body: () => ({ title: "x", slug: "Not A Slug" }), status: 422, code: "unprocessable", field: "slug" },
  { name: "outlet name as an object", handler: outlets.POST, body: () => ({ name: { first: "x" } }), status: 422, code: "unprocessable", field: "name" },
  { name: "document without a title or date", handler: documents.POST, body: () => ({ outlet: "input-desk" }), status: 422, code: "unprocessable", field: "title" },
  { name: "document authors as a string", handler: documents.POST, body: docBody({ authors: "A. Writer" }), status: 422, code: "unprocessable", field: "authors" },
  { name: "document kind not in the list", handler: documents.POST, body: docBody({ kind: "blog" }), status: 422, code: "unprocessable", field: "kind" },
  { name: "version without text", handler: documentVersions.POST, params: () => ({ id: f.documentId }), body: () => ({ seenAt: "2024-06-01" }), status: 422, code: "unprocessable", field: "text" },
  {
    name: "version text over the limit",
    handler: documentVersions.POST,
    params: () => ({ id: f.documentId }),
    body: () => ({ text: "a".repeat(MAX_VERSION_CHARS + 1), seenAt: "2024-06-01" }),
    status: 422,
    code: "unprocessable",
    field: "text",
  },
  { name: "claim without a document or text", handler: storyClaims.POST, params: story, body: () => ({}), status: 422, code: "unprocessable", field: "documentId" },
  { name: "claim documentId as words", handler: storyClaims.POST, params: story, body: claimBody({ documentId: "the first one" }), status: 422, code: "unprocessable", field: "documentId" },
  { name: "claim documentId negative", handler: storyClaims.POST, params: story, body: claimBody({ documentId: -3 }), status: 422, code: "unprocessable", field: "documentId" },
  { name: "claim documentId fractional", handler: storyClaims.POST, params: story, body: claimBody({ documentId: 1.5 }), status: 422, code: "unprocessable", field: "documentId" },
  { name: "claim documentId beyond the integer range", handler: storyClaims.POST, params: story, body: claimBody({ documentId: 2 ** 31 }), status: 422, code: "unprocessable", field: "documentId" },
  { name: "claim text as an array", handler: storyClaims.POST, params: story, body: claimBody({ text: ["a"] }), status: 422, code: "unprocessable", field: "text" },
  { name: "claim text over the limit", handler: storyClaims.POST, params: story, body: claimBody({ text: "word ".repeat(1001) }), status: 422, code: "unprocessable", field: "text" },
  { name: "claim with one word over the limit", handler: storyClaims.POST, params: story, body: claimBody({ text: "x".repeat(5001) }), status: 422, code: "unprocessable", field: "text" },
  { name: "edit without a reason", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.newer), body: () => ({ text: "x", baseRevision: 1 }), status: 422, code: "unprocessable", field: "reason" },
  { name: "edit without a base revision", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.newer), body: () => ({ text: "x", reason: "r" }), status: 422, code: "unprocessable", field: "baseRevision" },
  { name: "edit base revision as words", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.newer), body: patchBody({ baseRevision: "latest" }), status: 422, code: "unprocessable", field: "baseRevision" },
  { name: "edit that changes nothing", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.newer), body: () => ({ reason: "r", baseRevision: 1 }), status: 422, code: "unprocessable", field: "text" },
  { name: "link kind not in the list", handler: claimLinks.POST, params: claimAt(() => f.newer), body: linkBody({ kind: "debunks" }), status: 422, code: "unprocessable", field: "kind" },
  { name: "link without a target", handler: claimLinks.POST, params: claimAt(() => f.newer), body: () => ({ kind: "corrects" }), status: 422, code: "unprocessable", field: "targetClaimId" },
  { name: "question label empty", handler: storyQuestions.POST, params: story, body: () => ({ label: "" }), status: 422, code: "unprocessable", field: "label" },

  // Dates and precisions.
  ...["yesterday", "2024-13-01", "2024-02-30", "2023-02-29", "2024-06-01T25:00:00Z", "2024-06-01T12:00:00", "24-06-01", "", "2024-06-01T12:00:00+25:00"].map(
    (publishedAt): Case => ({ name: `document date "${publishedAt}"`, handler: documents.POST, body: docBody({ publishedAt }), status: 422, code: "unprocessable", field: "publishedAt" }),
  ),
  // Dates JavaScript can express but PostgreSQL cannot store: refused, not a 500.
  ...["0000", "0000-01-01", "0000-06-01T00:00:00Z"].flatMap((date): Case[] => [
    { name: `document date "${date}"`, handler: documents.POST, body: docBody({ publishedAt: date }), status: 422, code: "unprocessable" },
    { name: `version seen on "${date}"`, handler: documentVersions.POST, params: () => ({ id: f.documentId }), body: () => ({ text: "t", seenAt: date }), status: 422, code: "unprocessable" },
    { name: `claim asserted on "${date}"`, handler: storyClaims.POST, params: story, body: claimBody({ assertedAt: date }), status: 422, code: "unprocessable" },
    { name: `link effective on "${date}"`, handler: claimLinks.POST, params: claimAt(() => f.loopB), body: () => ({ kind: "confirms", targetClaimId: f.older, effectiveAt: date }), status: 422, code: "unprocessable" },
  ]),
  // Years 1 to 99 come back from the driver misread ("0099-12-31" as 1999-12-31, "0013-01-01" as
  // no date at all), so they must be refused on the way in.
  ...["0001-01-01", "0013-01-01", "0099-12-31T12:00:00Z"].map(
    (publishedAt): Case => ({ name: `document date "${publishedAt}", which would not read back`, handler: documents.POST, body: docBody({ publishedAt }), status: 422, code: "unprocessable", field: "publishedAt" }),
  ),
  { name: "document date as a number", handler: documents.POST, body: docBody({ publishedAt: 20240601 }), status: 422, code: "unprocessable", field: "publishedAt" },
  { name: "document precision not in the list", handler: documents.POST, body: docBody({ precision: "week" }), status: 422, code: "unprocessable", field: "precision" },
  { name: "version seen on no date", handler: documentVersions.POST, params: () => ({ id: f.documentId }), body: () => ({ text: "t", seenAt: "soon" }), status: 422, code: "unprocessable", field: "seenAt" },
  { name: "claim asserted on no date", handler: storyClaims.POST, params: story, body: claimBody({ assertedAt: "2024-06-31" }), status: 422, code: "unprocessable", field: "assertedAt" },
  { name: "link effective on no date", handler: claimLinks.POST, params: claimAt(() => f.newer), body: linkBody({ effectiveAt: "June" }), status: 422, code: "unprocessable", field: "effectiveAt" },

  // URLs that are not http(s).
  ...["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "/relative/path", "//evil.example/x", "ftp://example.com/file", "file:///etc/passwd", "http://", "not a url"].map(
    (url): Case => ({ name: `document URL "${url}"`, handler: documents.POST, body: docBody({ url }), status: 422, code: "unprocessable", field: "url" }),
  ),
  { name: "outlet homepage javascript:", handler: outlets.POST, body: () => ({ name: "Evil", homepage: "javascript:alert(1)" }), status: 422, code: "unprocessable", field: "homepage" },
  { name: "outlet homepage data:", handler: outlets.POST, body: () => ({ name: "Evil", homepage: "data:text/html,x" }), status: 422, code: "unprocessable", field: "homepage" },

  // Unknown ids and names.
  { name: "claim on an unknown story", handler: storyClaims.POST, params: () => ({ slug: "no-such-story" }), body: claimBody({}), status: 404, code: "not_found" },
  { name: "question on an unknown story", handler: storyQuestions.POST, params: () => ({ slug: "no-such-story" }), body: () => ({ label: "Why?" }), status: 404, code: "not_found" },
  { name: "claim citing an unknown document", handler: storyClaims.POST, params: story, body: claimBody({ documentId: 999_999 }), status: 422, code: "unprocessable", field: "documentId" },
  { name: "claim citing an unknown version", handler: storyClaims.POST, params: story, body: claimBody({ versionId: 999_999 }), status: 422, code: "unprocessable", field: "versionId" },
  { name: "claim under an unknown question", handler: storyClaims.POST, params: story, body: claimBody({ questionId: 999_999 }), status: 422, code: "unprocessable", field: "questionId" },
  { name: "claim relaying an unknown claim", handler: storyClaims.POST, params: story, body: claimBody({ relaysClaimId: 999_999 }), status: 422, code: "unprocessable", field: "relaysClaimId" },
  { name: "document from an unknown outlet", handler: documents.POST, body: docBody({ outlet: "no-such-outlet" }), status: 404, code: "not_found" },
  { name: "version of an unknown document", handler: documentVersions.POST, params: () => ({ id: 999_999 }), body: () => ({ text: "t", seenAt: "2024-06-01" }), status: 404, code: "not_found" },
  { name: "version of a document id that is no number", handler: documentVersions.POST, params: () => ({ id: "abc" }), body: () => ({ text: "t", seenAt: "2024-06-01" }), status: 404, code: "not_found" },
  { name: "edit of an unknown claim", handler: claimRoute.PATCH, method: "PATCH", params: () => ({ id: 999_999 }), body: patchBody({}), status: 404, code: "not_found" },
  { name: "edit of a claim id beyond the integer range", handler: claimRoute.PATCH, method: "PATCH", params: () => ({ id: "99999999999" }), body: patchBody({}), status: 404, code: "not_found" },
  { name: "link from an unknown claim", handler: claimLinks.POST, params: () => ({ id: 999_999 }), body: linkBody({}), status: 404, code: "not_found" },
  { name: "link to an unknown claim", handler: claimLinks.POST, params: claimAt(() => f.newer), body: linkBody({ targetClaimId: 999_999 }), status: 422, code: "unprocessable", field: "targetClaimId" },

  // Links that would make the graph wrong.
  { name: "link from a claim to itself", handler: claimLinks.POST, params: claimAt(() => f.newer), body: () => ({ kind: "corrects", targetClaimId: f.newer }), status: 422, code: "unprocessable", field: "targetClaimId" },
  { name: "link from an older claim to a newer one", handler: claimLinks.POST, params: claimAt(() => f.older), body: () => ({ kind: "corrects", targetClaimId: f.newer }), status: 422, code: "unprocessable", field: "targetClaimId" },
  {
    name: "supersession cycle",
    handler: claimLinks.POST,
    params: claimAt(() => f.loopA),
    body: () => ({ kind: "supersedes", targetClaimId: f.loopB }),
    status: 422,
    code: "unprocessable",
    field: "targetClaimId",
    message: /cycle/,
  },
  {
    name: "correction cycle through a supersession",
    handler: claimLinks.POST,
    params: claimAt(() => f.loopA),
    body: () => ({ kind: "retracts", targetClaimId: f.loopB }),
    status: 422,
    code: "unprocessable",
    message: /cycle/,
  },
  { name: "duplicate link", handler: claimLinks.POST, params: claimAt(() => f.newer), body: () => ({ kind: "contradicts", targetClaimId: f.older }), status: 409, code: "conflict", field: "kind" },
  { name: "edit from a stale revision", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.newer), body: patchBody({ baseRevision: 7 }), status: 409, code: "conflict" },

  // Quotes.
  { name: "quote not in its version", handler: storyClaims.POST, params: story, body: () => ({ documentId: f.documentId, versionId: f.versionId, text: "Shot in Vienna", quote: "shot in Vienna" }), status: 422, code: "unprocessable", field: "quote" },
  { name: "quote not in the latest version", handler: storyClaims.POST, params: story, body: claimBody({ quote: "over the winter" }), status: 422, code: "unprocessable", field: "quote" },
  { name: "quote changed by an edit to one not in the version", handler: claimRoute.PATCH, method: "PATCH", params: claimAt(() => f.relay), body: () => ({ quote: "not there at all", reason: "r", baseRevision: 1 }), status: 422, code: "unprocessable", field: "quote" },

  // NUL, control characters and broken Unicode.
  ...[
    ["NUL", "bad\u0000title"],
    ["a bell", "bad\u0007title"],
    ["an escape sequence", "bad\u001b[31mtitle"],
    ["DEL", "bad\u007ftitle"],
    ["a lone high surrogate", "bad\ud800title"],
    ["a lone low surrogate", "bad\udc00title"],
  ].flatMap(([what, text]): Case[] => [
    { name: `story title with ${what}`, handler: stories.POST, body: () => ({ title: text }), status: 422, code: "unprocessable", field: "title" },
    { name: `claim text with ${what}`, handler: storyClaims.POST, params: story, body: claimBody({ text }), status: 422, code: "unprocessable", field: "text" },
    { name: `version text with ${what}`, handler: documentVersions.POST, params: () => ({ id: f.documentId }), body: () => ({ text, seenAt: "2024-06-01" }), status: 422, code: "unprocessable", field: "text" },
    { name: `link note with ${what}`, handler: claimLinks.POST, params: claimAt(() => f.newer), body: linkBody({ note: text }), status: 422, code: "unprocessable", field: "note" },
  ]),
  { name: "a raw control character inside a JSON string", handler: stories.POST, raw: () => '{"title":"a\u0001b"}', headers: json, status: 400, code: "bad_request" },

  // Bad queries on the read routes.
  { name: "story read as of no date", handler: storyRoute.GET, url: "/?asOf=yesterday", params: story, status: 400, code: "bad_request", field: "asOf" },
  { name: "story read known at no date", handler: storyRoute.GET, url: "/?knownAt=2024-02-30", params: story, status: 400, code: "bad_request", field: "knownAt" },
  { name: "story changes without a start", handler: storyChanges.GET, url: "/", params: story, status: 400, code: "bad_request", field: "from" },
  { name: "document diff with words for ids", handler: documentDiff.GET, url: "/?from=a&to=b", params: () => ({ id: f.documentId }), status: 400, code: "bad_request", field: "from" },
  { name: "document diff of another document's version", handler: documentDiff.GET, url: `/?from=1&to=999999`, params: () => ({ id: f.documentId }), status: 422, code: "unprocessable", field: "versionId" },
  { name: "claim diff with nothing to compare", handler: claimDiff.GET, url: "/", params: claimAt(() => f.newer), status: 400, code: "bad_request" },
  { name: "unknown document", handler: documentRoute.GET, params: () => ({ id: 999_999 }), status: 404, code: "not_found" },
  { name: "unknown claim", handler: claimRoute.GET, url: "/", params: () => ({ id: 999_999 }), status: 404, code: "not_found" },
];

async function send(c: Case): Promise<Call> {
  return call(c.handler, {
    method: c.method ?? (c.body || c.raw ? "POST" : "GET"),
    url: c.url,
    token,
    params: c.params?.(),
    body: c.body?.(),
    rawBody: c.raw?.(),
    headers: c.headers,
  });
}

describe(`bad input on every API route, on ${testEngine()}: a clear error, nothing written`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = await databaseDigest(database.db);
    const res = await send(c);
    expect(res.status, JSON.stringify(res.body)).toBe(c.status);
    expect(res.body.error.code).toBe(c.code);
    expect(res.body.error.message).toEqual(expect.any(String));
    // Errors speak of the request, never of the database underneath.
    expect(res.body.error.message).not.toMatch(/select |insert |violates|constraint|postgres|drizzle|stack/i);
    if (c.field) expect(Object.keys(res.body.error.fields ?? {})).toContain(c.field);
    if (c.message) expect(res.body.error.message).toMatch(c.message);
    expect(await databaseDigest(database.db)).toEqual(before);
  });
});

describe(`valid but unusual text is kept intact, on ${testEngine()}`, () => {
  const texts: [string, string][] = [
    ["Arabic, right to left", "قال المتحدث إن الفيلم صُوِّر في بودابست."],
    ["Hebrew with Latin inside", "הדובר אמר: the film was shot in Budapest."],
    ["an override mark", "abc\u202Edcba\u202C end"],
    ["combining marks, not normalised", "Cafe\u0301 Zoe\u0308 and a\u0323\u0302 stack"],
    ["emoji sequences", "Reshoots 👩🏽‍🔬🎬 in 🇭🇺 — ❤️‍🔥 #️⃣"],
    ["one very long word", "Donaudampfschifffahrtsgesellschaftskapitän".repeat(100).slice(0, 5000)],
    ["markup and script", `</script><script>alert(1)</script> "><img src=x onerror=alert(1)> &amp; {{7*7}}`],
    ["tabs, newlines and separators", "line one\n\tline two\u2028line three\u2029end"],
  ];

  it.each(texts)("%s", async (_what, text) => {
    const created = await call(storyClaims.POST, { token, params: story(), body: { documentId: f.documentId, text, speaker: text.slice(0, 200), quote: "" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const detail = await call(claimRoute.GET, { url: "/", params: { id: created.body.id } });
    expect(detail.status).toBe(200);
    const read = detail.body.claim ?? detail.body;
    expect(JSON.stringify(detail.body)).toContain(JSON.stringify(text).slice(1, -1));
    expect(read.text ?? read.current?.text).toBe(text);

    const edited = await call(claimRoute.PATCH, { method: "PATCH", token, params: { id: created.body.id }, body: { text: `${text} (edited)`, reason: text.slice(0, 1000), baseRevision: 1 } });
    expect(edited.status).toBe(200);
    expect(edited.body.current.text).toBe(`${text} (edited)`);
    expect(edited.body.current.reason).toBe(text.slice(0, 1000).trim());
  });

  it("keeps a version's text byte for byte, and finds a quote in right-to-left text", async () => {
    const text = "قال المتحدث إن الفيلم صُوِّر في بودابست 🎬 e\u0301";
    const doc = (await call(documents.POST, { token, body: { outlet: { name: "صحيفة" }, title: "تقرير", publishedAt: "2024-06-05" } })).body;
    const version = await call(documentVersions.POST, { token, params: { id: doc.id }, body: { text, seenAt: "2024-06-05" } });
    expect(version.status).toBe(201);
    const full = await call(documentRoute.GET, { params: { id: doc.id } });
    expect(full.body.versions[0].text).toBe(text);
    const claim = await call(storyClaims.POST, { token, params: story(), body: { documentId: doc.id, text: "صُوِّر في بودابست", quote: "صُوِّر في بودابست" } });
    expect(claim.status).toBe(201);
    expect(claim.body.current.quoteVerified).toBe(true);
  });
});
