import { sql } from "drizzle-orm";
import { getDb, rows, type Executor } from "@/db";
import { memo } from "@/lib/cache";
import { readClaim } from "@/lib/claims";
import { linkViewOf, loadClaimViews, loadGraph } from "@/lib/claims/graph";
import { clockKey, type Clock, type ClockQuery } from "@/lib/clock";
import { instantParam, truncate } from "@/lib/format";
import { isEdgeVisible, isVisible } from "@/lib/status";
import { readStoryOutline } from "@/lib/stories";
import { drawLayout } from "./draw";
import { layOut, type Layout } from "./layout";
import { drawStrip } from "./strip";
import { groupedPictureOf, isCrowded, pictureOf, type Picture, type PictureEdge, type PictureNode } from "./picture";

// The provenance pictures of stories and claims: laid out and drawn once per write and clock, as
// the pages they sit in are.

export { CLAIM_LIMIT, edgeVerb, type Picture } from "./picture";

/** A drawn picture with the same relations in words, for readers who do not see it. */
export type DrawnPicture = {
  picture: Picture;
  layout: Layout;
  svg: string;
  /** The picture's edges (drawn or not), largest first, with the boxes at both ends. */
  relations: { edge: PictureEdge; from: PictureNode; to: PictureNode }[];
  /** Boxes with no edge, so that the words name every box the picture draws. */
  alone: PictureNode[];
};

async function draw(picture: Picture, prefix: string): Promise<DrawnPicture> {
  const layout = await layOut(picture);
  const nodes = new Map(picture.nodes.map((n) => [n.id, n]));
  const all = [...picture.edges, ...picture.undrawn];
  const connected = new Set(all.flatMap((e) => [e.from, e.to]));
  return {
    picture,
    layout,
    svg: drawLayout(layout, { title: picture.title, prefix }),
    relations: all.map((edge) => ({ edge, from: nodes.get(edge.from)!, to: nodes.get(edge.to)! })),
    alone: picture.nodes.filter((n) => !connected.has(n.id)),
  };
}

/**
 * The story's relays and links at a clock, grouped by question. A story too large to draw claim by
 * claim is drawn from its outline; a smaller one has its claims read in full for their words.
 */
export const readStoryPicture = (slug: string, q: ClockQuery = {}): Promise<DrawnPicture> =>
  memo(`story-picture|${slug}|${clockKey(q)}`, async () => {
    const outline = await readStoryOutline(slug, q);
    const input = {
      title: `Who reported what in “${outline.story.title}”, and who relayed or answered whom`,
      questions: outline.questions,
      links: outline.links,
      listHref: `/stories/${outline.story.slug}#timeline`,
    };
    if (isCrowded(outline)) return draw(groupedPictureOf({ ...input, claims: outline.claims, neighbours: outline.neighbours }), "story-graph");
    const full = await loadClaimViews(await getDb(), outline.graph, [...outline.claims, ...outline.neighbours].map((c) => c.id));
    const inFull = (claims: { id: number }[]) => claims.flatMap((c) => full.get(c.id) ?? []);
    return draw(pictureOf({ ...input, claims: inFull(outline.claims), neighbours: inFull(outline.neighbours) }), "story-graph");
  });

/** The picture alone, as a file of its own. */
export async function storyPictureFile(slug: string, q: ClockQuery = {}): Promise<string> {
  const { picture, layout } = await readStoryPicture(slug, q);
  return drawLayout(layout, { title: picture.title, prefix: "graph", standalone: true });
}

/**
 * The story's events on a dated axis, as known at knownAt, with the as-of date marked: the whole
 * story is drawn whatever the as-of date, so the reader sees where it falls.
 */
export const readStoryStrip = (slug: string, q: ClockQuery = {}): Promise<string | null> =>
  memo(`story-strip|${slug}|${clockKey(q)}`, async () => {
    const { story, timeline } = await readStoryOutline(slug, { knownAt: q.knownAt });
    const href = (at: Date) => {
      const params = new URLSearchParams({ asOf: instantParam(at), ...(q.knownAt && { knownAt: instantParam(q.knownAt) }) });
      return `/stories/${story.slug}?${params}`;
    };
    return drawStrip(timeline, { asOf: q.asOf, href, title: `When “${story.title}” was reported, relayed, corrected and edited` });
  });

// How far down a claim's relays its picture follows, and how many it shows at most.
const RELAY_DEPTH = 3;
const RELAYS_SHOWN = 30;

/** The claims that relay `ids` in their revision current at knownAt, down to RELAY_DEPTH steps. */
async function relaysOf(db: Executor, id: number, knownAt: Date): Promise<number[]> {
  const found = await rows<{ id: number }>(
    db,
    sql`with recursive down(id, depth) as (
          select ${id}::int, 0
          union
          select r.claim_id, down.depth + 1 from down
          join claim_revisions r on r.relays_claim_id = down.id and r.created_at <= ${knownAt.toISOString()}::timestamptz
          where down.depth < ${RELAY_DEPTH}
            and r.revision = (select max(x.revision) from claim_revisions x where x.claim_id = r.claim_id and x.created_at <= ${knownAt.toISOString()}::timestamptz)
        ) select distinct id from down where id <> ${id}::int limit ${RELAYS_SHOWN}`,
  );
  return found.map((r) => Number(r.id));
}

/** A claim's neighbourhood: the relay chain up and down, the claims it links with either way, and the links among them all. */
export const readClaimPicture = (id: number, q: ClockQuery = {}): Promise<DrawnPicture> =>
  memo(`claim-picture|${id}|${clockKey(q)}`, async () => {
    const detail = await readClaim(id, q);
    const clock: Clock = detail.clock;
    const db = await getDb();
    const ids = new Set([
      id,
      ...detail.relayChain.map((c) => c.id),
      ...(await relaysOf(db, id, clock.knownAt)),
      ...[...detail.linksOut, ...detail.linksIn].map((l) => l.claim.id),
    ]);
    const graph = await loadGraph(db, { claimIds: [...ids] }, clock);
    const shown = [...ids].flatMap((i) => {
      const c = graph.claims.get(i);
      return c && (i === id || isVisible(c, clock)) ? [c] : [];
    });
    const visible = new Set(shown.map((c) => c.id));
    const links = graph.edges.filter((e) => isEdgeVisible(e, clock) && visible.has(e.fromClaimId) && visible.has(e.toClaimId)).map(linkViewOf);
    const picture = pictureOf({
      title: `Where “${truncate(detail.claim.text, 80)}” came from, who relayed it, and who answered it`,
      questions: [],
      claims: shown,
      neighbours: [],
      links,
      focusId: id,
      otherLabel: "This claim, its relays and the claims it links with",
      listHref: `/claims/${id}#links`,
    });
    return draw(picture, "claim-graph");
  });
