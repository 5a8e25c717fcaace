import { sql } from "drizzle-orm";
import { intArray, rows, textArray, type Executor } from "@/db";

/** Below this score nothing is suggested: text that shares a name or two with a claim is not like it. */
export const SUGGEST_AT = 0.3;
/** From this score two claims are taken to say the same thing: a repeat, even when not marked as a relay. */
export const REPEAT_AT = 0.5;
/** Fewer terms than this (after common words are dropped) match too much to mean anything… */
const MIN_TERMS = 2;
/** …unless the one term is a long run of letters, as a sentence in a script written without spaces is. */
const LONG_TERM = 12;
/** The longest terms of a long text find its candidates: the index query grows with the square of its terms, and on the bench 16 found as well as 24 in two thirds of the time. */
const MAX_TERMS = 16;
/** Candidates scored by their words; the best of them are then scored by their letters. */
const CANDIDATES = 50;

export type Match = { claimId: number; score: number };

export type MatchOptions = {
  limit: number;
  /** The lowest score returned: SUGGEST_AT for suggestions, REPEAT_AT for repeats. */
  threshold: number;
  storyId?: number;
  exclude?: number[];
};

const tsLiteral = (term: string) => `'${term.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/**
 * The terms of a text as the full-text index reads it (stemmed, common words dropped), longest
 * first. Null when there are too few to match on.
 */
async function termsOf(db: Executor, text: string): Promise<string[] | null> {
  const [row] = await rows<{ terms: string[] }>(db, sql`select tsvector_to_array(to_tsvector('english'::regconfig, ${text})) as terms`);
  const terms = [...(row?.terms ?? [])].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (terms.length >= MIN_TERMS || (terms.length === 1 && [...terms[0]!].length >= LONG_TERM)) return terms;
  return null;
}

/**
 * A query for items holding at least two of the terms (or the one term there is), written as
 * "a and any later one" per term: the index checks each item against the query, and an item
 * without a term's first operand skips its whole branch. Spelt out pair by pair, the same query
 * took four times as long on the bench's 100,000 claims.
 */
function atLeastTwo(terms: string[]): string {
  if (terms.length === 1) return terms[0]!;
  return terms
    .slice(0, -1)
    .map((term, i) => `(${term} & (${terms.slice(i + 1).join(" | ")}))`)
    .join(" | ");
}

/**
 * The claims whose current statement or quote reads like `text`, best first, each with a score
 * from 0 to 1.
 *
 * Candidates are the claims sharing at least two of the text's longest terms, found through the
 * full-text index of their stored terms (migration 0007), and the 50 with most terms in common are then read by their
 * letters. Trigram indexes were measured first on the bench's 100,000 claims: every query read
 * the posting lists of all its trigrams, 70–110 ms even when nothing matched, against under 10 ms
 * for the terms. Trigrams still rank the candidates, as they see reworded and misspelt words that
 * terms miss.
 *
 * The score weighs three things: the trigram similarity of the whole texts (0.4), the best
 * trigram match of either text inside the other (0.3), and the terms in common over the geometric
 * mean of the two texts' term counts (0.3), so that a short claim of common words is not like
 * every text that holds them. Each is symmetric, so two claims score the same whichever is asked
 * about.
 */
export async function matchClaims(db: Executor, text: string, options: MatchOptions): Promise<Match[]> {
  const terms = await termsOf(db, text);
  if (!terms) return [];
  const query = atLeastTwo(terms.slice(0, MAX_TERMS).map(tsLiteral));
  const found = await rows<{ claim_id: number; score: number }>(
    db,
    sql`with candidates as materialized (
          select r.claim_id, r.text, r.quote, tsvector_to_array(r.search) as terms
          from claim_revisions r join claims c on c.id = r.claim_id and c.revision = r.revision
          where r.search @@ ${query}::tsquery
            ${options.storyId === undefined ? sql`` : sql`and c.story_id = ${options.storyId}`}
            ${options.exclude?.length ? sql`and c.id <> all(${intArray(options.exclude)})` : sql``}
        ), shared as materialized (
          select claim_id, text, quote,
                 (select count(*) from unnest(terms) t where t = any(${textArray(terms)}))::float4
                   / greatest(1, sqrt(cardinality(terms) * ${terms.length})) as words
          from candidates
          order by words desc, claim_id
          limit ${CANDIDATES}
        ), scored as materialized (
          select claim_id,
                 0.4 * greatest(similarity(${text}, text), coalesce(similarity(${text}, quote), 0))
                 + 0.3 * greatest(word_similarity(${text}, text), word_similarity(text, ${text}),
                                  coalesce(greatest(word_similarity(${text}, quote), word_similarity(quote, ${text})), 0))
                 + 0.3 * words as score
          from shared
        )
        select claim_id, least(1, score)::float8 as score from scored
        where score >= ${options.threshold}
        order by score desc, claim_id
        limit ${options.limit}`,
  );
  return found.map((r) => ({ claimId: Number(r.claim_id), score: Math.round(Number(r.score) * 1000) / 1000 }));
}
