import { getDb } from "@/db";
import { memo } from "@/lib/cache";
import type { ClaimView } from "@/lib/claims";
import { clockFrom, clockKey, type ClockQuery } from "@/lib/clock";
import { loadStory, neighboursOf, storyStops, storyViewFrom, type StoryView } from "./account";
import { loadStoryChanges, type StoryChanges } from "./changes";
import { provenanceOf } from "./provenance";
import { listStories, listStoriesWithLatestChange, type StoryList } from "./list";
import { timelineOf, type TimelineEvent } from "./timeline";

// The stories area: every page and API route reads a story through these, cached until the next
// write. Writes are re-exported from ./write.

export type { QuestionView, StoryView } from "./account";
export type { StoryChanges } from "./changes";
export { describeChange, STORIES_PER_PAGE, type LatestChange, type StoryList } from "./list";
export type { TimelineEvent } from "./timeline";
export { addQuestion, createStory } from "./write";

/**
 * A story at a clock: its account, the dated events of its timeline, the stops of its as-of view,
 * and the claims of other stories its own relay or link with.
 */
export type StoryRead = StoryView & { timeline: TimelineEvent[]; stops: Date[]; neighbours: ClaimView[] };

export const readStory = (slug: string, q: ClockQuery = {}): Promise<StoryRead> =>
  memo(`story|${slug}|${clockKey(q)}`, async () => {
    const loaded = await loadStory(await getDb(), slug, clockFrom(q));
    const view = storyViewFrom(loaded.story, loaded.questions, loaded.graph);
    return { ...view, timeline: timelineOf(view, loaded.graph), stops: storyStops(loaded), neighbours: neighboursOf(view, loaded.graph) };
  });

/** The story as the API serves it (its account, without timeline and stops), serialised once per write. */
export const readStoryJson = (slug: string, q: ClockQuery = {}): Promise<string> =>
  memo(`story-json|${slug}|${clockKey(q)}`, async () => {
    const { story, clock, questions, claims, links } = await readStory(slug, q);
    return JSON.stringify({ story, clock, questions, claims, links } satisfies StoryView);
  });

export async function readTimeline(slug: string, q: ClockQuery = {}) {
  const { story, clock, timeline } = await readStory(slug, q);
  return { story, clock, events: timeline };
}

/** What changed between two publication instants (`to` left out: now), as known at `knownAt` (left out: now). */
export const readChanges = (slug: string, range: { from: Date; to?: Date; knownAt?: Date }): Promise<StoryChanges> =>
  memo(`changes|${slug}|${range.from.toISOString()}|${clockKey({ asOf: range.to, knownAt: range.knownAt })}`, async () => {
    const now = new Date();
    return loadStoryChanges(await getDb(), slug, range.from, range.to ?? now, range.knownAt ?? now);
  });

/** Stories, most recently changed first, a page at a time, each with its latest change. */
export const readStoryList = (page: number): Promise<StoryList> => memo(`stories|${page}`, async () => listStoriesWithLatestChange(await getDb(), page));

/** Stories newest first, by title, for an editor's pickers. */
export const readStoryTitles = (limit: number) => memo(`story-titles|${limit}`, async () => listStories(await getDb(), limit));

/** The story's provenance as PROV-O JSON-LD, with addresses under `origin`. */
export const readStoryProvenance = (slug: string, origin: string, q: ClockQuery = {}) =>
  memo(`story-prov|${slug}|${origin}|${clockKey(q)}`, async () => provenanceOf(await getDb(), await readStory(slug, q), (path) => `${origin}${path}`));
