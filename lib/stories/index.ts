import { getDb } from "@/db";
import { memo } from "@/lib/cache";
import { clockFrom, clockKey, type ClockQuery } from "@/lib/clock";
import { loadStory, loadStoryOutline, storyReadOf, type StoryOutline, type StoryRead, type StoryView } from "./account";
import { loadStoryChanges, type StoryChanges } from "./changes";
import { loadStoryPage, type StoryPage } from "./page";
import { provenanceOf } from "./provenance";
import { listStories, listStoriesWithLatestChange, type StoryList } from "./list";

// The stories area: every page and API route reads a story through these, cached until the next
// write. Writes are re-exported from ./write.

export type { QuestionView, StoryOutline, StoryRead, StoryView } from "./account";
export type { StoryChanges } from "./changes";
export { describeChange, STORIES_PER_PAGE, type LatestChange, type StoryList } from "./list";
export type { ShownQuestion, StoryPage } from "./page";
export type { TimelineEvent } from "./timeline";
export { addQuestion, createStory } from "./write";

/** A story at a clock with every claim in full: for the API, feeds, cards and editors. */
export const readStory = (slug: string, q: ClockQuery = {}): Promise<StoryRead> =>
  memo(`story|${slug}|${clockKey(q)}`, async () => storyReadOf(await loadStory(await getDb(), slug, clockFrom(q))));

/**
 * The same story from outlines: every status, answer, event and stop, without any claim's words
 * or source. What a reader sees of a large story is a small part of it: this is the cheap whole.
 */
export const readStoryOutline = (slug: string, q: ClockQuery = {}): Promise<StoryOutline> =>
  memo(`story-outline|${slug}|${clockKey(q)}`, async () => {
    const loaded = await loadStoryOutline(await getDb(), slug, clockFrom(q));
    return { ...storyReadOf(loaded), graph: loaded.graph };
  });

/** The story's page: its account and one page of its timeline, with the claims shown read in full. */
export const readStoryPage = (slug: string, q: ClockQuery & { page?: number } = {}): Promise<StoryPage> =>
  memo(`story-page|${slug}|${clockKey(q)}|${q.page ?? 1}`, async () => loadStoryPage(await getDb(), await readStoryOutline(slug, q), q.page));

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
