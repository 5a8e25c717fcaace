import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestMigration } from "@/db";
import { countAuditEvents, verifyAuditChain } from "@/lib/audit";
import { clockFrom, getStoryView } from "@/lib/read";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { SEED_STORY_SLUG, defaultSeedDir, seed } from "./index";

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(`seed on ${testEngine()}`, () => {
  it("has every migration applied", async () => {
    expect(await latestMigration(database.db)).toMatch(/^\d{4}_/);
  });

  it("loads the demo story once; a second run adds nothing", async () => {
    expect(await seed(database.db, defaultSeedDir())).toEqual({ created: true });
    const events = await countAuditEvents(database.db);
    expect(await seed(database.db, defaultSeedDir())).toEqual({ created: false, reason: "already seeded" });
    expect(await countAuditEvents(database.db)).toBe(events);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("reads as a reader would expect today and on 14 October 2024", async () => {
    const now = await getStoryView(database.db, SEED_STORY_SLUG, clockFrom({}));
    const howLong = now.questions.find((q) => q.label.startsWith("How long"))!;
    expect(howLong.best?.text).toBe("The additional photography lasted less than one month.");
    expect(howLong.best?.outlet.name).toBe("ComicBook");
    expect(howLong.replaced.map((c) => c.text)).toEqual(["The reshoot was a two-to-three-month overseas shoot, The Wrap reports."]);
    // The Wrap never corrected itself, so its claim stands disputed against ComicBook's update.
    expect(howLong.contested).toBe(true);

    const before = await getStoryView(database.db, SEED_STORY_SLUG, clockFrom({ asOf: new Date("2024-10-14T23:59:59Z") }));
    const earlier = before.questions.find((q) => q.id === howLong.id)!;
    expect(earlier.best?.text).toContain("two-to-three-month");
    expect(earlier.contested).toBe(false);
    expect(before.claims.every((c) => c.status === "standing")).toBe(true);

    const relay = now.claims.find((c) => c.text.startsWith("The reshoot was a two-to-three-month overseas shoot, The Wrap"))!;
    expect(relay.status).toBe("corrected");
    expect(relay.relayOf).toEqual({ claimId: relay.relaysClaimId, status: "disputed" });
    expect(relay.quoteVerified).toBe(true);
  });

  it("refuses to run against a missing seed folder without writing", async () => {
    const result = await seed(database.db, path.join(defaultSeedDir(), "does-not-exist"));
    expect(result.created).toBe(false);
    expect(result.reason).toMatch(/no seed article/);
  });
});
