import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as similarRoute } from "@/app/api/claims/similar/route";
import { GET as claimRoute } from "@/app/api/claims/[id]/route";
import { auditEvents, statusEvents } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { createClaim, linkClaims, readClaim, reviseClaim } from "@/lib/claims";
import { createDocument } from "@/lib/documents";
import { claimJsonLd } from "@/lib/jsonld";
import { createStory, readStory } from "@/lib/stories";
import { seededTestDatabase, tableCounts, testEngine, type TestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { seededRandom } from "@/lib/testing/textgen";
import { documentInput } from "@/lib/validation";
import { confirmRepeat, dismissRepeat, readLikelyRepeats, REPEAT_AT, SUGGEST_AT, type SimilarClaim } from "./index";

const actor = systemActor("test");
let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const similar = async (text: string, extra = "") => call(similarRoute, { url: `/api/claims/similar?text=${encodeURIComponent(text)}${extra}` });
const found = async (text: string, extra = ""): Promise<SimilarClaim[]> => {
  const res = await similar(text, extra);
  expect(res.status).toBe(200);
  return res.body.claims;
};

let documents = 0;
async function log(story: string, outlet: string, text: string, assertedAt: string, relaysClaimId?: number) {
  const { document } = await createDocument(database.db, actor, documentInput.parse({ outlet: { name: outlet }, title: `${outlet} report ${++documents}`, publishedAt: assertedAt.slice(0, 10) }));
  return createClaim(database.db, actor, story, { documentId: document.id, text, assertedAt: new Date(assertedAt), relaysClaimId });
}

describe(`similar claims, on ${testEngine()}`, () => {
  it("finds The Wrap's claim first for “Stahelski reshot most of Ballerina”, in the shape the API promises", async () => {
    const claims = await found("Stahelski reshot most of Ballerina");
    expect(claims[0]).toMatchObject({ text: "Chad Stahelski reshot most of Ballerina.", outlet: { name: "The Wrap" }, story: { slug: "who-reshot-ballerina" }, status: "disputed" });
    expect(Object.keys(claims[0]!).sort()).toEqual(["assertedAt", "id", "outlet", "quote", "score", "status", "story", "text"]);
    expect(claims[0]!.assertedAt).toBe("2024-10-14T00:00:00.000Z");
    // ComicBook's relay says the same and comes next; nothing else in the story is close.
    expect(claims.map((c) => c.text)).toEqual(["Chad Stahelski reshot most of Ballerina.", "Chad Stahelski reshot most of Ballerina, The Wrap reports."]);
    const scores = claims.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const s of scores) expect(s >= SUGGEST_AT && s <= 1).toBe(true);
  });

  it("matches quotes as well as statements", async () => {
    const claims = await found("Of course Chad had to clean up someone else's mess");
    expect(claims[0]?.quote).toBe("Of course Chad had to clean up someone else’s mess.");
  });

  it("suggests nothing for an unrelated sentence, a lone word, or words too common to mean anything", async () => {
    expect(await found("The central bank raised interest rates by half a point on Thursday.")).toEqual([]);
    expect(await found("Ballerina")).toEqual([]);
    expect(await found("It was not him, it was her.")).toEqual([]);
  });

  it("keeps to one story when asked, and honours the limit", async () => {
    await createStory(database.db, actor, { title: "Another Stahelski story", slug: "another-stahelski-story" });
    const other = await log("another-stahelski-story", "Film Gazette", "Chad Stahelski reshot most of Ballerina, a film blog claims.", "2024-10-20T00:00:00Z");
    expect((await found("Stahelski reshot most of Ballerina")).map((c) => c.id)).toContain(other.id);
    expect((await found("Stahelski reshot most of Ballerina", "&story=another-stahelski-story")).map((c) => c.id)).toEqual([other.id]);
    expect(await found("Stahelski reshot most of Ballerina", "&limit=1")).toHaveLength(1);
  });

  it("refuses what it cannot read, with a reason", async () => {
    for (const [query, message] of [
      ["", /text/i],
      ["?text=", /required/],
      [`?text=${"a ".repeat(2600)}`, /longer than 5,000/],
      ["?text=Stahelski%20reshot%20Ballerina&limit=0", /at least 1/],
      ["?text=Stahelski%20reshot%20Ballerina&limit=21", /at most 20/],
      ["?text=Stahelski%20reshot%20Ballerina&limit=many", /number/],
      ["?text=Stahelski%20reshot%20Ballerina&story=Not%20A%20Slug", /slug/],
    ] as const) {
      const res = await call(similarRoute, { url: `/api/claims/similar${query}` });
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body.error), query).toMatch(message);
    }
    const missing = await similar("Stahelski reshot most of Ballerina", "&story=no-such-story");
    expect(missing.status).toBe(404);
  });

  it("reads other languages by their own words: a German or Russian relay finds its origin, a Japanese repeat its twin, and none of them English claims", async () => {
    await createStory(database.db, actor, { title: "Stories abroad", slug: "stories-abroad" });
    const german = await log("stories-abroad", "Berliner Blatt", "Die Stadt Leipzig baut bis 2027 eine neue Straßenbahnlinie zum Flughafen.", "2024-03-01T00:00:00Z");
    const russian = await log("stories-abroad", "Новая газета", "Мэрия Казани закрыла центральный рынок на ремонт до весны.", "2024-03-01T00:00:00Z");
    const japanese = await log("stories-abroad", "東京新聞", "大阪市は来年から市営バスの運賃を値上げすると発表した", "2024-03-01T00:00:00Z");
    expect((await found("Leipzig baut eine neue Straßenbahnlinie zum Flughafen, berichtet das Berliner Blatt."))[0]?.id).toBe(german.id);
    expect((await found("Казань: мэрия закрыла центральный рынок на ремонт"))[0]?.id).toBe(russian.id);
    expect((await found("大阪市は来年から市営バスの運賃を値上げすると発表した"))[0]?.id).toBe(japanese.id);
    expect(await found("Die Bundesregierung senkt die Steuern für kleine Unternehmen im nächsten Jahr.")).toEqual([]);
  });
});

// A generated story: facts about made-up people, places and things, each reported once and then
// reworded by other outlets. Facts share people and places, so the right origin has to beat
// claims that share a name with it.
const PEOPLE = ["Maria Lindqvist", "Tomas Okafor", "Ines Carvalho", "Piotr Nowak", "Aiko Tanaka", "Rahul Mehta"];
const PLACES = ["Tallinn", "Porto", "Gdansk", "Osaka", "Nairobi"];
const THINGS: [string, string, string][] = [
  ["opened", "a children's hospital", "opened the new hospital for children"],
  ["cancelled", "the summer music festival", "called off this year's summer festival of music"],
  ["bought", "the city's football club", "took over the local football club"],
  ["closed", "the last coal power plant", "shut down the final coal-fired power station"],
  ["announced", "a tram line to the airport", "unveiled plans for an airport tram line"],
  ["sold", "the historic harbour warehouses", "sold off the old warehouses by the harbour"],
  ["banned", "cars from the old town", "barred cars from entering the old town"],
  ["doubled", "the budget for public libraries", "raised library funding twofold"],
];
const OUTLETS = ["Daily Ledger", "Morning Wire", "Harbour Times", "Civic Post", "Evening Star"];

describe(`reworded relays on a generated story, on ${testEngine()}`, () => {
  it("each reworded relay finds its origin first", async () => {
    await createStory(database.db, actor, { title: "Generated city news", slug: "generated-city-news" });
    const random = seededRandom(42);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    const facts: { origin: number; reworded: string }[] = [];
    for (let i = 0; i < THINGS.length * 2; i++) {
      const [verb, object, rewording] = THINGS[i % THINGS.length]!;
      const person = pick(PEOPLE);
      const place = PLACES[i % PLACES.length]!;
      const origin = await log("generated-city-news", pick(OUTLETS), `${person} ${verb} ${object} in ${place}.`, `2024-05-${String(1 + i).padStart(2, "0")}T09:00:00Z`);
      facts.push({ origin: origin.id, reworded: `According to ${pick(OUTLETS)}, ${person.split(" ")[1]} ${rewording} in ${place}.` });
    }
    for (const fact of facts) {
      const claims = await found(fact.reworded, "&story=generated-city-news");
      expect(claims[0]?.id, fact.reworded).toBe(fact.origin);
    }
  });
});

describe(`first appearance and spread, on ${testEngine()}`, () => {
  const slug = "reshoot-spread";
  const at = (day: number, hour: number) => `2024-10-${day}T${String(hour).padStart(2, "0")}:00:00Z`;
  let origin: number;
  let marked: number;
  let relayOfRelay: number;
  let unmarked: number;
  let sameOutlet: number;
  let denial: number;

  beforeAll(async () => {
    await createStory(database.db, actor, { title: "How the reshoot report spread", slug });
    origin = (await log(slug, "Screen Insider", "Director Jana Holm reshot most of the thriller Nightglass over three months.", at(14, 9))).id;
    marked = (await log(slug, "Film Beat", "Jana Holm reshot most of Nightglass over three months, Screen Insider reports.", at(14, 12), origin)).id;
    relayOfRelay = (await log(slug, "Cinema Daily", "Nightglass was mostly reshot by Jana Holm, reports say.", at(14, 18), marked)).id;
    unmarked = (await log(slug, "Reel World", "Jana Holm reshot most of the thriller Nightglass over three months, an insider says.", at(15, 8))).id;
    sameOutlet = (await log(slug, "Screen Insider", "Director Jana Holm reshot most of the thriller Nightglass over three months, we reported.", at(15, 10))).id;
    denial = (await log(slug, "Studio Voice", "Jana Holm did not reshoot most of the thriller Nightglass over three months.", at(16, 9))).id;
    await linkClaims(database.db, actor, denial, { kind: "contradicts", targetClaimId: origin });
  });

  it("follows a relay chain to the first report, and counts each other outlet once", async () => {
    const detail = await readClaim(relayOfRelay);
    expect(detail.firstAppearance).toMatchObject({ claimId: origin, outlet: { name: "Screen Insider" }, via: "relay" });
    const fromOrigin = await readClaim(origin);
    expect(fromOrigin.firstAppearance).toMatchObject({ claimId: origin, via: "self" });
    // Film Beat and Cinema Daily by relay, Reel World by its words; not Screen Insider's own
    // repeat, and not Studio Voice, which contradicts it.
    expect(fromOrigin.spread.repeats.map((r) => [r.outlet.name, r.claimId, r.via])).toEqual([
      ["Film Beat", marked, "relay"],
      ["Cinema Daily", relayOfRelay, "relay"],
      ["Reel World", unmarked, "match"],
    ]);
    expect(fromOrigin.spread).toMatchObject({ outlets: 3, days: 1 });
    expect(fromOrigin.spread.repeats.find((r) => r.claimId === unmarked)!.score).toBeGreaterThanOrEqual(REPEAT_AT);
    expect(fromOrigin.spread.repeats.some((r) => r.claimId === sameOutlet || r.claimId === denial)).toBe(false);
    // An unmarked repeat knows where its words came from.
    expect((await readClaim(unmarked)).firstAppearance).toMatchObject({ claimId: origin, via: "match" });
  });

  it("are in the claim's API detail and its schema.org description", async () => {
    const res = await call(claimRoute, { url: `/api/claims/${unmarked}`, params: { id: unmarked } });
    expect(res.body.firstAppearance).toMatchObject({ claimId: origin, outlet: { slug: "screen-insider", name: "Screen Insider" }, assertedAt: at(14, 9).replace("Z", ".000Z"), via: "match" });
    expect(res.body.spread.outlets).toBe(3);
    expect(res.body.spread.repeats.every((r: { assertedAt: string }) => r.assertedAt > res.body.firstAppearance.assertedAt)).toBe(true);
    // The terms PostgreSQL keeps for matching stay in the database: not in the API, not in the audit log.
    expect(res.body.revisions.length).toBeGreaterThan(0);
    for (const revision of res.body.revisions) expect(revision).not.toHaveProperty("search");
    const audited = await database.db.select().from(auditEvents).where(eq(auditEvents.entity, "claim"));
    expect(audited.length).toBeGreaterThan(0);
    for (const event of audited) expect(JSON.stringify(event.after)).not.toContain('"search"');
    const [claim] = claimJsonLd(await readClaim(unmarked), (p) => `https://claimtrail.example${p}`)["@graph"] as any[];
    expect(claim.firstAppearance.publisher.name).toBe("Screen Insider");
    expect(claim.appearance.map((a: any) => a.publisher.name)).toEqual(["Reel World", "Screen Insider", "Film Beat", "Cinema Daily"]);
  });

  it("keeps to the published clock: as of the 14th, Reel World had not repeated it", async () => {
    const asOf = new Date(at(14, 23));
    const detail = await readClaim(origin, { asOf });
    expect(detail.spread.repeats.map((r) => r.outlet.name)).toEqual(["Film Beat", "Cinema Daily"]);
  });

  it("keeps to the known clock: an earlier report logged later becomes the first appearance only from when it was known", async () => {
    const before = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const earlier = await log(slug, "Early Bird", "Jana Holm reshot most of the thriller Nightglass over three months, we hear.", at(13, 20));
    expect((await readClaim(relayOfRelay)).firstAppearance).toMatchObject({ claimId: earlier.id, outlet: { name: "Early Bird" }, via: "match" });
    expect((await readClaim(relayOfRelay, { knownAt: before })).firstAppearance).toMatchObject({ claimId: origin, via: "relay" });
  });
});

describe(`likely repeats not yet marked, on ${testEngine()}`, () => {
  const slug = "unmarked-repeats";
  it("lists a later, alike claim from another outlet; a dismissed pair does not come back; a confirmed one becomes a relay", async () => {
    await createStory(database.db, actor, { title: "Unmarked repeats", slug });
    const first = await log(slug, "Port Gazette", "The harbour authority will dredge the northern channel to admit larger container ships.", "2024-06-01T08:00:00Z");
    const dismissed = await log(slug, "Quay News", "The harbour authority plans to dredge the northern channel so larger container ships can dock.", "2024-06-02T08:00:00Z");
    const confirmed = await log(slug, "Coast Courier", "Larger container ships will reach port once the harbour authority dredges the northern channel.", "2024-06-03T08:00:00Z");
    await log(slug, "Port Gazette", "The harbour authority will dredge the northern channel to admit larger container ships, we said.", "2024-06-04T08:00:00Z");
    const pairs = async () => (await readLikelyRepeats({ story: slug })).repeats.map((r) => [r.later.id, r.earlier.id]);
    expect(await pairs()).toEqual(
      expect.arrayContaining([
        [dismissed.id, first.id],
        [confirmed.id, first.id],
      ]),
    );
    // The same outlet saying it again is not a relay.
    expect((await pairs()).every(([later, earlier]) => later !== earlier)).toBe(true);
    expect((await readLikelyRepeats({ story: slug })).repeats.every((r) => r.later.outlet.id !== r.earlier.outlet.id)).toBe(true);

    await dismissRepeat(database.db, actor, first.id, dismissed.id);
    const counts = await tableCounts(database.db);
    await dismissRepeat(database.db, actor, dismissed.id, first.id);
    expect(await tableCounts(database.db)).toEqual(counts);
    expect((await pairs()).some(([later]) => later === dismissed.id)).toBe(false);
    // New claims do not bring it back, and it no longer counts in the spread.
    await log(slug, "Dock Daily", "Container ships: the harbour authority will dredge the northern channel.", "2024-06-05T08:00:00Z");
    expect((await pairs()).some(([later]) => later === dismissed.id)).toBe(false);
    expect((await readClaim(first.id)).spread.repeats.some((r) => r.claimId === dismissed.id)).toBe(false);

    const revised = await confirmRepeat(database.db, actor, first.id, confirmed.id, 1);
    expect(revised.current).toMatchObject({ revision: 2, relaysClaimId: first.id, text: "Larger container ships will reach port once the harbour authority dredges the northern channel." });
    expect((await pairs()).some(([later]) => later === confirmed.id)).toBe(false);
    expect((await readClaim(confirmed.id)).firstAppearance).toMatchObject({ claimId: first.id, via: "relay" });
  });

  it("refuses a relay that would loop, and tells subscribers when marking a relay changes a standing", async () => {
    const story = await readStory("who-reshot-ballerina");
    const wrap = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina.")!;
    const relay = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina, The Wrap reports.")!;
    await expect(reviseClaim(database.db, actor, wrap.id, { relaysClaimId: relay.id, baseRevision: wrap.revision, reason: "loop" })).rejects.toThrow(/cycle/);
    const echo = await log("who-reshot-ballerina", "Echo Film", "Stahelski reshot most of Ballerina, says The Wrap.", "2024-10-14T20:00:00Z");
    const before = (await database.db.select().from(statusEvents)).length;
    await confirmRepeat(database.db, actor, wrap.id, echo.id, 1);
    const made = (await database.db.select().from(statusEvents)).slice(before);
    expect(made.map((e) => [e.claimId, e.before, e.after, e.linkId])).toEqual([[echo.id, "standing", "standing; relays a disputed claim", null]]);
    expect(made[0]!.reason).toBe("it was marked as relaying The Wrap, whose claim is disputed");
  });
});
