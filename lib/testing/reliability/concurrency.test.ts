import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, useDatabase } from "@/db";
import { claimRevisions, claims, links } from "@/db/schema";
import * as claimRoute from "@/app/api/claims/[id]/route";
import { countAuditEvents, verifyAuditChain, type Actor } from "@/lib/audit";
import { actorOf } from "@/lib/auth/editors";
import { createClaim, linkClaims, reviseClaim, type ClaimWithRevision } from "@/lib/claims";
import { createDocument } from "@/lib/documents";
import { AppError, toAppError } from "@/lib/errors";
import { createStory } from "@/lib/stories";
import { makeEditor, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { documentInput } from "@/lib/validation";

const WRITERS = 50;

let database: TestDatabase;
let actor: Actor;
let token: string;
let storySlug: string;
let documentId: number;

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  const made = await makeEditor(database.db);
  actor = actorOf(made.editor);
  token = made.token;
  storySlug = (await createStory(database.db, actor, { title: "Concurrent writers" })).slug;
  documentId = (await createDocument(database.db, actor, documentInput.parse({ outlet: { name: "Race Desk" }, title: "Under load", publishedAt: "2024-06-01" }))).document.id;
});
afterAll(async () => {
  await database.close();
});

const newClaim = (text: string, assertedAt = new Date("2024-06-01")) => createClaim(database.db, actor, storySlug, { documentId, text, assertedAt });

/** Runs every writer at once; each outcome is a value or the AppError the API would answer with. */
async function together<T>(writers: (() => Promise<T>)[]): Promise<{ ok: T[]; errors: AppError[] }> {
  const settled = await Promise.allSettled(writers.map((w) => w()));
  return {
    ok: settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : [])),
    errors: settled.flatMap((s) => (s.status === "rejected" ? [toAppError(s.reason)] : [])),
  };
}

const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

describe(`${WRITERS} concurrent writers on ${testEngine()}`, () => {
  it("same-base edits to one claim: exactly one wins, the rest get a conflict, no text is lost", async () => {
    const claim = await newClaim("The original wording.");
    const events = await countAuditEvents(database.db);
    const { ok, errors } = await together(times(WRITERS, (i) => () => reviseClaim(database.db, actor, claim.id, { text: `Edit number ${i}.`, reason: `writer ${i}`, baseRevision: 1 })));

    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(WRITERS - 1);
    expect(errors.every((e) => e.code === "conflict" && e.status === 409)).toBe(true);
    const [row] = await database.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(row!.revision).toBe(2);
    const history = await database.db.select().from(claimRevisions).where(eq(claimRevisions.claimId, claim.id)).orderBy(claimRevisions.revision);
    expect(history.map((r) => r.text)).toEqual(["The original wording.", ok[0]!.current.text]);
    expect(await countAuditEvents(database.db)).toBe(events + 1);
  });

  it("writers that retry on conflict from the revision they were shown all land, in order, none lost", async () => {
    const claim = await newClaim("Start.");
    const writers = 20;
    const write = async (i: number): Promise<ClaimWithRevision> => {
      let base = 1;
      for (;;) {
        try {
          return await reviseClaim(database.db, actor, claim.id, { text: `Writer ${i} was here.`, reason: `writer ${i}`, baseRevision: base });
        } catch (err) {
          const error = toAppError(err);
          if (error.code !== "conflict") throw err;
          base = (error.details?.current as { revision: number }).revision;
        }
      }
    };
    const { ok, errors } = await together(times(writers, (i) => () => write(i)));
    expect(errors).toEqual([]);
    expect(ok.map((c) => c.revision).sort((a, b) => a - b)).toEqual(times(writers, (i) => i + 2));
    const history = await database.db.select().from(claimRevisions).where(eq(claimRevisions.claimId, claim.id));
    expect(new Set(history.map((r) => r.text))).toEqual(new Set(["Start.", ...times(writers, (i) => `Writer ${i} was here.`)]));
  }, 120_000);

  it("the same PATCH sent fifty times over HTTP: one 200, forty-nine 409 naming the current revision", async () => {
    const claim = await newClaim("Patched by many.");
    const responses = await Promise.all(
      times(WRITERS, (i) => call(claimRoute.PATCH, { method: "PATCH", token, params: { id: claim.id }, body: { text: `Patch ${i}`, reason: "race", baseRevision: 1 } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(WRITERS - 1);
    for (const r of responses.filter((r) => r.status === 409)) expect(r.body.error.current.revision).toBeGreaterThanOrEqual(1);
  });

  for (const kind of ["corrects", "contradicts"] as const) {
    it(`identical '${kind}' links: exactly one row, the rest get a conflict`, async () => {
      const older = await newClaim(`Older, to be ${kind === "corrects" ? "corrected" : "contradicted"}.`, new Date("2024-06-01"));
      const newer = await newClaim("Newer.", new Date("2024-06-02"));
      const { ok, errors } = await together(times(WRITERS, () => () => linkClaims(database.db, actor, newer.id, { kind, targetClaimId: older.id })));
      expect(ok).toHaveLength(1);
      expect(errors).toHaveLength(WRITERS - 1);
      expect(errors.every((e) => e.code === "conflict")).toBe(true);
      const found = await database.db.select().from(links).where(and(eq(links.fromClaimId, newer.id), eq(links.toClaimId, older.id)));
      expect(found).toHaveLength(1);
    });
  }

  it("different claims created at once: every one is stored, once, with its revision", async () => {
    const { ok, errors } = await together(times(WRITERS, (i) => () => newClaim(`Parallel claim ${i}.`)));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((c) => c.id)).size).toBe(WRITERS);
    const [stored] = await rows<{ claims: number; revisions: number }>(
      database.db,
      sql`select count(distinct c.id)::int as claims, count(r.*)::int as revisions
          from claims c join claim_revisions r on r.claim_id = c.id
          where r.text like 'Parallel claim %'`,
    );
    expect(stored).toEqual({ claims: WRITERS, revisions: WRITERS });
  });

  it("the audit chain verifies after all of it", async () => {
    const verdict = await verifyAuditChain(database.db);
    expect(verdict).toMatchObject({ ok: true });
    // Every stored claim, revision and link has its event: nothing slipped past the chain.
    const [counts] = await rows<{ revisions: number; revise_events: number; links: number; link_events: number }>(
      database.db,
      sql`select (select count(*)::int from claim_revisions where revision > 1) as revisions,
                 (select count(*)::int from audit_events where entity = 'claim' and action = 'revise') as revise_events,
                 (select count(*)::int from links) as links,
                 (select count(*)::int from audit_events where entity = 'link') as link_events`,
    );
    expect(counts!.revise_events).toBe(counts!.revisions);
    expect(counts!.link_events).toBe(counts!.links);
  });
});
