import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClaimView } from "@/lib/claims";
import { readStory } from "@/lib/stories";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { readClaimPicture, readStoryPicture, readStoryStrip, storyPictureFile } from "./index";
import { layOut } from "./layout";
import { CLAIM_LIMIT, pictureOf } from "./picture";

const SLUG = "who-reshot-ballerina";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** Parses SVG as the strict XML it must be: a malformed file gives a parsererror document. */
function parseSvg(svg: string): Document {
  const doc = new new JSDOM("").window.DOMParser().parseFromString(svg, "image/svg+xml");
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  expect(doc.documentElement.localName).toBe("svg");
  return doc;
}

const edgesOf = (claims: ClaimView[], links: { kind: string; fromClaimId: number; toClaimId: number }[]) =>
  [...claims.flatMap((c) => (c.relaysClaimId ? [`c${c.id} relays c${c.relaysClaimId}`] : [])), ...links.map((l) => `c${l.fromClaimId} ${l.kind} c${l.toClaimId}`)].sort();

describe("the story's provenance picture", () => {
  it("draws every claim of the demo story once, with one edge per relay and per link", async () => {
    const story = await readStory(SLUG);
    const { picture, svg, relations, layout } = await readStoryPicture(SLUG);
    expect(picture.nodes.map((n) => n.id).sort()).toEqual(story.claims.map((c) => `c${c.id}`).sort());
    expect(picture.edges.map((e) => `${e.from} ${e.kind} ${e.to}`).sort()).toEqual(edgesOf(story.claims, story.links));
    // Three relays of The Wrap by ComicBook, three corrections of them, three contradictions of The Wrap.
    expect(picture.edges.filter((e) => e.kind === "relays")).toHaveLength(3);
    expect(picture.edges.filter((e) => e.kind === "corrects")).toHaveLength(3);
    expect(picture.edges.filter((e) => e.kind === "contradicts")).toHaveLength(3);
    expect(picture.grouped).toBeNull();
    expect(relations).toHaveLength(9);

    const doc = parseSvg(svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"'));
    const links = [...doc.getElementsByTagName("a")];
    expect(links.map((a) => a.getAttribute("href")).sort()).toEqual(story.claims.map((c) => `/claims/${c.id}`).sort());
    for (const c of story.claims) {
      const a = links.find((l) => l.getAttribute("href") === `/claims/${c.id}`)!;
      expect(a.getAttribute("aria-label")).toContain(c.outlet.name);
      expect(a.textContent).toContain(c.status);
    }
    expect(doc.getElementsByTagName("path").length).toBeGreaterThanOrEqual(9);
    // Grouped by question: one frame per question, each labelled with it.
    expect(layout.groups.map((g) => g.label).sort()).toEqual(story.questions.map((q) => q.label).sort());
    // The first report sits left of what relays and answers it.
    const x = new Map(layout.nodes.map((n) => [n.id, n.x]));
    for (const e of picture.edges) expect(x.get(e.from)!).toBeGreaterThan(x.get(e.to)!);
  });

  it("as of a date, leaves out what was not yet published", async () => {
    const asOf = new Date("2024-10-14T12:00:00Z");
    const { picture, svg } = await readStoryPicture(SLUG, { asOf });
    const story = await readStory(SLUG, { asOf });
    expect(picture.nodes).toHaveLength(6);
    expect(picture.nodes.map((n) => n.id).sort()).toEqual(story.claims.map((c) => `c${c.id}`).sort());
    expect(picture.edges.map((e) => e.kind)).toEqual(["relays", "relays", "relays"]);
    expect(svg).not.toContain("15 Oct 2024");
    expect(svg).not.toContain("corrected");
  });

  it("serves the same picture as a file of its own, with its namespace", async () => {
    const file = await storyPictureFile(SLUG);
    const doc = parseSvg(file);
    expect(doc.documentElement.namespaceURI).toBe("http://www.w3.org/2000/svg");
    expect(doc.getElementsByTagName("a")).toHaveLength(9);
  });
});

describe("a claim's neighbourhood", () => {
  it("shows the claim, what it relays, what relays it and what it links with", async () => {
    const wrap = await readClaimPicture(1);
    // The Wrap's claim: ComicBook relayed it, then a later ComicBook claim contradicted it.
    expect(wrap.picture.nodes.map((n) => n.id).sort()).toEqual(["c1", "c4", "c7"]);
    expect(wrap.picture.nodes.find((n) => n.focus)!.id).toBe("c1");
    expect(wrap.picture.edges.map((e) => `${e.from} ${e.kind} ${e.to}`).sort()).toEqual(["c4 relays c1", "c7 contradicts c1", "c7 corrects c4"]);
    const relay = await readClaimPicture(4);
    expect(relay.picture.nodes.map((n) => n.id).sort()).toEqual(["c1", "c4", "c7"]);
    parseSvg(relay.svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"'));
  });
});

// Claims as the read model gives them, without a database: enough for the picture.
function syntheticClaims(count: number, outlets: number): ClaimView[] {
  return Array.from({ length: count }, (_, i) => {
    const outlet = { id: 1 + (i % outlets), slug: `outlet-${1 + (i % outlets)}`, name: `Outlet ${1 + (i % outlets)}` };
    return {
      id: i + 1,
      storyId: 1,
      storySlug: "big",
      questionId: 1 + (i % 3),
      assertedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
      text: `Claim number ${i + 1}`,
      relaysClaimId: i > 10 && i % 4 === 0 ? 1 + (i % 7) : null,
      outlet,
      document: { id: i + 1, title: "A report", url: null, publishedAt: new Date(Date.UTC(2024, 0, 1)), precision: "day" },
      status: i % 5 === 0 ? "disputed" : "standing",
    } as unknown as ClaimView;
  });
}

describe("a story too big to draw claim by claim", () => {
  it("gathers 10,000 claims into boxes by question and outlet, says so, and still lays them out", async () => {
    const claims = syntheticClaims(10_000, 60);
    const links = claims.slice(100, 3100).map((c, i) => ({ id: i + 1, kind: "confirms" as const, fromClaimId: c.id, toClaimId: 1 + (i % 50), effectiveAt: c.assertedAt, createdAt: c.createdAt, note: null }));
    const picture = pictureOf({
      title: "Big",
      questions: [1, 2, 3].map((id) => ({ id, label: `Question ${id}?` })),
      claims,
      neighbours: [],
      links,
      listHref: "/stories/big#timeline",
    });
    expect(picture.grouped).toEqual({ claims: 10_000, outlets: 60 });
    // Six outlets and one box for the rest, in each of three questions.
    expect(picture.nodes).toHaveLength(21);
    // Boxes lead to their outlet, the one for the rest to the story's list of claims.
    expect(picture.nodes.filter((n) => n.href === "/stories/big#timeline")).toHaveLength(3);
    expect(picture.nodes.filter((n) => n.href.startsWith("/outlets/"))).toHaveLength(18);
    expect(picture.nodes.reduce((n, node) => n + Number(/· ([\d,]+) claims?/.exec(node.heading)![1]!.replace(/,/g, "")), 0)).toBe(10_000);
    const relays = claims.filter((c) => c.relaysClaimId).length;
    const drawnOrNot = [...picture.edges, ...picture.undrawn].reduce((n, e) => n + e.count, 0);
    expect(drawnOrNot).toBe(relays + links.length);
    expect(picture.edges.length).toBeLessThanOrEqual(40);
    expect(picture.undrawn.length).toBeGreaterThan(0);
    const layout = await layOut(picture);
    expect(layout.nodes).toHaveLength(21);
    expect(layout.edges).toHaveLength(picture.edges.length);
  });

  it("draws claim by claim up to the limit", () => {
    const picture = pictureOf({ title: "Small", questions: [], claims: syntheticClaims(CLAIM_LIMIT, 5), neighbours: [], links: [], listHref: "/" });
    expect(picture.grouped).toBeNull();
    expect(picture.nodes).toHaveLength(CLAIM_LIMIT);
  });
});

describe("the timeline strip", () => {
  it("has a column per day of the story, each leading to the account as of then, and marks the as-of date", async () => {
    const strip = (await readStoryStrip(SLUG, { asOf: new Date("2024-10-14T12:00:00Z") }))!;
    const doc = parseSvg(strip.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"'));
    const columns = [...doc.getElementsByTagName("a")];
    expect(columns.map((a) => a.getAttribute("aria-label"))).toEqual([
      "14 Oct 2024: 3 reports, 3 relays",
      "15 Oct 2024: 3 reports, 6 corrections and other links (after the date shown)",
    ]);
    expect(columns[0]!.getAttribute("href")).toBe(`/stories/${SLUG}?asOf=2024-10-14`);
    expect(doc.documentElement.textContent).toContain("As of 14 Oct 2024");
    const now = (await readStoryStrip(SLUG))!;
    expect(now).not.toContain("As of");
  });
});
