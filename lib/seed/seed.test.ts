import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestMigration, useDatabase } from "@/db";
import { countAuditEvents, verifyAuditChain } from "@/lib/audit";
import { readDocument } from "@/lib/documents";
import { readStory } from "@/lib/stories";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { DEMO_VERSIONS } from "./demo";
import { SEED_STORY_SLUG, seed } from "./index";

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
});
afterAll(async () => {
  await database.close();
});

describe(`seed on ${testEngine()}`, () => {
  it("has every migration applied", async () => {
    expect(await latestMigration(database.db)).toMatch(/^\d{4}_/);
  });

  it("loads the demo story from the repository's own fixture once; a second run adds nothing", async () => {
    expect(await seed(database.db)).toEqual({ created: true });
    const events = await countAuditEvents(database.db);
    expect(await seed(database.db)).toEqual({ created: false, reason: "already seeded" });
    expect(await countAuditEvents(database.db)).toBe(events);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("reads as a reader would expect today and on 14 October 2024", async () => {
    const now = await readStory(SEED_STORY_SLUG);
    const howLong = now.questions.find((q) => q.label.startsWith("How long"))!;
    expect(howLong.best?.text).toBe("The additional photography lasted less than one month.");
    expect(howLong.best?.outlet.name).toBe("ComicBook");
    expect(howLong.replaced.map((c) => c.text)).toEqual(["The reshoot was a two-to-three-month overseas shoot, The Wrap reports."]);
    // The Wrap never corrected itself, so its claim stands disputed against ComicBook's update.
    expect(howLong.contested).toBe(true);

    const before = await readStory(SEED_STORY_SLUG, { asOf: new Date("2024-10-14T23:59:59Z") });
    const earlier = before.questions.find((q) => q.id === howLong.id)!;
    expect(earlier.best?.text).toContain("two-to-three-month");
    expect(earlier.contested).toBe(false);
    expect(before.claims.every((c) => c.status === "standing")).toBe(true);

    const relay = now.claims.find((c) => c.text.startsWith("The reshoot was a two-to-three-month overseas shoot, The Wrap"))!;
    expect(relay.status).toBe("corrected");
    expect(relay.relayOf).toEqual({ claimId: relay.relaysClaimId, status: "disputed" });
    expect(relay.quoteVerified).toBe(true);
    // Every quote the relay and the update make is found in ComicBook's versions.
    expect(now.claims.filter((c) => c.outlet.name === "ComicBook").every((c) => c.quoteVerified)).toBe(true);
    expect(relay.document.url).toMatch(/^https:\/\/comicbook\.com\//);
  });

  it("takes the article from SEED_DIR when one is given, and refuses a folder without it, writing nothing", async () => {
    const missing = await seed(database.db, path.join(os.tmpdir(), "claimtrail-no-such-seed-folder"));
    expect(missing.created).toBe(false);
    expect(missing.reason).toMatch(/no seed article/);

    // An article laid out as ComicBook's: the update above the original story, which follows a marker line.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-seed-"));
    const [update, relay] = DEMO_VERSIONS.updated.split("\n\n");
    fs.writeFileSync(path.join(dir, "comicbook-ballerina-update-2024-10-15.txt"), `date 2024-10-15 ${update}\n\n${relay}\n\nA second paragraph of the original.\n\nA third, left out.`);
    const other = await testDatabase();
    try {
      expect(await seed(other.db, dir)).toEqual({ created: true });
      useDatabase(other);
      const story = await readStory(SEED_STORY_SLUG);
      const comicbook = await readDocument(story.claims.find((c) => c.outlet.name === "ComicBook")!.document.id);
      expect(comicbook.versions.map((v) => v.text)).toEqual([`${relay}\n\nA second paragraph of the original.`, `${update}\n\n${relay}\n\nA second paragraph of the original.`]);
    } finally {
      useDatabase(database);
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
