import type { Executor } from "@/db";
import type { Question, Story } from "@/db/schema";
import { loadClaimViews, type ClaimOutline, type ClaimView } from "@/lib/claims/graph";
import type { Clock } from "@/lib/clock";
import { pageOf } from "@/lib/paging";
import type { StoryOutline } from "./account";
import type { TimelineEvent } from "./timeline";

// A story's page: the whole account is derived from outlines (statuses, rankings, timeline,
// stops), and only the claims the page shows are read in full, so a story of ten thousand claims
// reads the words of a hundred at most.

/** Events on one page of the timeline: short enough to read and load fast on a phone, whatever the story's size. */
export const TIMELINE_PAGE = 25;
/** A question with hundreds of standing answers shows its best, the next few, and a count of the rest. */
export const ANSWERS_SHOWN = 10;

export type ShownQuestion = Question & {
  best: ClaimView | null;
  /** The answers after the best, best first, up to ANSWERS_SHOWN. */
  others: ClaimView[];
  /** How many standing answers there are beyond those shown. */
  unlisted: number;
  /** The answers it replaced, the latest first, up to ANSWERS_SHOWN. */
  replaced: ClaimView[];
  contested: boolean;
};

export type StoryPage = {
  story: Story;
  clock: Clock;
  questions: ShownQuestion[];
  /** The whole account's size at the clock. */
  claimCount: number;
  linkCount: number;
  stops: Date[];
  /** One page of the timeline; `first` is the position of its first event in the whole. */
  timeline: { page: number; pages: number; first: number; events: TimelineEvent[] };
};

function inFull(event: TimelineEvent<ClaimOutline>, full: Map<number, ClaimView>): TimelineEvent | null {
  if (event.type === "link") {
    const [from, to] = [full.get(event.from.id), full.get(event.to.id)];
    const toRelays = event.toRelays && full.get(event.toRelays.id);
    return from && to && toRelays !== undefined ? { ...event, from, to, toRelays } : null;
  }
  const claim = full.get(event.claim.id);
  return claim ? { ...event, claim } : null;
}

/** Page `requested` of a story (the last page when beyond it), its shown claims read in full. */
export async function loadStoryPage(db: Executor, outline: StoryOutline, requested: number | undefined): Promise<StoryPage> {
  const { page, pages, shown } = pageOf(outline.timeline, requested, TIMELINE_PAGE);
  const picked = outline.questions.map((q) => ({ question: q, others: q.answers.slice(1, 1 + ANSWERS_SHOWN), replaced: q.replaced.slice(0, ANSWERS_SHOWN) }));
  const ids = new Set<number>();
  for (const { question, others, replaced } of picked) for (const c of [question.best, ...others, ...replaced]) if (c) ids.add(c.id);
  for (const e of shown) for (const c of e.type === "link" ? [e.from, e.to, e.toRelays] : [e.claim]) if (c) ids.add(c.id);
  const full = await loadClaimViews(db, outline.graph, ids);
  // A claim missing here was in the outline but not in the second read (a race with a write,
  // whose commit drops this page anyway): it is left out rather than shown without its words.
  const known = (claims: ClaimOutline[]) => claims.flatMap((c) => full.get(c.id) ?? []);
  return {
    story: outline.story,
    clock: outline.clock,
    questions: picked.map(({ question: { best, answers, replaced: _all, ...question }, others, replaced }) => ({
      ...question,
      best: best && (full.get(best.id) ?? null),
      others: known(others),
      unlisted: Math.max(0, answers.length - 1 - others.length),
      replaced: known(replaced),
    })),
    claimCount: outline.claims.length,
    linkCount: outline.links.length,
    stops: outline.stops,
    timeline: { page, pages, first: (page - 1) * TIMELINE_PAGE + 1, events: shown.flatMap((e) => inFull(e, full) ?? []) },
  };
}
