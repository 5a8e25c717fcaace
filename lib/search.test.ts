import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededTestDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { searchQuery } from "@/lib/validation";
import { search, splitHighlights, type Highlighted } from "./search";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const plain = (parts: Highlighted) => parts.map((p) => p.text).join("");
const matched = (parts: Highlighted) => parts.filter((p) => p.match).map((p) => p.text);

describe(`search on ${testEngine()}`, () => {
  it("finds a claim by a phrase from its quote, with the matched words marked", async () => {
    const results = await search(database.db, '"less than one month"');
    expect(results.searchable).toBe(true);
    const texts = results.claims.map((h) => h.claim.text);
    expect(texts).toContain("The additional photography lasted less than one month.");
    const hit = results.claims.find((h) => h.claim.text === "The additional photography lasted less than one month.")!;
    expect(plain(hit.quote!)).toBe("This additional photography only spanned less than one month");
    expect(matched(hit.quote!)).toEqual(expect.arrayContaining(["less", "one", "month"]));
    // Results carry the status a reader sees on the claim's page.
    expect(hit.claim.status).toBe("standing");
    expect(hit.claim.outlet.name).toBe("ComicBook");
  });

  it("matches word forms, not only exact spellings", async () => {
    const results = await search(database.db, "reshooting months");
    expect(results.claims.map((h) => h.claim.text)).toContain("The reshoot was a two-to-three-month overseas shoot.");
    const months = await search(database.db, "months");
    expect(months.stories.map((s) => s.slug)).toEqual(["who-reshot-ballerina"]);
    expect(months.claims.map((h) => h.claim.text)).toContain("The additional photography lasted less than one month.");
  });

  it("finds outlets by name and stories by title", async () => {
    const results = await search(database.db, "wrap");
    expect(results.outlets.map((o) => plain(o.name))).toEqual(["The Wrap"]);
    expect(results.outlets[0]!.claims).toBe(3);
    const story = await search(database.db, "Ballerina reshot");
    expect(story.stories.map((s) => plain(s.title))).toEqual(["Who reshot Ballerina?"]);
  });

  it("leaves out words after a minus", async () => {
    const results = await search(database.db, "Stahelski -Wrap");
    expect(results.claims.length).toBeGreaterThan(0);
    for (const hit of results.claims) expect(hit.claim.text).not.toMatch(/Wrap/);
  });

  it("says so when a query holds only common words, instead of failing", async () => {
    expect(await search(database.db, "the of and")).toMatchObject({ searchable: false, claims: [], stories: [], outlets: [] });
  });

  it("takes any text, including the operators' own characters, without an error", async () => {
    for (const q of ['"unclosed', "a & b | !c", "(((", "'; drop table claims; --", "<script>", "::*"]) {
      await expect(search(database.db, q)).resolves.toHaveProperty("query", q);
    }
  });

  it("finds nothing for words that appear nowhere", async () => {
    expect(await search(database.db, "zeppelin")).toMatchObject({ searchable: true, claims: [], stories: [], outlets: [] });
  });
});

describe("search query", () => {
  it("trims the words and refuses overlong or control-character input", () => {
    expect(searchQuery.parse({ q: "  month  " })).toEqual({ q: "month" });
    expect(searchQuery.safeParse({ q: "x".repeat(201) }).success).toBe(false);
    expect(searchQuery.safeParse({ q: "a\u0000b" }).success).toBe(false);
  });
});

describe("highlights", () => {
  it("splits a headline into runs, flagging the matched ones", () => {
    expect(splitHighlights("lasted less than one \uE000month\uE001.")).toEqual([
      { text: "lasted less than one ", match: false },
      { text: "month", match: true },
      { text: ".", match: false },
    ]);
    expect(splitHighlights("")).toEqual([]);
    expect(splitHighlights("\uE000all\uE001")).toEqual([{ text: "all", match: true }]);
  });
});
