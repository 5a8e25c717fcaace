import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { questions as questionsTable, type Question, type Story } from "@/db/schema";
import { loadGraph, linkViewOf, type ClaimView, type Graph, type LinkView } from "@/lib/claims/graph";
import type { Clock } from "@/lib/clock";
import { isContested, isEdgeVisible, isVisible, rankAnswers } from "@/lib/status";
import { timeOf } from "@/lib/time";
import { getStoryBySlug } from "./write";

// A story's account at a clock: its questions with their best answers, its claims and links.

export type QuestionView = Question & { best: ClaimView | null; answers: ClaimView[]; replaced: ClaimView[]; contested: boolean };

export type StoryView = {
  story: Story;
  clock: Clock;
  questions: QuestionView[];
  /** Claims of the story published by asOf, oldest first. */
  claims: ClaimView[];
  links: LinkView[];
};

const byDate = (a: ClaimView, b: ClaimView) => timeOf(a.assertedAt) - timeOf(b.assertedAt) || a.id - b.id;

export function storyViewFrom(story: Story, questionRows: Question[], graph: Graph): StoryView {
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
export function neighboursOf(view: StoryView, graph: Graph): ClaimView[] {
  const own = new Set(view.claims.map((c) => c.id));
  const ids = new Set<number>();
  for (const c of view.claims) if (c.relaysClaimId != null && !own.has(c.relaysClaimId)) ids.add(c.relaysClaimId);
  for (const l of view.links) for (const id of [l.fromClaimId, l.toClaimId]) if (!own.has(id)) ids.add(id);
  return [...ids].flatMap((id) => {
    const c = graph.claims.get(id);
    return c && isVisible(c, graph.clock) ? [c] : [];
  });
}

export type LoadedStory = { story: Story; questions: Question[]; graph: Graph };

/** Everything a story's views are derived from: the account, the timeline and the changes. */
export async function loadStory(db: Executor, slug: string, clock: Clock): Promise<LoadedStory> {
  const story = await getStoryBySlug(db, slug);
  const [questions, graph] = await Promise.all([
    db.select().from(questionsTable).where(eq(questionsTable.storyId, story.id)).orderBy(asc(questionsTable.id)),
    loadGraph(db, { storyId: story.id }, clock),
  ]);
  return { story, questions, graph };
}

/**
 * The instants at which a loaded story's account changed (a claim published, a link taking
 * effect once both its ends were out, a source editing a quoted passage), oldest first, as recorded by the load's knownAt: the stops
 * of the as-of view. Whatever the load's asOf, it holds every claim and link known by then.
 */
export function storyStops({ story, graph }: LoadedStory): Date[] {
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
