import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { pageQuery } from "@/lib/validation";
import { createStory, readStory } from "./index";
import { describeChange, listStoriesWithLatestChange } from "./list";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("the story list", () => {
  it("gives each story its latest change in words a reader can scan", async () => {
    const list = await listStoriesWithLatestChange(database.db);
    const item = list.items.find((i) => i.story.slug === "who-reshot-ballerina")!;
    expect(item.latest).toMatchObject({ type: "link", kind: "corrects", at: new Date("2024-10-15T00:00:00Z") });
    expect(describeChange(item.latest!)).toBe("ComicBook corrected its relay of The Wrap");
  });

  it("puts the most recently changed story first and pages through the rest", async () => {
    const actor = systemActor("test");
    for (let i = 1; i <= 3; i++) await createStory(database.db, actor, { title: `Empty story ${i}`, slug: `empty-story-${i}` });
    const first = await listStoriesWithLatestChange(database.db, 1, 2);
    expect(first.total).toBe(4);
    expect(first.pages).toBe(2);
    // Stories with nothing reported count as changed when they were created: today, after 2024.
    expect(first.items.map((i) => i.story.slug)).toEqual(["empty-story-3", "empty-story-2"]);
    expect(first.items[0]!.latest).toBeNull();
    const second = await listStoriesWithLatestChange(database.db, 2, 2);
    expect(second.items.map((i) => i.story.slug)).toEqual(["empty-story-1", "who-reshot-ballerina"]);
    const beyond = await listStoriesWithLatestChange(database.db, 9, 2);
    expect(beyond).toMatchObject({ items: [], total: 4, pages: 2 });
  });

  it("describes claims and links from every side", () => {
    const at = new Date();
    const [comicbook, wrap, daily] = [{ id: 1, name: "ComicBook" }, { id: 2, name: "The Wrap" }, { id: 3, name: "Daily" }];
    expect(describeChange({ type: "link", at, claimId: 1, kind: "contradicts", ends: { outlet: comicbook, target: wrap, targetRelays: null } })).toBe("ComicBook contradicted The Wrap");
    expect(describeChange({ type: "link", at, claimId: 1, kind: "retracts", ends: { outlet: daily, target: daily, targetRelays: null } })).toBe("Daily retracted its own earlier claim");
    expect(describeChange({ type: "link", at, claimId: 1, kind: "corrects", ends: { outlet: daily, target: comicbook, targetRelays: wrap } })).toBe("Daily corrected ComicBook’s relay of The Wrap");
    expect(describeChange({ type: "claim", at, claimId: 1, outlet: "ComicBook", relaysOutlet: "The Wrap", text: "Stahelski reshot it." })).toBe("ComicBook relayed The Wrap: “Stahelski reshot it.”");
    expect(describeChange({ type: "claim", at, claimId: 1, outlet: "The Wrap", relaysOutlet: null, text: "x ".repeat(100) })).toMatch(/^The Wrap reported: “(x )+x…”$/);
  });
});

describe("story event instants", () => {
  it("lists the instants at which the account changed, oldest first", async () => {
    const instants = async (q: { asOf?: Date; knownAt?: Date }) => (await readStory("who-reshot-ballerina", q)).stops;
    expect(await instants({})).toEqual([new Date("2024-10-14T00:00:00Z"), new Date("2024-10-15T00:00:00Z")]);
    // The stops do not depend on the date the account is shown as of.
    expect(await instants({ asOf: new Date("2024-10-14T12:00:00Z") })).toEqual(await instants({}));
    // Nothing had been recorded before the seed ran.
    expect(await instants({ knownAt: new Date("2020-01-01") })).toEqual([]);
  });
});

describe("page query", () => {
  it("reads a page number and explains a bad one", () => {
    expect(pageQuery.parse({ page: "3" })).toEqual({ page: 3 });
    expect(pageQuery.parse({})).toEqual({});
    const bad = pageQuery.safeParse({ page: "x" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe("The page must be a number.");
    expect(pageQuery.safeParse({ page: "0" }).error!.issues[0]!.message).toBe("Pages are numbered from 1.");
  });
});
