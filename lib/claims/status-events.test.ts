import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusEvents } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { createDocument } from "@/lib/documents";
import { readStory } from "@/lib/stories";
import { createStory } from "@/lib/stories";
import { seededTestDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { documentInput } from "@/lib/validation";
import { createClaim, linkClaims } from "./index";

const actor = systemActor("test");
let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const eventsOf = async () => (await database.db.select().from(statusEvents)).map((e) => ({ claimId: e.claimId, before: e.before, after: e.after, reason: e.reason, linkId: e.linkId }));

describe(`status changes reach the claims they touch, on ${testEngine()}`, () => {
  it("a link that disputes a report gives it, and each relay of it at any depth, one status event", async () => {
    await createStory(database.db, actor, { title: "A disputed report", slug: "a-disputed-report" });
    const doc = async (outlet: string) => (await createDocument(database.db, actor, documentInput.parse({ outlet: { name: outlet }, title: `${outlet} report`, publishedAt: "2024-10-14" }))).document.id;
    const claim = (documentId: number, text: string, relaysClaimId?: number) => createClaim(database.db, actor, "a-disputed-report", { documentId, text, relaysClaimId });
    const origin = await claim(await doc("Origin Times"), "The shoot lasted three months.");
    const relay = await claim(await doc("Relay Daily"), "The shoot lasted three months, Origin Times reports.", origin.id);
    const relayOfRelay = await claim(await doc("Echo Weekly"), "Three months of shooting, reportedly.", relay.id);
    const unrelated = await claim(await doc("Other Post"), "The film opens in June.");
    const denial = await claim(await doc("Studio Wire"), "The shoot lasted under a month, the studio says.");
    const before = (await eventsOf()).length;

    const link = await linkClaims(database.db, actor, denial.id, { kind: "contradicts", targetClaimId: origin.id });
    const made = (await eventsOf()).slice(before);
    expect(made).toEqual([
      { claimId: origin.id, before: "standing", after: "disputed", reason: "Studio Wire contradicted it", linkId: link.id },
      { claimId: relay.id, before: "standing", after: "standing; relays a disputed claim", reason: "it relays Origin Times, whose claim is now disputed", linkId: link.id },
      { claimId: relayOfRelay.id, before: "standing", after: "standing; relays a disputed claim", reason: "it relays Origin Times, whose claim is now disputed", linkId: link.id },
    ]);
    expect(made.some((e) => e.claimId === unrelated.id || e.claimId === denial.id)).toBe(false);

    // A second link that changes nothing makes no event.
    const again = await claim(await doc("Second Wire"), "Under a month, says a second source.");
    const confirm = await linkClaims(database.db, actor, again.id, { kind: "contradicts", targetClaimId: origin.id });
    expect((await eventsOf()).filter((e) => e.linkId === confirm.id)).toEqual([]);
  });

  it("the demo story's links each left their mark: ComicBook's relays corrected, The Wrap's reports disputed", async () => {
    const story = await readStory("who-reshot-ballerina");
    const events = await eventsOf();
    const wrapWho = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina.")!;
    const relayWho = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina, The Wrap reports.")!;
    expect(events.filter((e) => e.claimId === wrapWho.id).map((e) => [e.before, e.after, e.reason])).toEqual([["standing", "disputed", "ComicBook contradicted it"]]);
    expect(events.filter((e) => e.claimId === relayWho.id).map((e) => [e.before, e.after])).toEqual([
      ["standing", "corrected"],
      ["corrected", "corrected; relays a disputed claim"],
    ]);
  });
});
