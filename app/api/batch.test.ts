import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, useDatabase } from "@/db";
import { verifyAuditChain } from "@/lib/audit";
import { openApiDocument } from "@/lib/openapi";
import { makeEditor, tableCounts, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { call, fixtureWrite } from "@/lib/testing/http";
import { MAX_BATCH_BYTES, MAX_BATCH_LINES } from "@/lib/validation";
import * as claimLinks from "./claims/[id]/links/route";
import * as claimRoute from "./claims/[id]/route";
import * as documentVersions from "./documents/[id]/versions/route";
import * as documents from "./documents/route";
import { API_ROUTES } from "./routes";
import * as batch from "./stories/[slug]/claims/batch/route";
import * as storyClaims from "./stories/[slug]/claims/route";
import * as stories from "./stories/route";
import * as webhooks from "./webhooks/route";

let database: TestDatabase;
let token: string;
let readToken: string;
let admin: string;
// Sources every test cites: an origin whose second version drops the quoted passage, a relay, a correction.
const f = { origin: 0, firstVersion: 0, relayDoc: 0, fixDoc: 0 };
const FIRST = "Sources say the film was shot in Budapest over the summer, with reshoots in March.";
const SECOND = "Sources say the film was shot over the summer, with reshoots in March.";

const post = (handler: Parameters<typeof call>[0], params: Record<string, string | number>, body: unknown) => fixtureWrite(handler, token, params, body);

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  token = (await makeEditor(database.db)).token;
  readToken = (await makeEditor(database.db, "editor", "read")).token;
  admin = (await makeEditor(database.db, "admin")).token;
  // Every kind of event, site-wide: each event the writes make gets one delivery.
  const hook = await call(webhooks.POST, { token: admin, body: { url: "https://hooks.example.org/in", events: ["claim", "link", "quote", "status"] } });
  expect(hook.status).toBe(201);
  const doc = async (outlet: string, publishedAt: string) => (await post(documents.POST, {}, { outlet: { name: outlet }, title: `${outlet} report`, publishedAt })).id as number;
  f.origin = await doc("Origin Times", "2024-03-01");
  f.relayDoc = await doc("Relay Daily", "2024-03-02");
  f.fixDoc = await doc("Fix Weekly", "2024-03-05");
  f.firstVersion = (await post(documentVersions.POST, { id: f.origin }, { text: FIRST, seenAt: "2024-03-01" })).id;
  await post(documentVersions.POST, { id: f.origin }, { text: SECOND, seenAt: "2024-03-04" });
  await post(documentVersions.POST, { id: f.relayDoc }, { text: "As Origin Times said, it was shot in Prague.", seenAt: "2024-03-02" });
  await post(documentVersions.POST, { id: f.fixDoc }, { text: "Correction: it was shot in Budapest, not Prague.", seenAt: "2024-03-05" });
});
afterAll(async () => {
  await database.close();
});

const send = (slug: string, body: string, auth: string | null = token) =>
  call(batch.POST, { token: auth ?? undefined, params: { slug }, rawBody: body, headers: { "content-type": "application/x-ndjson" } });
const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");

async function newStory(slug: string) {
  await post(stories.POST, {}, { title: `Story ${slug}`, slug });
}

/** What a test can compare between two ways of writing the same story: everything derived, by the claims' roles. */
async function trail(roles: Record<string, number>) {
  const role = new Map(Object.entries(roles).map(([name, id]) => [id, name]));
  const ids = Object.values(roles);
  const [statuses, checks, deliveries] = await Promise.all([
    rows<{ claim_id: number; before: string; after: string; reason: string }>(
      database.db,
      sql`select claim_id, before, after, reason from status_events where claim_id = any(${`{${ids.join(",")}}`}::int[]) order by id`,
    ),
    rows<{ claim_id: number; state: string }>(database.db, sql`select claim_id, state from quote_checks where claim_id = any(${`{${ids.join(",")}}`}::int[]) order by id`),
    rows<{ kind: string; n: number }>(
      database.db,
      sql`select d.event_kind::text as kind, count(*)::int as n from webhook_deliveries d
          where (d.payload -> 'data' ->> 'claimId')::int = any(${`{${ids.join(",")}}`}::int[])
             or (d.payload -> 'data' ->> 'fromClaimId')::int = any(${`{${ids.join(",")}}`}::int[])
          group by 1 order by 1`,
    ),
  ]);
  return {
    statuses: statuses.map((s) => ({ claim: role.get(Number(s.claim_id)), before: s.before, after: s.after, reason: s.reason })),
    checks: checks.map((c) => ({ claim: role.get(Number(c.claim_id)), state: c.state })),
    deliveries: Object.fromEntries(deliveries.map((d) => [d.kind, Number(d.n)])),
  };
}

const auditCount = async () => (await verifyAuditChain(database.db)).events;

describe(`POST /api/stories/{slug}/claims/batch on ${testEngine()}`, () => {
  it("writes claims and links naming each other by ref, one audit event each, and leaves the trail single writes leave", async () => {
    await newStory("batch-happy");
    await newStory("batch-single");
    // And one endpoint per story: its scope is read from the claims' rows as they are written.
    for (const story of ["batch-happy", "batch-single"]) {
      const hook = await call(webhooks.POST, { token: admin, body: { url: "https://hooks.example.org/story", scope: { story }, events: ["claim", "link", "quote", "status"] } });
      expect(hook.status).toBe(201);
    }
    const eventsBefore = await auditCount();
    const body = ndjson(
      { claim: { documentId: f.origin, versionId: f.firstVersion, text: "It was shot in Budapest.", quote: "shot in Budapest", speaker: "sources" }, ref: "origin" },
      { claim: { documentId: f.relayDoc, text: "It was shot in Prague.", quote: "shot in Prague", relaysClaimId: "origin" }, ref: "relay" },
      "",
      { claim: { documentId: f.fixDoc, text: "It was shot in Budapest, not Prague.", quote: "shot in Budapest, not Prague" }, ref: "fix" },
      { link: { from: "fix", to: "relay", kind: "contradicts" } },
      { link: { from: "fix", to: "origin", kind: "corrects", note: "Correction notice" } },
    );
    const res = await send("batch-happy", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [origin, relay, fix] = res.body.claims;
    expect(res.body.claims).toEqual([
      { line: 1, ref: "origin", id: expect.any(Number) },
      { line: 2, ref: "relay", id: expect.any(Number) },
      { line: 4, ref: "fix", id: expect.any(Number) },
    ]);
    expect(res.body.links).toEqual([
      { line: 5, id: expect.any(Number), fromClaimId: fix.id, toClaimId: relay.id, kind: "contradicts" },
      { line: 6, id: expect.any(Number), fromClaimId: fix.id, toClaimId: origin.id, kind: "corrects" },
    ]);

    // One audit event per claim and per link, and the chain still verifies.
    expect(await auditCount()).toBe(eventsBefore + 5);
    const [audit] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_events where (entity = 'claim' and entity_id = any(${`{${[origin.id, relay.id, fix.id].join(",")}}`}::text[]))
          or (entity = 'link' and entity_id = any(${`{${res.body.links.map((l: { id: number }) => l.id).join(",")}}`}::text[]))`,
    );
    expect(Number(audit!.n)).toBe(5);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);

    // The claims read back as single writes make them: anchored quote, relay chain, links, dates.
    const detail = await call(claimRoute.GET, { url: `/api/claims/${relay.id}`, params: { id: relay.id } });
    expect(detail.status).toBe(200);
    expect(detail.body.relayChain.map((c: { id: number }) => c.id)).toEqual([origin.id]);
    expect(detail.body.claim.status).toBe("disputed");
    const originDetail = await call(claimRoute.GET, { url: `/api/claims/${origin.id}`, params: { id: origin.id } });
    expect(originDetail.body.claim).toMatchObject({ status: "corrected", speaker: "sources", assertedAt: "2024-03-01T00:00:00.000Z", quote: "shot in Budapest" });
    expect(originDetail.body.anchor).toMatchObject({ state: "removed", versionId: f.firstVersion });

    // The same story written line by line through the single endpoints leaves the same trail.
    const one = (body: object) => post(storyClaims.POST, { slug: "batch-single" }, body);
    const sOrigin = await one({ documentId: f.origin, versionId: f.firstVersion, text: "It was shot in Budapest.", quote: "shot in Budapest", speaker: "sources" });
    const sRelay = await one({ documentId: f.relayDoc, text: "It was shot in Prague.", quote: "shot in Prague", relaysClaimId: sOrigin.id });
    const sFix = await one({ documentId: f.fixDoc, text: "It was shot in Budapest, not Prague.", quote: "shot in Budapest, not Prague" });
    await post(claimLinks.POST, { id: sFix.id }, { kind: "contradicts", targetClaimId: sRelay.id });
    await post(claimLinks.POST, { id: sFix.id }, { kind: "corrects", targetClaimId: sOrigin.id, note: "Correction notice" });

    const batched = await trail({ origin: origin.id, relay: relay.id, fix: fix.id });
    const single = await trail({ origin: sOrigin.id, relay: sRelay.id, fix: sFix.id });
    expect(batched).toEqual(single);
    // And the trail holds what a subscriber expects: claims, links, the removed quote, statuses.
    expect(batched.checks).toEqual([{ claim: "origin", state: "removed" }]);
    expect(batched.statuses.map((s) => [s.claim, s.before, s.after])).toEqual([
      ["relay", "standing", "disputed"],
      ["origin", "standing", "corrected"],
      ["relay", "disputed", "disputed; relays a corrected claim"],
    ]);
    // Each event once to the site-wide endpoint and once to the story's.
    expect(batched.deliveries).toEqual({ claim: 6, link: 4, quote: 2, status: 6 });
  });

  it("links to stored claims by id, and names a stored claim as what a new one relays", async () => {
    await newStory("batch-stored");
    const stored = await post(storyClaims.POST, { slug: "batch-stored" }, { documentId: f.relayDoc, text: "Shot in Prague, says Relay Daily." });
    const res = await send(
      "batch-stored",
      ndjson({ claim: { documentId: f.fixDoc, text: "Not Prague but Budapest.", relaysClaimId: stored.id } }, { link: { from: stored.id, to: stored.id, kind: "confirms" } }),
    );
    // A claim cannot be linked to itself, even by id.
    expect(res.status).toBe(422);
    expect(res.body.error.lines).toEqual([{ line: 2, message: "A claim cannot be linked to itself.", fields: { "link.to": ["Pick another claim."] } }]);
    const ok = await send("batch-stored", ndjson({ claim: { documentId: f.fixDoc, text: "Not Prague but Budapest." }, ref: "new" }, { link: { from: "new", to: stored.id, kind: "corrects" } }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.claims[0].ref).toBe("new");
    expect(ok.body.links[0]).toMatchObject({ fromClaimId: ok.body.claims[0].id, toClaimId: stored.id, kind: "corrects" });
    const detail = await call(claimRoute.GET, { url: `/api/claims/${stored.id}`, params: { id: stored.id } });
    expect(detail.body.claim.status).toBe("corrected");
  });

  it("refuses a batch with a bad line in the middle, naming every bad line and its fields, and writes nothing", async () => {
    await newStory("batch-bad");
    const before = await tableCounts(database.db);
    const events = await auditCount();
    const body = ndjson(
      { claim: { documentId: f.relayDoc, text: "A good first line." }, ref: "a" },
      { claim: { documentId: f.relayDoc, text: "" }, ref: "b" },
      { claim: { documentId: f.relayDoc, text: "A good third line." }, ref: "c" },
      "{not json",
      { link: { from: "c", to: "nobody", kind: "corrects" } },
      { claim: { documentId: 999_999, text: "Its document does not exist." } },
      { claim: { documentId: f.origin, text: "Misquoted.", quote: "shot in Vienna" } },
      { claim: { documentId: f.relayDoc, text: "Relays the bad line's claim.", relaysClaimId: "b" } },
      { link: { from: "c", to: "a", kind: "sings" } },
      { claim: { documentId: f.relayDoc, text: "A good last line." } },
    );
    const res = await send("batch-bad", body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("unprocessable");
    expect(res.body.error.message).toBe("Lines 2, 4, 5, 6, 7 and 9 have problems; nothing of the batch was written.");
    const lines = res.body.error.lines as { line: number; message: string; fields?: Record<string, string[]> }[];
    expect(lines.map((l) => l.line)).toEqual([2, 4, 5, 6, 7, 9]);
    const byLine = new Map(lines.map((l) => [l.line, l]));
    expect(byLine.get(2)!.fields).toEqual({ "claim.text": ["Statement is required."] });
    expect(byLine.get(4)!.message).toMatch(/^The line is not valid JSON/);
    expect(byLine.get(5)).toEqual({ line: 5, message: 'No claim on an earlier line has the ref "nobody".', fields: { "link.to": ["Unknown ref."] } });
    expect(byLine.get(6)!.fields).toEqual({ "claim.documentId": ["No such document."] });
    expect(byLine.get(7)!.fields).toEqual({ "claim.quote": ["Not found verbatim in the document text."] });
    expect(Object.keys(byLine.get(9)!.fields!)).toEqual(["link.kind"]);
    // Nothing of the batch: no row anywhere, no audit event.
    expect(await tableCounts(database.db)).toEqual(before);
    expect(await auditCount()).toBe(events);
  });

  it("reports a bad JSON line alone by its number", async () => {
    const before = await tableCounts(database.db);
    const res = await send("batch-bad", ndjson({ claim: { documentId: f.relayDoc, text: "Fine." } }, '{"claim": {"documentId": 1, "text": "unterminated}'));
    expect(res.status).toBe(422);
    expect(res.body.error.lines).toEqual([{ line: 2, message: expect.stringMatching(/^The line is not valid JSON/) }]);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("refuses refs that point forwards, at the claim itself, or twice at one name", async () => {
    const before = await tableCounts(database.db);
    const res = await send(
      "batch-bad",
      ndjson(
        { claim: { documentId: f.relayDoc, text: "Relays a later line.", relaysClaimId: "later" }, ref: "early" },
        { claim: { documentId: f.relayDoc, text: "Relays itself.", relaysClaimId: "self" }, ref: "self" },
        { claim: { documentId: f.relayDoc, text: "Named like line 1." }, ref: "early" },
        { claim: { documentId: f.relayDoc, text: "The later one." }, ref: "later" },
        { link: { from: "later", to: "early", kind: "confirms" }, ref: "x" },
      ),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.lines).toEqual([
      { line: 1, message: 'No claim on an earlier line has the ref "later".', fields: { "claim.relaysClaimId": ["Unknown ref."] } },
      { line: 2, message: "A claim cannot relay itself.", fields: { "claim.relaysClaimId": ["Pick another claim."] } },
      { line: 3, message: 'The ref "early" is already used on line 1.', fields: { ref: ["Each claim of a batch needs its own ref."] } },
      { line: 5, message: "The line has invalid fields.", fields: { ref: ["Only a claim takes a ref."] } },
    ]);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("holds links to linkClaims's rules: newer to older, no duplicate, no cycle of corrections", async () => {
    await newStory("batch-links");
    const stored = await post(storyClaims.POST, { slug: "batch-links" }, { documentId: f.relayDoc, text: "Stored claim." });
    const newer = await post(storyClaims.POST, { slug: "batch-links" }, { documentId: f.fixDoc, text: "Stored newer claim." });
    await post(claimLinks.POST, { id: newer.id }, { kind: "confirms", targetClaimId: stored.id });
    const before = await tableCounts(database.db);
    const res = await send(
      "batch-links",
      ndjson(
        { claim: { documentId: f.relayDoc, text: "Same day A.", assertedAt: "2024-03-03" }, ref: "a" },
        { claim: { documentId: f.relayDoc, text: "Same day B.", assertedAt: "2024-03-03" }, ref: "b" },
        { claim: { documentId: f.relayDoc, text: "Earliest.", assertedAt: "2024-01-01" }, ref: "old" },
        { link: { from: "a", to: "b", kind: "supersedes" } },
        { link: { from: "b", to: "a", kind: "corrects" } },
        { link: { from: "old", to: "a", kind: "confirms" } },
        { link: { from: newer.id, to: stored.id, kind: "confirms" } },
        { link: { from: "a", to: "b", kind: "supersedes" } },
        { link: { from: "a", to: 999_999, kind: "confirms" } },
      ),
    );
    expect(res.status).toBe(422);
    const lines = res.body.error.lines as { line: number; message: string }[];
    expect(lines.map((l) => [l.line, l.message])).toEqual([
      [5, "The claim of line 1 already replaces the claim of line 2: corrections cannot form a cycle."],
      [6, "A link goes from the newer claim to the older: the claim of line 3 predates the claim of line 1."],
      [7, `Claim ${newer.id} already confirms claim ${stored.id}.`],
      [8, "Line 4 already links the claim of line 1 to the claim of line 2 this way."],
      [9, "Claim 999999 does not exist."],
    ]);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("answers an unknown story with 404 and an empty body with 422", async () => {
    const before = await tableCounts(database.db);
    const unknown = await send("no-such-story", ndjson({ claim: { documentId: f.relayDoc, text: "Where to?" } }));
    expect(unknown.status).toBe(404);
    const empty = await send("batch-bad", "\n\n");
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/no lines/);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it(`refuses more than ${MAX_BATCH_LINES.toLocaleString("en")} lines or ${MAX_BATCH_BYTES.toLocaleString("en")} bytes with 413, writing nothing`, async () => {
    const before = await tableCounts(database.db);
    const line = JSON.stringify({ claim: { documentId: f.relayDoc, text: "One of too many." } });
    const tooMany = await send("batch-bad", Array.from({ length: MAX_BATCH_LINES + 1 }, () => line).join("\n"));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: "payload_too_large", message: expect.stringContaining(`line ${MAX_BATCH_LINES + 1}`) });
    const long = JSON.stringify({ claim: { documentId: f.relayDoc, text: "x".repeat(4_000) } });
    const tooLarge = await send("batch-bad", Array.from({ length: Math.ceil(MAX_BATCH_BYTES / long.length) + 1 }, () => long).join("\n"));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe("payload_too_large");
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("needs a write token before it reads the body: 401 without one, 403 with a read-only one", async () => {
    const before = await tableCounts(database.db);
    const body = ndjson({ claim: { documentId: f.relayDoc, text: "Anonymous." } });
    expect((await send("batch-bad", body, null)).status).toBe(401);
    expect((await send("batch-bad", body, "ct_unknown")).status).toBe(401);
    const forbidden = await send("batch-bad", body, readToken);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("forbidden");
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("writes a large batch whole: every claim, one audit event each, the chain intact", async () => {
    await newStory("batch-large");
    const events = await auditCount();
    const n = 600;
    const lines = Array.from({ length: n }, (_, i) => ({ claim: { documentId: f.relayDoc, text: `Claim number ${i}.`, ...(i > 0 && { relaysClaimId: `c${i - 1}` }) }, ref: `c${i}` }));
    const res = await send("batch-large", ndjson(...lines, { link: { from: `c${n - 1}`, to: "c0", kind: "confirms" } }));
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    expect(res.body.claims).toHaveLength(n);
    expect(new Set(res.body.claims.map((c: { id: number }) => c.id)).size).toBe(n);
    const [count] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from claims c join stories s on s.id = c.story_id where s.slug = 'batch-large'`);
    expect(Number(count!.n)).toBe(n);
    const verdict = await verifyAuditChain(database.db);
    expect(verdict).toMatchObject({ ok: true, events: events + n + 1 });
    const last = res.body.claims[n - 1].id;
    const detail = await call(claimRoute.GET, { url: `/api/claims/${last}`, params: { id: last } });
    expect(detail.body.claim.text).toBe(`Claim number ${n - 1}.`);
    expect(detail.body.relayChain[0].id).toBe(res.body.claims[n - 2].id);
    // The site-wide endpoint gets every claim's event and the link's, as for a small batch.
    const ids = `{${res.body.claims.map((c: { id: number }) => c.id).join(",")}}`;
    const deliveries = await rows<{ kind: string; n: number }>(
      database.db,
      sql`select d.event_kind::text as kind, count(*)::int as n from webhook_deliveries d
          where d.event_kind in ('claim', 'link')
            and ((d.payload -> 'data' ->> 'claimId')::int = any(${ids}::int[]) or (d.payload -> 'data' ->> 'fromClaimId')::int = any(${ids}::int[]))
          group by 1 order by 1`,
    );
    expect(deliveries.map((d) => [d.kind, Number(d.n)])).toEqual([
      ["claim", n],
      ["link", 1],
    ]);
  });

  it("writes nothing, audit events included, when PostgreSQL refuses its rows while their events are being hashed", async () => {
    await newStory("batch-refused");
    // A refusal the checks cannot foresee, as a constraint or a concurrent change could raise.
    await database.db.execute(sql`
      create function batch_test_refuse() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test'; end $$`);
    await database.db.execute(sql`create trigger batch_test_refuse before insert on claims for each row when (new.speaker = 'Refused') execute function batch_test_refuse()`);
    try {
      const before = await tableCounts(database.db);
      const events = await auditCount();
      // Enough claims that their events take several turns to hash, the first refused at once.
      const lines = Array.from({ length: 2_000 }, (_, i) => ({ claim: { documentId: f.relayDoc, text: `Refused claim ${i}.`, ...(i === 0 && { speaker: "Refused" }) } }));
      const res = await send("batch-refused", ndjson(...lines));
      const statementsAtAnswer = database.queryCount();
      expect(res.status).toBe(500);
      // The answer is the batch's last word: no statement of it goes out after the rollback.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(database.queryCount()).toBe(statementsAtAnswer);
      expect(await tableCounts(database.db)).toEqual(before);
      expect(await auditCount()).toBe(events);
    } finally {
      await database.db.execute(sql`drop trigger batch_test_refuse on claims`);
      await database.db.execute(sql`drop function batch_test_refuse()`);
    }
  });

  it("is described in OpenAPI: an NDJSON body of lines each as the line schema, and the errors it answers", () => {
    const post = openApiDocument(API_ROUTES).paths["/api/stories/{slug}/claims/batch"]!.post as {
      requestBody: { description: string; content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      responses: Record<string, unknown>;
      security: unknown[];
    };
    expect(Object.keys(post.requestBody.content)).toEqual(["application/x-ndjson"]);
    expect(Object.keys(post.requestBody.content["application/x-ndjson"]!.schema.properties).sort()).toEqual(["claim", "link", "ref"]);
    expect(post.requestBody.description).toContain("10,000 lines");
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["201", "401", "413", "422", "429"]));
    expect(post.security).toEqual([{ bearer: [] }]);
  });
});
