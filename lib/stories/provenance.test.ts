import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandStrictly } from "@/lib/testing/jsonld";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { readStory } from "./index";
import { provenanceOf } from "./provenance";

const ORIGIN = "https://claimtrail.example";
const absolute = (path: string) => `${ORIGIN}${path}`;
const PROV = "http://www.w3.org/ns/prov#";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

type Expanded = Record<string, { "@id"?: string; "@value"?: string }[] | string[] | string>;
const ids = (node: Expanded, property: string) => ((node[`${PROV}${property}`] ?? []) as { "@id": string }[]).map((v) => v["@id"]);

describe("a story's provenance in PROV-O", () => {
  it("expands with no term dropped, relays derived from their origins and versions revising each other", async () => {
    const story = await readStory("who-reshot-ballerina");
    const doc = await provenanceOf(database.db, story, absolute);
    // A lone top-level graph expands to the list of its nodes.
    const graph = (await expandStrictly(doc)) as Expanded[];
    const node = (id: string) => graph.find((n) => n["@id"] === id)!;
    // Every claim is an entity attributed to its outlet; each relay derives from what it relays.
    for (const c of story.claims) {
      const n = node(absolute(`/claims/${c.id}`));
      expect(n["@type"]).toEqual([`${PROV}Entity`]);
      expect(ids(n, "wasAttributedTo")).toEqual([absolute(`/outlets/${c.outlet.slug}`)]);
      if (c.relaysClaimId) expect(ids(n, "wasDerivedFrom")).toContain(absolute(`/claims/${c.relaysClaimId}`));
    }
    expect(node(absolute("/outlets/the-wrap"))["@type"]).toEqual(expect.arrayContaining([`${PROV}Agent`, `${PROV}Organization`]));
    // ComicBook's article: two versions, the second a revision of the first.
    const comicbook = story.claims.find((c) => c.outlet.name === "ComicBook")!.document.id;
    const versions = graph.filter((n) => ids(n, "specializationOf").includes(absolute(`/documents/${comicbook}`)));
    expect(versions).toHaveLength(2);
    expect(ids(versions[1]!, "wasRevisionOf")).toEqual([versions[0]!["@id"]]);
    // A correction is an influence whose role names it.
    const corrections = graph.flatMap((n) => (n[`${PROV}qualifiedInfluence`] ?? []) as Expanded[]).filter((i) => ids(i, "hadRole").includes("urn:claimtrail:link:corrects"));
    expect(corrections).toHaveLength(3);
  });
});
