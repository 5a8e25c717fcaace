import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, useDatabase } from "@/db";
import { auditEvents } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit";
import { call } from "@/lib/testing/http";
import { makeEditor, tableCounts as countTables, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import * as auditVerify from "./audit/verify/route";
import * as claimDiff from "./claims/[id]/diff/route";
import * as claimDrift from "./claims/[id]/drift/route";
import * as claimLinks from "./claims/[id]/links/route";
import * as claimRoute from "./claims/[id]/route";
import * as documentDiff from "./documents/[id]/diff/route";
import * as documentRoute from "./documents/[id]/route";
import * as documentVersions from "./documents/[id]/versions/route";
import * as documents from "./documents/route";
import * as health from "./health/route";
import * as openapi from "./openapi.json/route";
import * as outletRoute from "./outlets/[slug]/route";
import * as outlets from "./outlets/route";
import * as storyChanges from "./stories/[slug]/changes/route";
import * as storyClaims from "./stories/[slug]/claims/route";
import * as storyQuestions from "./stories/[slug]/questions/route";
import * as storyRoute from "./stories/[slug]/route";
import * as storyTimeline from "./stories/[slug]/timeline/route";
import * as stories from "./stories/route";

let database: TestDatabase;
let token: string;
let readToken: string;

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  token = (await makeEditor(database.db)).token;
  readToken = (await makeEditor(database.db, "editor", "read")).token;
});
afterAll(async () => {
  await database.close();
});

/** Rows per table: a rejected write must leave these unchanged. */
const tableCounts = () => countTables(database.db);

async function story(slug: string) {
  const res = await call(stories.POST, { token, body: { title: `Story ${slug}`, slug } });
  expect(res.status).toBe(201);
  return res.body;
}

async function doc(body: Record<string, unknown>) {
  return call(documents.POST, { token, body: { outlet: { name: "Daily Planet" }, title: "A report", publishedAt: "2024-10-14", ...body } });
}

async function version(documentId: number, text: string, seenAt = "2024-10-14") {
  const res = await call(documentVersions.POST, { token, params: { id: documentId }, body: { text, seenAt } });
  expect(res.status).toBe(201);
  return res.body;
}

async function claim(slug: string, body: Record<string, unknown>) {
  return call(storyClaims.POST, { token, params: { slug }, body });
}

describe(`JSON API on ${testEngine()}`, () => {
  it("health names the engine and the latest migration", async () => {
    const res = await call(health.GET);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, database: testEngine(), migrations: expect.stringMatching(/^\d{4}_/) });
  });

  it("refuses writes without a token (401) and with a read-only token (403), writing nothing", async () => {
    const before = await tableCounts();
    expect((await call(stories.POST, { body: { title: "No token" } })).status).toBe(401);
    expect((await call(stories.POST, { token: "ct_nope", body: { title: "Bad token" } })).status).toBe(401);
    const forbidden = await call(stories.POST, { token: readToken, body: { title: "Read only" } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("forbidden");
    expect(await tableCounts()).toEqual(before);
  });

  it("answers bad input with a clear error and writes nothing", async () => {
    const before = await tableCounts();
    const malformed = await call(stories.POST, { token, rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    const extra = await call(stories.POST, { token, body: { title: "x", colour: "red" } });
    expect(extra.status).toBe(422);
    const missing = await call(stories.POST, { token, body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error.fields.title).toBeDefined();
    const badUrl = await doc({ url: "javascript:alert(1)" });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.error.fields.url).toBeDefined();
    const badDate = await doc({ publishedAt: "yesterday" });
    expect(badDate.status).toBe(422);
    expect(badDate.body.error.fields.publishedAt[0]).toMatch(/not a date/);
    const huge = await call(stories.POST, { token, rawBody: JSON.stringify({ title: "x".repeat(1_100_000) }), headers: { "content-type": "application/json" } });
    expect(huge.status).toBe(413);
    const control = await call(stories.POST, { token, body: { title: "bad\u0000title" } });
    expect(control.status).toBe(422);
    expect(await tableCounts()).toEqual(before);
  });

  it("creates outlets and documents, deduplicating by normalised URL, keeping date precision", async () => {
    const outlet = await call(outlets.POST, { token, body: { name: "The Wrap", homepage: "https://www.thewrap.com/" } });
    expect(outlet.status).toBe(201);
    expect(outlet.body.slug).toBe("the-wrap");
    expect((await call(outletRoute.GET, { params: { slug: "the-wrap" } })).body.outlet.name).toBe("The Wrap");
    expect((await call(outletRoute.GET, { params: { slug: "nobody" } })).status).toBe(404);

    const first = await doc({ outlet: "the-wrap", url: "https://WWW.TheWrap.com/ballerina-reshoots?utm_source=x#top", publishedAt: "2025-06" });
    expect(first.status).toBe(201);
    expect(first.body.url).toBe("https://www.thewrap.com/ballerina-reshoots");
    expect(first.body.precision).toBe("month");
    const again = await doc({ outlet: "the-wrap", url: "https://www.thewrap.com/ballerina-reshoots?fbclid=abc" });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const unknownOutlet = await doc({ outlet: "no-such-outlet" });
    expect(unknownOutlet.status).toBe(404);
  });

  it("logs claims with anchored quotes, relays, links, and derives status on both clocks", async () => {
    const s = await story("api-flow");
    const q = await call(storyQuestions.POST, { token, params: { slug: s.slug }, body: { label: "Where was it filmed?" } });
    expect(q.status).toBe(201);
    const origin = (await doc({ outlet: { name: "Origin Times" }, publishedAt: "2024-03-01" })).body;
    const relayDoc = (await doc({ outlet: { name: "Relay Daily" }, publishedAt: "2024-03-02" })).body;
    const fixDoc = (await doc({ outlet: { name: "Relay Daily" }, title: "Correction", publishedAt: "2024-03-05" })).body;
    const v = await version(origin.id, "Sources say the film was shot in Budapest over the summer.", "2024-03-01");
    await version(relayDoc.id, "As Origin Times reported, the film was shot in Prague over the summer.", "2024-03-02");
    await version(fixDoc.id, "Correction: the film was shot in Budapest, not Prague.", "2024-03-05");

    const notInText = await claim(s.slug, { documentId: origin.id, text: "Shot in Budapest", quote: "shot in Vienna" });
    expect(notInText.status).toBe(422);
    expect(notInText.body.error.fields.quote).toBeDefined();

    const a = await claim(s.slug, { documentId: origin.id, versionId: v.id, questionId: q.body.id, text: "The film was shot in Budapest.", quote: "shot in Budapest", speaker: "production sources" });
    expect(a.status).toBe(201);
    expect(a.body.current.quoteVerified).toBe(true);
    expect(a.body.assertedAt).toBe("2024-03-01T00:00:00.000Z");
    const b = await claim(s.slug, { documentId: relayDoc.id, questionId: q.body.id, relaysClaimId: a.body.id, text: "The film was shot in Prague.", quote: "shot in Prague" });
    expect(b.status).toBe(201);
    const c = await claim(s.slug, { documentId: fixDoc.id, questionId: q.body.id, text: "The film was shot in Budapest, not Prague.", quote: "shot in Budapest, not Prague" });

    const drift = await call(claimDrift.GET, { params: { id: b.body.id } });
    expect(drift.status).toBe(200);
    expect(drift.body.drift.quote).toEqual([
      { op: "equal", text: "shot in " },
      { op: "delete", text: "Budapest" },
      { op: "insert", text: "Prague" },
    ]);

    const self = await call(claimLinks.POST, { token, params: { id: c.body.id }, body: { kind: "corrects", targetClaimId: c.body.id } });
    expect(self.status).toBe(422);
    const backwards = await call(claimLinks.POST, { token, params: { id: a.body.id }, body: { kind: "corrects", targetClaimId: c.body.id } });
    expect(backwards.status).toBe(422);
    const link = await call(claimLinks.POST, { token, params: { id: c.body.id }, body: { kind: "corrects", targetClaimId: b.body.id, note: "Correction notice" } });
    expect(link.status).toBe(201);
    expect(link.body.effectiveAt).toBe("2024-03-05T00:00:00.000Z");
    const duplicate = await call(claimLinks.POST, { token, params: { id: c.body.id }, body: { kind: "corrects", targetClaimId: b.body.id } });
    expect(duplicate.status).toBe(409);

    const now = await call(storyRoute.GET, { url: `/api/stories/${s.slug}`, params: { slug: s.slug } });
    const statusOf = (body: any, id: number) => body.claims.find((x: any) => x.id === id).status;
    expect(statusOf(now.body, b.body.id)).toBe("corrected");
    expect(now.body.questions[0].best.id).toBe(c.body.id);
    const then = await call(storyRoute.GET, { url: `/api/stories/${s.slug}?asOf=2024-03-03`, params: { slug: s.slug } });
    expect(statusOf(then.body, b.body.id)).toBe("standing");
    expect(then.body.questions[0].best.id).toBe(b.body.id);
    const beforeLogged = await call(storyRoute.GET, { url: `/api/stories/${s.slug}?knownAt=${encodeURIComponent(link.body.createdAt)}`, params: { slug: s.slug } });
    expect(statusOf(beforeLogged.body, b.body.id)).toBe("corrected");
    const knownEarlier = new Date(new Date(link.body.createdAt).getTime() - 1).toISOString();
    const beforeLink = await call(storyRoute.GET, { url: `/api/stories/${s.slug}?knownAt=${encodeURIComponent(knownEarlier)}`, params: { slug: s.slug } });
    expect(statusOf(beforeLink.body, b.body.id)).toBe("standing");
    const badClock = await call(storyRoute.GET, { url: `/api/stories/${s.slug}?asOf=yesterday`, params: { slug: s.slug } });
    expect(badClock.status).toBe(400);
    expect(badClock.body.error.fields.asOf).toBeDefined();

    const detail = await call(claimRoute.GET, { url: `/api/claims/${b.body.id}`, params: { id: b.body.id } });
    expect(detail.body.relayChain.map((x: any) => x.id)).toEqual([a.body.id]);
    expect(detail.body.linksIn[0].claim.id).toBe(c.body.id);

    const diff = await call(claimDiff.GET, { url: `/api/claims/${c.body.id}/diff?against=${b.body.id}`, params: { id: c.body.id } });
    expect(diff.body.diff.text).toEqual([
      { op: "equal", text: "The film was shot in " },
      { op: "insert", text: "Budapest, not " },
      { op: "equal", text: "Prague." },
    ]);

    const timeline = await call(storyTimeline.GET, { url: "/", params: { slug: s.slug } });
    expect(timeline.body.events.map((e: any) => e.type)).toEqual(["claim", "claim", "claim", "link"]);
    expect(timeline.body.events[3]).toMatchObject({ at: "2024-03-05T00:00:00.000Z", loggedAt: link.body.createdAt });

    const changes = await call(storyChanges.GET, { url: "/?from=2024-03-03&to=2024-03-06", params: { slug: s.slug } });
    expect(changes.body.added.map((x: any) => x.id)).toEqual([c.body.id]);
    expect(changes.body.statusChanges).toMatchObject([{ claim: { id: b.body.id }, before: "standing", after: "corrected" }]);
    expect(changes.body.questions[0]).toMatchObject({ changed: true, before: { id: b.body.id }, after: { id: c.body.id } });
  });

  it("edits are revisions: a stale base revision gets 409 with the current one, and nothing is written", async () => {
    const s = await story("api-edits");
    const d = (await doc({ title: "Edits" })).body;
    const created = (await claim(s.slug, { documentId: d.id, text: "First wording" })).body;
    const first = await call(claimRoute.PATCH, { method: "PATCH", token, params: { id: created.id }, body: { text: "Second wording", reason: "typo", baseRevision: 1 } });
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(2);
    const before = await tableCounts();
    const stale = await call(claimRoute.PATCH, { method: "PATCH", token, params: { id: created.id }, body: { text: "Lost wording", reason: "late", baseRevision: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ revision: 2, text: "Second wording" });
    expect(await tableCounts()).toEqual(before);
    const revisions = await call(claimDiff.GET, { url: `/?fromRevision=1&toRevision=2`, params: { id: created.id } });
    expect(revisions.body.diff.text).toEqual([
      { op: "delete", text: "First" },
      { op: "insert", text: "Second" },
      { op: "equal", text: " wording" },
    ]);
    const detail = await call(claimRoute.GET, { url: "/", params: { id: created.id } });
    expect(detail.body.revisions.map((r: any) => r.text)).toEqual(["First wording", "Second wording"]);
    expect((await call(claimRoute.GET, { url: "/", params: { id: 999999 } })).status).toBe(404);
    expect((await call(claimRoute.GET, { url: "/", params: { id: "abc" } })).status).toBe(404);
  });

  it("rejects relay cycles and correction cycles", async () => {
    const s = await story("api-cycles");
    const d = (await doc({ title: "Cycles", publishedAt: "2024-01-01" })).body;
    const x = (await claim(s.slug, { documentId: d.id, text: "X" })).body;
    const y = (await claim(s.slug, { documentId: d.id, text: "Y", relaysClaimId: x.id })).body;
    expect((await claim(s.slug, { documentId: d.id, text: "Z", relaysClaimId: 987654 })).status).toBe(422);
    expect((await call(claimLinks.POST, { token, params: { id: y.id }, body: { kind: "supersedes", targetClaimId: x.id } })).status).toBe(201);
    const loop = await call(claimLinks.POST, { token, params: { id: x.id }, body: { kind: "supersedes", targetClaimId: y.id } });
    expect(loop.status).toBe(422);
    expect(loop.body.error.message).toMatch(/cycle/);
  });

  it("diffs document versions and serves OpenAPI from the same schemas", async () => {
    const d = (await doc({ title: "Versions" })).body;
    const v1 = await version(d.id, "It lasted two to three months.");
    const v2 = await version(d.id, "It lasted less than one month.", "2024-10-15");
    const diff = await call(documentDiff.GET, { url: `/?from=${v1.id}&to=${v2.id}`, params: { id: d.id } });
    expect(diff.body.ops).toContainEqual({ op: "insert", text: "less than one month" });
    const full = await call(documentRoute.GET, { params: { id: d.id } });
    expect(full.body.versions.map((v: any) => v.sha256)).toHaveLength(2);
    const spec = await call(openapi.GET);
    expect(spec.body.openapi).toBe("3.1.0");
    const logClaim = spec.body.paths["/api/stories/{slug}/claims"].post;
    expect(logClaim.requestBody.content["application/json"].schema.required).toEqual(expect.arrayContaining(["documentId", "text"]));
    expect(logClaim.security).toEqual([{ bearer: [] }]);
  });

  it("answers a new claim with the rows as stored, and its audit event records the same", async () => {
    const s = await story("api-claim-record");
    const d = (await doc({ outlet: { name: "Record Herald" }, publishedAt: "2024-05-02" })).body;
    const startedAt = Date.now();
    const first = await claim(s.slug, { documentId: d.id, text: "  The first report.  ", speaker: "an insider" });
    const second = await claim(s.slug, { documentId: d.id, text: "The second report.", relaysClaimId: first.body.id });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBeGreaterThan(first.body.id);

    const [stored] = await rows<Record<string, unknown>>(
      database.db,
      sql`select c.id, c.story_id, c.revision, c.created_at as claim_created, r.text, r.relays_claim_id, r.created_at as revision_created
          from claims c join claim_revisions r on r.claim_id = c.id where c.id = ${second.body.id}`,
    );
    const createdAt = new Date(String(second.body.createdAt));
    expect(createdAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(new Date(String(stored!.claim_created)).toISOString()).toBe(createdAt.toISOString());
    expect(new Date(String(stored!.revision_created)).toISOString()).toBe(second.body.current.createdAt);
    expect(stored).toMatchObject({ text: "The second report.", relays_claim_id: first.body.id, revision: 1 });

    const read = await call(claimRoute.GET, { url: "/", params: { id: first.body.id } });
    expect(read.body.claim).toMatchObject({ id: first.body.id, text: "The first report.", speaker: "an insider", createdAt: first.body.createdAt });

    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.entity, "claim"), eq(auditEvents.entityId, String(second.body.id))));
    expect(event).toMatchObject({ action: "create", after: second.body });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("keeps an audit chain that verifies, and names the event where it was tampered with", async () => {
    const ok = await call(auditVerify.GET);
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.events).toBeGreaterThan(10);
    // Tampering needs a superuser who switches the append-only trigger off first.
    await database.db.transaction(async (tx) => {
      await tx.execute("set local session_replication_role = replica" as never);
      await tx.execute(`update audit_events set actor = 'mallory' where id = 3` as never);
    });
    const broken = await call(auditVerify.GET);
    expect(broken.status).toBe(409);
    expect(broken.body).toMatchObject({ ok: false, brokenAt: 3 });
    expect((await verifyAuditChain(database.db)).ok).toBe(false);
  });
});
