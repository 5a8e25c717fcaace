import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { questions as questionsTable, type Question, type Story } from "@/db/schema";
import { loadGraph, loadOutlineGraph, linkViewOf, type ClaimOutline, type ClaimView, type Graph, type GraphScope, type LinkView } from "@/lib/claims/graph";
import type { Clock } from "@/lib/clock";
import { isContested, isEdgeVisible, isVisible, rankAnswers } from "@/lib/status";
import { timeOf } from "@/lib/time";
import { timelineOf, type TimelineEvent } from "./timeline";
import { getStoryBySlug } from "./write";

// A story's account at a clock: its questions with their best answers, its claims and links.

// The views are derived alike from full claims and from outlines (C), which a large story's page
// reads instead and completes for the claims it shows.

export type QuestionView<C extends ClaimOutline = ClaimView> = Question & { best: C | null; answers: C[]; replaced: C[]; contested: boolean };

export type StoryView<C extends ClaimOutline = ClaimView> = {
  story: Story;
  clock: Clock;
  questions: QuestionView<C>[];
  /** Claims of the story published by asOf, oldest first. */
  claims: C[];
  links: LinkView[];
};

const byDate = (a: ClaimOutline, b: ClaimOutline) => timeOf(a.assertedAt) - timeOf(b.assertedAt) || a.id - b.id;

export function storyViewFrom<C extends ClaimOutline>(story: Story, questionRows: Question[], graph: Graph<C>): StoryView<C> {
  const { clock } = graph;
  const claims = [...graph.claims.values()].filter((c) => c.storyId === story.id && isVisible(c, clock)).sort(byDate);
  const questions = questionRows
    .filter((q) => q.createdAt <= clock.knownAt)
    .map((q) => {
      const mine = claims.filter((c) => c.questionId === q.id);
      const answers = rankAnswers(mine);
      const replaced = mine.filter((c) => c.status === "corrected" || c.status === "retracted").reverse();
      return { ...q, best: answers[0] ?? null, answers, replaced, contested: isContested(new Set(answers.map((a) => a.id)), graph.edges, clock) };
    });
  const ids = new Set(claims.map((c) => c.id));
  const links = graph.edges.filter((e) => isEdgeVisible(e, clock) && (ids.has(e.fromClaimId) || ids.has(e.toClaimId))).map(linkViewOf);
  return { story, clock, questions, claims, links };
}

/** Claims of other stories that the story's claims relay or link with, in view at the graph's clock. */
export function neighboursOf<C extends ClaimOutline>(view: StoryView<C>, graph: Graph<C>): C[] {
  const own = new Set(view.claims.map((c) => c.id));
  const ids = new Set<number>();
  for (const c of view.claims) if (c.relaysClaimId != null && !own.has(c.relaysClaimId)) ids.add(c.relaysClaimId);
  for (const l of view.links) for (const id of [l.fromClaimId, l.toClaimId]) if (!own.has(id)) ids.add(id);
  return [...ids].flatMap((id) => {
    const c = graph.claims.get(id);
    return c && isVisible(c, graph.clock) ? [c] : [];
  });
}

export type LoadedStory<C extends ClaimOutline = ClaimView> = { story: Story; questions: Question[]; graph: Graph<C> };

async function loadStoryWith<C extends ClaimOutline>(
  db: Executor,
  slug: string,
  clock: Clock,
  load: (db: Executor, scope: GraphScope, clock: Clock) => Promise<Graph<C>>,
): Promise<LoadedStory<C>> {
  const story = await getStoryBySlug(db, slug);
  const [questions, graph] = await Promise.all([
    db.select().from(questionsTable).where(eq(questionsTable.storyId, story.id)).orderBy(asc(questionsTable.id)),
    load(db, { storyId: story.id }, clock),
  ]);
  return { story, questions, graph };
}

/** Everything a story's views are derived from: the account, the timeline and the changes. */
export const loadStory = (db: Executor, slug: string, clock: Clock): Promise<LoadedStory> => loadStoryWith(db, slug, clock, loadGraph);

/** The same as outlines: statuses, answers, timeline and stops, without any claim's words or source. */
export const loadStoryOutline = (db: Executor, slug: string, clock: Clock): Promise<LoadedStory<ClaimOutline>> => loadStoryWith(db, slug, clock, loadOutlineGraph);

/**
 * The instants at which a loaded story's account changed (a claim published, a link taking
 * effect once both its ends were out, a source editing a quoted passage), oldest first, as recorded by the load's knownAt: the stops
 * of the as-of view. Whatever the load's asOf, it holds every claim and link known by then.
 */
export function storyStops<C extends ClaimOutline>({ story, graph }: LoadedStory<C>): Date[] {
  // Everything recorded by knownAt, whenever it was published.
  const recorded: Clock = { asOf: new Date(8.64e15), knownAt: graph.clock.knownAt };
  const inStory = (id: number) => graph.claims.get(id)?.storyId === story.id;
  const times = new Set<number>();
  for (const c of graph.claims.values()) {
    if (c.storyId !== story.id || !isVisible(c, recorded)) continue;
    times.add(timeOf(c.assertedAt));
    for (const at of graph.sourceEditTimes.get(c.id) ?? []) times.add(timeOf(at));
  }
  for (const e of graph.edges) {
    if ((inStory(e.fromClaimId) || inStory(e.toClaimId)) && isEdgeVisible(e, recorded)) {
      times.add(Math.max(timeOf(e.effectiveAt), timeOf(e.fromAssertedAt), timeOf(e.toAssertedAt)));
    }
  }
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

/**
 * A story at a clock: its account, the dated events of its timeline, the stops of its as-of view,
 * and the claims of other stories its own relay or link with.
 */
export type StoryRead<C extends ClaimOutline = ClaimView> = StoryView<C> & { timeline: TimelineEvent<C>[]; stops: Date[]; neighbours: C[] };

/** The same from outlines, with the graph they came from, through which the claims shown are read in full. */
export type StoryOutline = StoryRead<ClaimOutline> & { graph: Graph<ClaimOutline> };

export function storyReadOf<C extends ClaimOutline>(loaded: LoadedStory<C>): StoryRead<C> {
  const view = storyViewFrom(loaded.story, loaded.questions, loaded.graph);
  return { ...view, timeline: timelineOf(view, loaded.graph), stops: storyStops(loaded), neighbours: neighboursOf(view, loaded.graph) };
}
