import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db";
import { drawClaimCard, drawStoryCard } from "@/lib/cards";
import { loadGraph } from "@/lib/claims/graph";
import { clockFrom } from "@/lib/clock";
import { drawLayout } from "@/lib/provenance/draw";
import { layOut } from "@/lib/provenance/layout";
import { pictureOf } from "@/lib/provenance/picture";
import { drawStrip } from "@/lib/provenance/strip";
import { seed, SEED_STORY_SLUG } from "@/lib/seed";
import { loadStory, neighboursOf, storyViewFrom } from "@/lib/stories/account";
import { timelineOf } from "@/lib/stories/timeline";
import { median } from "./stats";

// The provenance pictures and share cards, drawn in the bench process from stories loaded out of
// the bench's database: the work a page does for them, without HTTP and the page around them.

export type PictureBenchRow = {
  story: string;
  claims: number;
  boxes: number;
  edges: number;
  grouped: boolean;
  /** The story's load, for scale: the page pays it anyway. */
  loadMs: number;
  /** Layout and drawing of the picture: the first time in the process, the median of fresh layouts after it, and the median of redrawing with the layout kept. */
  firstMs: number;
  medianMs: number;
  keptMs: number;
  stripMs: number;
  svgBytes: number;
};
export type CardBenchRow = { card: string; firstMs: number; medianMs: number; bytes: number };
export type PictureBench = { stories: PictureBenchRow[]; cards: CardBenchRow[]; note?: string };

const RUNS = 5;

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: Math.round((performance.now() - start) * 10) / 10, value };
}

async function repeat<T>(work: () => Promise<T> | T) {
  const first = await timed(work);
  const rest: number[] = [];
  for (let i = 0; i < RUNS; i++) rest.push((await timed(work)).ms);
  return { firstMs: first.ms, medianMs: median(rest), value: first.value };
}

/** The story with the number of claims nearest to `target`. */
async function storyNear(db: Executor, target: number): Promise<string | null> {
  const [row] = await rows<{ slug: string }>(
    db,
    sql`select s.slug from stories s join claims c on c.story_id = s.id group by s.slug order by abs(count(*) - ${target}), s.slug limit 1`,
  );
  return row?.slug ?? null;
}

export async function runPictureBench(db: Executor, probes: { largeStorySlug: string; claimId: number }): Promise<PictureBench> {
  const seeded = await seed(db, process.env.SEED_DIR);
  const demo = seeded.created || seeded.reason === "already seeded";
  const ninety = await storyNear(db, 90);
  const slugs = [...(demo ? [["demo story", SEED_STORY_SLUG]] : []), ...(ninety ? [["story of about 90 claims", ninety]] : []), ["largest story", probes.largeStorySlug]];
  const clock = clockFrom({});
  const stories: PictureBenchRow[] = [];
  let largestView = null;
  for (const [name, slug] of slugs) {
    const loaded = await timed(async () => {
      const story = await loadStory(db, slug!, clock);
      const view = storyViewFrom(story.story, story.questions, story.graph);
      return { view, graph: story.graph };
    });
    const { view, graph } = loaded.value;
    const input = { title: view.story.title, questions: view.questions, claims: view.claims, neighbours: neighboursOf(view, graph), links: view.links, listHref: "/" };
    const draw = (reuse: boolean) => async () => {
      const picture = pictureOf(input);
      return { picture, svg: drawLayout(await layOut(picture, { reuse }), { title: picture.title, prefix: "bench" }) };
    };
    const drawn = await repeat(draw(false));
    const kept = await repeat(draw(true));
    const timeline = timelineOf(view, graph);
    const strip = await repeat(() => drawStrip(timeline, { href: () => "/", title: view.story.title }));
    stories.push({
      story: `${name} (${slug})`,
      claims: view.claims.length,
      boxes: drawn.value.picture.nodes.length,
      edges: drawn.value.picture.edges.length,
      grouped: drawn.value.picture.grouped !== null,
      loadMs: loaded.ms,
      firstMs: drawn.firstMs,
      medianMs: drawn.medianMs,
      keptMs: kept.medianMs,
      stripMs: strip.medianMs,
      svgBytes: Buffer.byteLength(drawn.value.svg),
    });
    largestView = view;
  }
  const cards: CardBenchRow[] = [];
  const now = (await loadGraph(db, { claimIds: [probes.claimId] }, clock)).claims.get(probes.claimId)!;
  const then = (await loadGraph(db, { claimIds: [probes.claimId] }, clockFrom({ asOf: now.assertedAt }))).claims.get(probes.claimId)!;
  const claimCard = await repeat(() => drawClaimCard(now, then));
  cards.push({ card: `claim ${probes.claimId}`, firstMs: claimCard.firstMs, medianMs: claimCard.medianMs, bytes: claimCard.value.byteLength });
  if (largestView) {
    const storyCard = await repeat(() => drawStoryCard(largestView));
    cards.push({ card: `story ${largestView.story.slug}`, firstMs: storyCard.firstMs, medianMs: storyCard.medianMs, bytes: storyCard.value.byteLength });
  }
  return { stories, cards, ...(!demo && { note: `the demo story was not measured: ${seeded.reason}` }) };
}

export function picturesMarkdown(bench: PictureBench): string[] {
  const lines = [
    "## Provenance pictures and share cards",
    "",
    `Drawn in the bench process after the server stopped (\`bench/pictures.ts\`): the story loaded once, then its picture laid out by ELK and drawn as SVG, the first time in the process, then the median of ${RUNS} fresh layouts, and the median of ${RUNS} redraws with the layout kept (as after a write that changes only counts or words). The page draws each once per write and clock and keeps it with the page.`,
    "",
    "| story | claims | boxes | edges drawn | grouped | load ms | picture ms, first | picture ms, median | picture ms, layout kept | strip ms | SVG |",
    "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...bench.stories.map(
      (s) =>
        `| ${s.story} | ${s.claims.toLocaleString("en")} | ${s.boxes} | ${s.edges} | ${s.grouped ? "by outlet" : "no"} | ${s.loadMs} | ${s.firstMs} | ${s.medianMs} | ${s.keptMs} | ${s.stripMs} | ${Math.round(s.svgBytes / 1000)} KB |`,
    ),
    "",
    "| share card (1200×630 PNG) | ms, first | ms, median | size |",
    "| --- | ---: | ---: | ---: |",
    ...bench.cards.map((c) => `| ${c.card} | ${c.firstMs} | ${c.medianMs} | ${Math.round(c.bytes / 1000)} KB |`),
    "",
  ];
  if (bench.note) lines.push(`⚠ ${bench.note}`, "");
  return lines;
}
