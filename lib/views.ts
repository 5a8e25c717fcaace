import { getDb } from "@/db";
import { memo } from "@/lib/cache";
import { getDocument } from "@/lib/documents";
import { getOutletRecord } from "@/lib/outlets";
import { clockFrom, getClaimDetail, getStoryChanges, loadStory, storyEventInstants, storyTimelineOf, storyViewOf } from "@/lib/read";
import { search } from "@/lib/search";
import { listStoriesWithLatestChange } from "@/lib/stories";
import type { TimeQuery } from "@/lib/validation";

// The reads reader pages and feeds make, through the cache that every write invalidates.

const clockKey = (q: TimeQuery) => `${q.asOf?.toISOString() ?? "now"}|${q.knownAt?.toISOString() ?? "now"}`;

// The account and the timeline of a story come from one load of its claims and links.
const readLoadedStory = (slug: string, q: TimeQuery) =>
  memo(`story-load|${slug}|${clockKey(q)}`, async () => loadStory(await getDb(), slug, clockFrom(q)));

export const readStory = (slug: string, q: TimeQuery = {}) => memo(`story|${slug}|${clockKey(q)}`, async () => storyViewOf(await readLoadedStory(slug, q)));

/** The story's JSON as the API serves it, serialised once per write. */
export const readStoryJson = (slug: string, q: TimeQuery = {}) => memo(`story-json|${slug}|${clockKey(q)}`, async () => JSON.stringify(await readStory(slug, q)));

export const readTimeline = (slug: string, q: TimeQuery = {}) =>
  memo(`timeline|${slug}|${clockKey(q)}`, async () => storyTimelineOf(await readLoadedStory(slug, q), await readStory(slug, q)));

export const readChanges = (slug: string, from: Date, to: Date) =>
  memo(`changes|${slug}|${from.toISOString()}|${to.toISOString()}`, async () => getStoryChanges(await getDb(), slug, from, to));

export const readClaim = (id: number, q: TimeQuery = {}) =>
  memo(`claim|${id}|${clockKey(q)}`, async () => getClaimDetail(await getDb(), id, clockFrom(q)));

export const readOutlet = (slug: string) => memo(`outlet|${slug}`, async () => getOutletRecord(await getDb(), slug));

export const readDocument = (id: number) => memo(`document|${id}`, async () => getDocument(await getDb(), id));

export const readStoryList = (page: number) => memo(`stories|${page}`, async () => listStoriesWithLatestChange(await getDb(), page));

/** The stops of a story's as-of view, from the same load as its account at that clock. */
export const readStoryEvents = (slug: string, q: TimeQuery = {}) => memo(`story-events|${slug}|${clockKey(q)}`, async () => storyEventInstants(await readLoadedStory(slug, q)));

export const readSearch = (q: string) => memo(`search|${q}`, async () => search(await getDb(), q));
