import { sql } from "drizzle-orm";
import { getDb, intArray, rows, type Executor } from "@/db";
import type { Status } from "@/lib/status";
import { memo } from "@/lib/cache";
import { loadGraph } from "@/lib/claims/graph";
import { clockFrom } from "@/lib/clock";
import { getStoryBySlug } from "@/lib/stories/write";
import type { RepeatsQuery, SimilarQuery } from "@/lib/validation";
import { mergeMatches } from "./merge";
import { findLikelyRepeats } from "./repeats";
import { matchClaims, SUGGEST_AT } from "./similar";

// Claim matching: claims worded like a text (the claim form's suggestions and the API), where a
// claim first appeared and how far it went (./appearance.ts, read with the claim), and the likely
// relays nobody has marked yet (./repeats.ts).

export type { Appearance, Spread } from "./appearance";
export { confirmRepeat, dismissRepeat, REPEATS_PAGE, type LikelyRepeat, type RepeatsPage } from "./repeats";
export { REPEAT_AT, SUGGEST_AT } from "./similar";

/** A claim worded like the text asked about, as the API gives it. */
export type SimilarClaim = {
  id: number;
  text: string;
  quote: string | null;
  score: number;
  outlet: { slug: string; name: string };
  story: { slug: string; title: string };
  assertedAt: Date;
  status: Status;
};

export async function similarClaims(db: Executor, query: SimilarQuery): Promise<{ claims: SimilarClaim[] }> {
  const storyId = query.story === undefined ? undefined : (await getStoryBySlug(db, query.story)).id;
  const matches = await matchClaims(db, query.text, { limit: query.limit, threshold: SUGGEST_AT, storyId });
  if (!matches.length) return { claims: [] };
  const ids = matches.map((m) => m.claimId);
  const [graph, titles] = await Promise.all([
    loadGraph(db, { claimIds: ids }, clockFrom({})),
    rows<{ slug: string; title: string }>(db, sql`select s.slug, s.title from stories s where s.id in (select story_id from claims where id = any(${intArray(ids)}))`),
  ]);
  const titleOf = new Map(titles.map((s) => [s.slug, s.title]));
  const claims: SimilarClaim[] = [];
  for (const m of matches) {
    const c = graph.claims.get(m.claimId);
    if (!c) continue;
    claims.push({
      id: c.id,
      text: c.text,
      quote: c.quote,
      score: m.score,
      outlet: { slug: c.outlet.slug, name: c.outlet.name },
      story: { slug: c.storySlug, title: titleOf.get(c.storySlug) ?? c.storySlug },
      assertedAt: c.assertedAt,
      status: c.status,
    });
  }
  return { claims };
}

/** Claims worded like a text, best first; cached until the next write. */
export const readSimilar = (query: SimilarQuery) =>
  memo(`similar|${query.story ?? ""}|${query.limit}|${query.text}`, async () => similarClaims(await getDb(), query));

/** Claims like a claim being logged, by its statement or its quote, best first: the claim form's suggestions. */
export async function readSuggestions(statement: string, quote: string | undefined, limit: number): Promise<SimilarClaim[]> {
  const texts = [statement, quote].map((t) => t?.trim() ?? "").filter((t) => t.length > 0);
  const lists = await Promise.all(texts.map((text) => readSimilar({ text, limit })));
  return mergeMatches(
    lists.map((l) => l.claims),
    limit,
  );
}

/** A page of likely relays not yet marked, newest claims first. */
export const readLikelyRepeats = (query: RepeatsQuery = {}) =>
  memo(`repeats|${query.story ?? ""}|${query.olderThan ?? ""}`, async () => {
    const db = await getDb();
    const storyId = query.story === undefined ? undefined : (await getStoryBySlug(db, query.story)).id;
    return findLikelyRepeats(db, { olderThan: query.olderThan, storyId });
  });
