import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentVersions, versionNotices } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { addVersion } from "@/lib/documents";
import { DEMO_VERSIONS } from "@/lib/seed/demo";
import { readStory } from "@/lib/stories";
import { seededTestDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import * as storyJson from "@/app/stories/[slug]/feed.json/route";
import { call } from "@/lib/testing/http";
import { readClaim } from "./index";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const RELAY_WHO = "Chad Stahelski reshot most of Ballerina, The Wrap reports.";

describe(`quotes looked for in new versions, on ${testEngine()}`, () => {
  it("finds the relay's quotes in ComicBook's second version; a third that drops “most of the movie” marks that claim removed, on the known clock", async () => {
    const story = await readStory("who-reshot-ballerina");
    const relay = story.claims.find((c) => c.text === RELAY_WHO)!;
    const comicbook = relay.document.id;
    const versions = await database.db.select().from(documentVersions).where(eq(documentVersions.documentId, comicbook)).orderBy(documentVersions.id);
    expect(versions).toHaveLength(2);
    // Claimed from version 1, each relay's quote is found as it was in version 2.
    for (const claim of story.claims.filter((c) => c.relaysClaimId !== null)) {
      expect([claim.text, claim.anchor]).toEqual([claim.text, { state: "present", versionId: versions[1]!.id, checkedVersionId: versions[1]!.id, since: versions[0]!.seenAt }]);
    }

    const seenAt = new Date("2024-10-16T09:00:00Z");
    const third = await addVersion(database.db, systemActor("test"), comicbook, { text: DEMO_VERSIONS.updated.replace("reshooting “most of the movie,” after", "reshooting after"), seenAt });
    const now = await readClaim(relay.id);
    expect(now.anchor).toEqual({ state: "removed", versionId: versions[1]!.id, checkedVersionId: third.id, since: seenAt });
    expect(now.claim.sourceEdits).toEqual([expect.objectContaining({ state: "removed", seenAt, versionId: third.id, fromVersionId: versions[1]!.id, found: null })]);
    // The other relays' quotes are still there.
    const other = story.claims.find((c) => c.relaysClaimId !== null && c.id !== relay.id)!;
    expect((await readClaim(other.id)).anchor).toMatchObject({ state: "present", versionId: third.id });

    // One feed item says so, dated when Claimtrail recorded it, naming the version it saw.
    const feed = await call(storyJson.GET, { url: "/stories/who-reshot-ballerina/feed.json?kinds=quotes", params: { slug: "who-reshot-ballerina" } });
    expect(feed.body.items).toHaveLength(1);
    expect(feed.body.items[0]).toMatchObject({
      id: `urn:claimtrail:quote:${now.claim.sourceEdits[0]!.checkId}`,
      title: "ComicBook removed a passage a claim quotes: “Stahelski was involved with reshooting “most of the movie,””",
      _claimtrail: { event: "quote", state: "removed", claim_id: relay.id, version_id: third.id },
    });
    expect(Date.parse(feed.body.items[0].date_published)).toBe(now.claim.sourceEdits[0]!.recordedAt.getTime());

    // The story's timeline carries the edit, and its as-of view can stop there.
    const after = await readStory("who-reshot-ballerina");
    expect(after.timeline.filter((e) => e.type === "source-edit").map((e) => [e.at, e.claim.id])).toEqual([[seenAt, relay.id]]);
    expect(after.stops.map((d) => d.getTime())).toContain(seenAt.getTime());
    expect(story.stops.map((d) => d.getTime())).not.toContain(seenAt.getTime());
    const before = await readStory("who-reshot-ballerina", { asOf: new Date("2024-10-16T08:59:59Z") });
    expect(before.timeline.some((e) => e.type === "source-edit")).toBe(false);
    expect(before.stops).toEqual(after.stops);

    // On the published clock, before the version was seen, the quote stands; so it does as known before it was recorded.
    expect((await readClaim(relay.id, { asOf: new Date("2024-10-15T12:00:00Z") })).anchor.state).toBe("present");
    expect((await readClaim(relay.id, { knownAt: new Date(now.claim.sourceEdits[0]!.recordedAt.getTime() - 1) })).anchor.state).toBe("present");
  });

  it("reports a reworded quote as changed, with the new wording, and a quote never verified as unanchored", async () => {
    const story = await readStory("who-reshot-ballerina");
    const update = story.claims.find((c) => c.text.startsWith("The additional photography lasted"))!;
    const reworded = DEMO_VERSIONS.updated.replace("This additional photography only spanned less than one month", "This additional photography only lasted less than one month");
    const version = await addVersion(database.db, systemActor("test"), update.document.id, { text: reworded, seenAt: new Date("2024-10-17") });
    const detail = await readClaim(update.id);
    expect(detail.anchor).toMatchObject({ state: "changed", checkedVersionId: version.id });
    expect(detail.claim.sourceEdits.at(-1)).toMatchObject({ state: "changed", found: "This additional photography only lasted less than one month" });
    const wrap = story.claims.find((c) => c.text.startsWith("Chad Stahelski reshot most of Ballerina."))!;
    expect((await readClaim(wrap.id)).anchor).toEqual({ state: "unanchored", versionId: null, checkedVersionId: null, since: null });
  });

  it("marks the correction notice a new version adds, quoting it", async () => {
    const story = await readStory("who-reshot-ballerina");
    const comicbook = story.claims.find((c) => c.text === RELAY_WHO)!.document.id;
    const [first, second] = await database.db.select().from(documentVersions).where(eq(documentVersions.documentId, comicbook)).orderBy(documentVersions.id);
    const notices = await database.db.select().from(versionNotices);
    // The demo's second version added ComicBook's update note; the first, as first seen, is no change.
    expect(notices.filter((n) => n.versionId === first!.id)).toEqual([]);
    expect(notices.filter((n) => n.versionId === second!.id).map((n) => [n.kind, n.notice])).toEqual([["update", DEMO_VERSIONS.updated.split("\n\n")[0]]]);
  });
});
