import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, documents, watches } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { readClaim } from "@/lib/claims";
import { addVersion, createDocument } from "@/lib/documents";
import { DEMO_VERSIONS } from "@/lib/seed/demo";
import { readStory } from "@/lib/stories";
import { seededTestDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { documentInput } from "@/lib/validation";
import { readInbox, resolveInboxItem } from "./inbox";

const actor = systemActor("test");
let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(`the editor's inbox on ${testEngine()}`, () => {
  it("offers the demo's correction notice with a link prefilled: ComicBook's update against its relays", async () => {
    const [notice] = (await readInbox()).items.filter((i) => i.kind === "notice");
    expect(notice).toMatchObject({ kind: "notice", noticeKind: "update", document: { outlet: "ComicBook" } });
    if (notice?.kind !== "notice") throw new Error("no notice");
    expect(notice.notice).toBe(DEMO_VERSIONS.updated.split("\n\n")[0]);
    expect(notice.newer.map((c) => c.text)).toContain("The additional photography lasted less than one month.");
    expect(notice.older.map((c) => c.text)).toContain("The reshoot was a two-to-three-month overseas shoot, The Wrap reports.");
  });

  it("lists reworded and removed quotes newest first; taking the new wording re-anchors the claim, once, with an audit event", async () => {
    const story = await readStory("who-reshot-ballerina");
    const update = story.claims.find((c) => c.text.startsWith("The additional photography lasted"))!;
    const relay = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina, The Wrap reports.")!;
    const removed = DEMO_VERSIONS.updated.replace("reshooting “most of the movie,” after", "reshooting after");
    await addVersion(database.db, actor, relay.document.id, { text: removed, seenAt: new Date("2024-10-16") });
    const reworded = removed.replace("only spanned less than one month", "only lasted less than one month");
    const fourth = await addVersion(database.db, actor, relay.document.id, { text: reworded, seenAt: new Date("2024-10-17") });

    const quotes = (await readInbox()).items.filter((i) => i.kind === "quote");
    expect(quotes.map((q) => q.kind === "quote" && [q.claim.id, q.state])).toEqual([
      [update.id, "changed"],
      [relay.id, "removed"],
    ]);
    const changed = quotes[0]!;
    await resolveInboxItem(database.db, actor, "quote", changed.id, "take-new-wording");
    const after = await readClaim(update.id);
    expect(after.claim).toMatchObject({ revision: 2, quote: "This additional photography only lasted less than one month", versionId: fourth.id, quoteVerified: true });
    expect(after.anchor).toMatchObject({ state: "present", versionId: fourth.id });
    expect((await readInbox()).items.some((i) => i.kind === "quote" && i.id === changed.id)).toBe(false);
    await expect(resolveInboxItem(database.db, actor, "quote", changed.id, "keep")).rejects.toThrow("resolved already");
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, `quote:${changed.id}`));
    expect(event).toMatchObject({ action: "resolve", entity: "inbox", actor: "system:test" });
  });

  it("lists documents found in feeds and watches that paused themselves; watching again resumes", async () => {
    const { document } = await createDocument(database.db, actor, documentInput.parse({ url: "https://feed.example/new-story", outlet: { name: "Feed Example" }, title: "A new story", publishedAt: "2024-10-18" }), new Date());
    const [paused] = await database.db
      .insert(watches)
      .values({ kind: "document", documentId: document.id, url: document.url!, enabled: false, failures: 5, pausedReason: "Paused after 5 failed checks in a row; the last: HTTP 500.", lastCheckedAt: new Date() })
      .returning();
    const { items } = await readInbox();
    expect(items.find((i) => i.kind === "discovered")).toMatchObject({ document: { id: document.id, title: "A new story" } });
    expect(items.find((i) => i.kind === "watch")).toMatchObject({ id: paused!.id, reason: "Paused after 5 failed checks in a row; the last: HTTP 500." });
    // A page at a time, newest first, saying whether older items wait.
    const first = await readInbox(1);
    expect([first.items, first.more]).toEqual([[items[0]], true]);
    expect((await readInbox(items.length)).more).toBe(false);
    await resolveInboxItem(database.db, actor, "watch", paused!.id, "watch-again");
    expect((await database.db.select().from(watches).where(eq(watches.id, paused!.id)))[0]).toMatchObject({ enabled: true, failures: 0, pausedReason: null });
    await resolveInboxItem(database.db, actor, "discovered", document.id, "reviewed");
    expect((await readInbox()).items.some((i) => i.kind === "discovered" || i.kind === "watch")).toBe(false);
    await expect(resolveInboxItem(database.db, actor, "discovered", document.id, "take-new-wording")).rejects.toThrow("not a decision");
    expect((await database.db.select().from(documents).where(eq(documents.id, document.id)))[0]!.discoveredAt).not.toBeNull();
  });
});
