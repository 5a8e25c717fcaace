import type { Executor } from "@/db";
import type { Story } from "@/db/schema";
import { linkViewOf, type ClaimView, type Graph, type LinkView } from "@/lib/claims/graph";
import type { Clock } from "@/lib/clock";
import { deriveStatuses, type Status } from "@/lib/status";
import { loadStory, storyViewFrom } from "./account";

export type StoryChanges = {
  story: Story;
  from: Date;
  to: Date;
  questions: { id: number; label: string; before: ClaimView | null; after: ClaimView | null; changed: boolean }[];
  added: ClaimView[];
  statusChanges: { claim: ClaimView; before: Status; after: Status; causes: LinkView[] }[];
};

/** What changed in a story's account between two publication instants, as known at `knownAt`. */
export async function loadStoryChanges(db: Executor, slug: string, from: Date, to: Date, knownAt = new Date()): Promise<StoryChanges> {
  const later: Clock = { asOf: to, knownAt };
  const earlier: Clock = { asOf: from, knownAt };
  const { story, questions: questionRows, graph } = await loadStory(db, slug, later);
  // One load serves both instants: statuses at the earlier one are derived from the same rows.
  const earlierStatuses = deriveStatuses(graph.claims.values(), graph.edges, earlier);
  const earlierGraph: Graph = {
    ...graph,
    clock: earlier,
    claims: new Map([...graph.claims].map(([id, c]) => [id, { ...c, ...earlierStatuses.get(id)! }])),
  };
  const before = storyViewFrom(story, questionRows, earlierGraph);
  const after = storyViewFrom(story, questionRows, graph);
  const beforeIds = new Map(before.claims.map((c) => [c.id, c]));
  return {
    story,
    from,
    to,
    questions: after.questions.map((q) => {
      const prior = before.questions.find((b) => b.id === q.id)?.best ?? null;
      return { id: q.id, label: q.label, before: prior, after: q.best, changed: prior?.id !== q.best?.id };
    }),
    added: after.claims.filter((c) => !beforeIds.has(c.id)),
    statusChanges: after.claims
      .filter((c) => beforeIds.has(c.id) && beforeIds.get(c.id)!.status !== c.status)
      .map((c) => ({
        claim: c,
        before: beforeIds.get(c.id)!.status,
        after: c.status,
        causes: c.causes.filter((e) => e.effectiveAt > from).map(linkViewOf),
      })),
  };
}
