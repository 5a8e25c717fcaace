import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, useDatabase } from "@/db";
import { verifyAuditChain } from "@/lib/audit";
import { actorOf } from "@/lib/auth/editors";
import { createClaim, readClaim } from "@/lib/claims";
import { readStory } from "@/lib/stories";
import { makeEditor, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { claimInput } from "@/lib/validation";
import { generateDataset, loadDataset, type DatasetShape } from "./dataset";

const small: Partial<DatasetShape> = { seed: 7, stories: 12, claims: 600, largestStoryClaims: 200, links: 180, outlets: 4, documents: 60 };

describe("generateDataset", () => {
  const data = generateDataset(small);
  const claimById = new Map(data.claims.map((c) => [c.id, c]));

  it("is the same for the same seed and differs for another", () => {
    expect(JSON.stringify(generateDataset(small))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateDataset({ ...small, seed: 8 }))).not.toBe(JSON.stringify(data));
  });

  it("has exactly the sizes asked for", () => {
    expect(data.stories).toHaveLength(12);
    expect(data.claims).toHaveLength(600);
    expect(data.claimRevisions).toHaveLength(600);
    expect(data.links).toHaveLength(180);
    const perStory = new Map<number, number>();
    for (const c of data.claims) perStory.set(c.storyId, (perStory.get(c.storyId) ?? 0) + 1);
    expect(perStory.get(1)).toBe(200);
    expect(new Set([...perStory].filter(([id]) => id !== 1).map(([, n]) => n))).toEqual(new Set([36, 37]));
    expect(data.probes).toMatchObject({ largeStorySlug: data.stories[0]!.slug, largeStoryClaims: 200 });
  });

  it("links go from a claim to an older one of the same story, once per pair", () => {
    const pairs = new Set<string>();
    for (const l of data.links) {
      const from = claimById.get(l.fromClaimId)!;
      const to = claimById.get(l.toClaimId)!;
      expect(from.storyId).toBe(to.storyId);
      expect(from.id).toBeGreaterThan(to.id);
      expect(from.assertedAt.getTime()).toBeGreaterThanOrEqual(to.assertedAt.getTime());
      pairs.add(`${l.fromClaimId}>${l.toClaimId}`);
    }
    expect(pairs.size).toBe(data.links.length);
    expect(new Set(data.links.map((l) => l.kind)).size).toBe(5);
  });

  it("relays point to an older claim of the same story, so they cannot loop", () => {
    const relays = data.claimRevisions.filter((r) => r.relaysClaimId != null);
    expect(relays.length).toBeGreaterThan(0);
    for (const r of relays) {
      const origin = claimById.get(r.relaysClaimId!)!;
      expect(origin.id).toBeLessThan(r.claimId);
      expect(origin.storyId).toBe(claimById.get(r.claimId)!.storyId);
    }
  });

  it("records nothing before what it depends on was recorded", () => {
    const documents = new Map(data.documents.map((d) => [d.id, d]));
    for (const c of data.claims) {
      expect(c.createdAt.getTime()).toBeGreaterThan(c.assertedAt.getTime());
      expect(c.createdAt.getTime()).toBeGreaterThan(documents.get(c.documentId)!.createdAt.getTime());
    }
    for (const l of data.links) {
      expect(l.createdAt!.getTime()).toBeGreaterThanOrEqual(claimById.get(l.fromClaimId)!.createdAt.getTime());
      expect(l.createdAt!.getTime()).toBeGreaterThanOrEqual(claimById.get(l.toClaimId)!.createdAt.getTime());
    }
  });

  it("quotes are verbatim in the version their claim cites", () => {
    const versions = new Map(data.documentVersions.map((v) => [v.id, v]));
    const quoted = data.claimRevisions.filter((r) => r.quote);
    expect(quoted.length).toBeGreaterThan(0);
    for (const r of quoted) {
      const claim = claimById.get(r.claimId)!;
      const version = versions.get(claim.versionId!)!;
      expect(version.documentId).toBe(claim.documentId);
      expect(version.text).toContain(`${r.quotePrefix}${r.quote}${r.quoteSuffix}`);
    }
  });
});

describe(`loadDataset on ${testEngine()}`, () => {
  let database: TestDatabase;
  const data = generateDataset(small);
  beforeAll(async () => {
    database = await testDatabase();
    useDatabase(database);
    await loadDataset(database.db, data);
  });
  afterAll(async () => {
    await database.close();
  });

  it("loads every row and writes no audit event", async () => {
    const [counts] = await rows<{ claims: number; links: number; revisions: number }>(
      database.db,
      sql`select (select count(*)::int from claims) as claims, (select count(*)::int from links) as links, (select count(*)::int from claim_revisions) as revisions`,
    );
    expect(counts).toEqual({ claims: 600, links: 180, revisions: 600 });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, events: 0 });
  });

  it("reads back through the app's own queries", async () => {
    const view = await readStory(data.probes.largeStorySlug);
    expect(view.claims).toHaveLength(200);
    const detail = await readClaim(data.probes.claimId);
    expect(detail.linksIn.length + detail.linksOut.length).toBe(data.probes.claimLinks);
  });

  it("leaves the id sequences past the loaded ids, so the app's writes succeed", async () => {
    const { editor } = await makeEditor(database.db);
    const claim = await createClaim(
      database.db,
      actorOf(editor),
      data.probes.storySlug,
      claimInput.parse({ documentId: 1, text: "A claim written after the bulk load." }),
    );
    expect(claim.id).toBe(601);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
