import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataset, loadDataset } from "@/bench/dataset";
import { useDatabase } from "@/db";
import { systemActor } from "@/lib/audit";
import { invalidateAll } from "@/lib/cache";
import type { ClaimOutline, ClaimView } from "@/lib/claims";
import { createClaim, linkClaims } from "@/lib/claims";
import type { ClockQuery } from "@/lib/clock";
import { addVersion } from "@/lib/documents";
import { readStoryPicture } from "@/lib/provenance";
import { CLAIM_LIMIT, pictureOf } from "@/lib/provenance/picture";
import { DEMO_VERSIONS } from "@/lib/seed/demo";
import { seededTestDatabase, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { claimInput } from "@/lib/validation";
import { createStory, readStory, readStoryOutline, readStoryPage, type TimelineEvent } from "./index";
import { ANSWERS_SHOWN, TIMELINE_PAGE } from "./page";

// The page reads a story as outlines and only the claims it shows in full: what it derives must be
// what the full read derives, claim by claim, and what it shows must be the full read's claims.

/** The fields of a full claim that its outline carries. */
const outlineOf = (c: ClaimView): ClaimOutline => ({
  id: c.id,
  storyId: c.storyId,
  questionId: c.questionId,
  assertedAt: c.assertedAt,
  createdAt: c.createdAt,
  revision: c.revision,
  relaysClaimId: c.relaysClaimId,
  outlet: c.outlet,
  sourceEdits: c.sourceEdits,
  status: c.status,
  causes: c.causes,
  relayOf: c.relayOf,
});

const ids = (claims: { id: number }[]) => claims.map((c) => c.id);

const eventKey = (e: TimelineEvent<ClaimOutline>) =>
  e.type === "link" ? `${e.at.toISOString()} link ${e.link.id} ${e.from.id}>${e.to.id} ${e.toRelays?.id}` : `${e.at.toISOString()} ${e.type} ${e.claim.id}`;

async function expectOutlineLikeFull(slug: string, q: ClockQuery) {
  const [outline, full] = await Promise.all([readStoryOutline(slug, q), readStory(slug, q)]);
  expect(outline.claims).toEqual(full.claims.map(outlineOf));
  expect(outline.neighbours).toEqual(full.neighbours.map(outlineOf));
  expect(outline.links).toEqual(full.links);
  expect(outline.questions.map((x) => ({ id: x.id, best: x.best?.id, answers: ids(x.answers), replaced: ids(x.replaced), contested: x.contested }))).toEqual(
    full.questions.map((x) => ({ id: x.id, best: x.best?.id, answers: ids(x.answers), replaced: ids(x.replaced), contested: x.contested })),
  );
  expect(outline.timeline.map(eventKey)).toEqual(full.timeline.map(eventKey));
  expect(outline.stops).toEqual(full.stops);
  return { outline, full };
}

async function expectPageLikeFull(slug: string, q: ClockQuery, page?: number) {
  const [shown, full] = await Promise.all([readStoryPage(slug, { ...q, page }), readStory(slug, q)]);
  const pages = Math.max(1, Math.ceil(full.timeline.length / TIMELINE_PAGE));
  const at = Math.min(page ?? 1, pages);
  expect(shown.timeline).toMatchObject({ page: at, pages, first: (at - 1) * TIMELINE_PAGE + 1 });
  expect(shown.timeline.events).toEqual(full.timeline.slice((at - 1) * TIMELINE_PAGE, at * TIMELINE_PAGE));
  expect(shown.questions).toEqual(
    full.questions.map(({ best, answers, replaced, ...question }) => ({
      ...question,
      best,
      others: answers.slice(1, 1 + ANSWERS_SHOWN),
      unlisted: Math.max(0, answers.length - 1 - ANSWERS_SHOWN),
      replaced: replaced.slice(0, ANSWERS_SHOWN),
    })),
  );
  expect([shown.claimCount, shown.linkCount, shown.stops]).toEqual([full.claims.length, full.links.length, full.stops]);
  return shown;
}

describe(`the demo story from outlines, on ${testEngine()}`, () => {
  let database: TestDatabase;
  const SLUG = "who-reshot-ballerina";
  beforeAll(async () => {
    database = await seededTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("derives every status, answer, event and stop as the full read does, at every clock", async () => {
    for (const q of [{}, { asOf: new Date("2024-10-14T12:00:00Z") }, { knownAt: new Date("2020-01-01") }]) await expectOutlineLikeFull(SLUG, q);
    const { full } = await expectOutlineLikeFull(SLUG, {});
    expect(full.claims.map((c) => c.status)).toContain("corrected");
  });

  it("shows the full read's claims on its page", async () => {
    const page = await expectPageLikeFull(SLUG, {});
    expect(page.questions.some((q) => q.best && q.replaced.length)).toBe(true);
    await expectPageLikeFull(SLUG, { asOf: new Date("2024-10-14T12:00:00Z") });
    // Beyond the last page: the last page, as before.
    await expectPageLikeFull(SLUG, {}, 7);
  });

  it("keeps a source's silent edits and a relay of a claim in another story", async () => {
    const actor = systemActor("test");
    const story = await readStory(SLUG);
    const relay = story.claims.find((c) => c.relaysClaimId !== null)!;
    await addVersion(database.db, actor, relay.document.id, {
      text: DEMO_VERSIONS.updated.replace("reshooting “most of the movie,” after", "reshooting after"),
      seenAt: new Date("2024-10-16T09:00:00Z"),
    });
    await createStory(database.db, actor, { title: "Elsewhere", slug: "elsewhere" });
    const wrap = story.claims.find((c) => c.relaysClaimId === null && c.status === "disputed") ?? story.claims[0]!;
    const echo = await createClaim(database.db, actor, "elsewhere", claimInput.parse({ documentId: relay.document.id, text: "It was reshot, others say.", relaysClaimId: relay.id }));
    await linkClaims(database.db, actor, echo.id, { kind: "contradicts", targetClaimId: wrap.id });

    const { outline } = await expectOutlineLikeFull(SLUG, {});
    expect(outline.timeline.some((e) => e.type === "source-edit")).toBe(true);
    await expectOutlineLikeFull(SLUG, { asOf: new Date("2024-10-16T08:59:59Z") });
    await expectPageLikeFull(SLUG, {});
    // The other story's neighbours are the demo story's claims it relays and contradicts.
    const elsewhere = await expectOutlineLikeFull("elsewhere", {});
    expect(ids(elsewhere.outline.neighbours).sort()).toEqual([relay.id, wrap.id].sort());
    expect(elsewhere.outline.claims[0]!.relayOf).toEqual(elsewhere.full.claims[0]!.relayOf);
    await expectPageLikeFull("elsewhere", {});
  });

  it("reads a date stored finer than a millisecond as the full read does, before 1970 too", async () => {
    const actor = systemActor("test");
    await createStory(database.db, actor, { title: "Fine times", slug: "fine-times" });
    const { documentId } = (await readStory(SLUG)).claims[0]!;
    const [late, early] = await Promise.all(
      ["Said late in its millisecond.", "Said before 1970."].map((text) => createClaim(database.db, actor, "fine-times", claimInput.parse({ documentId, text }))),
    );
    await database.db.execute(sql`update claims set asserted_at = '2024-10-14 12:00:00.999999+00', created_at = '2024-10-15 08:00:00.000999+00' where id = ${late!.id}`);
    await database.db.execute(sql`update claims set asserted_at = '1969-12-31 23:59:59.9995+00', created_at = '2024-10-15 08:00:00.5005+00' where id = ${early!.id}`);
    invalidateAll();
    const { outline } = await expectOutlineLikeFull("fine-times", {});
    expect(outline.claims.map((c) => [c.id, c.assertedAt.toISOString(), c.createdAt.toISOString()])).toEqual([
      [early!.id, "1969-12-31T23:59:59.999Z", "2024-10-15T08:00:00.500Z"],
      [late!.id, "2024-10-14T12:00:00.999Z", "2024-10-15T08:00:00.000Z"],
    ]);
  });
});

describe(`a story too large to show whole, on ${testEngine()}`, () => {
  let database: TestDatabase;
  const data = generateDataset({ seed: 11, stories: 4, claims: 420, largestStoryClaims: 300, links: 240, outlets: 9, documents: 80 });
  const slug = data.probes.largeStorySlug;
  const middle = data.claims.filter((c) => c.storyId === 1)[150]!;
  beforeAll(async () => {
    database = await testDatabase();
    useDatabase(database);
    await loadDataset(database.db, data);
  });
  afterAll(async () => {
    await database.close();
  });

  it("derives the same account from outlines, now, as of a date and as known at a date", async () => {
    for (const q of [{}, { asOf: middle.assertedAt }, { knownAt: middle.createdAt }]) await expectOutlineLikeFull(slug, q);
    const { full } = await expectOutlineLikeFull(slug, {});
    expect(new Set(full.claims.map((c) => c.status)).size).toBeGreaterThanOrEqual(4);
    expect(full.claims.some((c) => c.relayOf)).toBe(true);
  });

  it("reads in full only what a page shows, on every page", async () => {
    const first = await expectPageLikeFull(slug, {});
    expect(first.timeline.pages).toBeGreaterThan(10);
    expect(first.questions.some((q) => q.unlisted > 0)).toBe(true);
    await expectPageLikeFull(slug, {}, 2);
    await expectPageLikeFull(slug, {}, first.timeline.pages);
    await expectPageLikeFull(slug, { asOf: middle.assertedAt }, 3);
  });

  it("reads a page in as many queries as a small story's", async () => {
    const queriesFor = async (story: string) => {
      invalidateAll();
      const start = database.queryCount();
      await readStoryPage(story, { page: 2 });
      return database.queryCount() - start;
    };
    const small = data.stories.find((s) => s.slug !== slug)!.slug;
    expect(await queriesFor(slug)).toBe(await queriesFor(small));
    expect(await queriesFor(slug)).toBeLessThanOrEqual(10);
  });

  it("draws the same grouped picture from outlines as from full claims", async () => {
    const full = await readStory(slug);
    expect(full.claims.length).toBeGreaterThan(CLAIM_LIMIT);
    const { picture } = await readStoryPicture(slug);
    expect(picture.grouped).not.toBeNull();
    expect(picture).toEqual(
      pictureOf({
        title: `Who reported what in “${full.story.title}”, and who relayed or answered whom`,
        questions: full.questions,
        claims: full.claims,
        neighbours: full.neighbours,
        links: full.links,
        listHref: `/stories/${slug}#timeline`,
      }),
    );
  });
});
