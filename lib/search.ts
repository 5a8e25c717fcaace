import { sql, type SQL } from "drizzle-orm";
import { getDb, rows, type Executor } from "@/db";
import { memo } from "@/lib/cache";
import { loadGraph, type ClaimView } from "@/lib/claims/graph";
import { clockFrom } from "@/lib/clock";

export const RESULTS_PER_KIND = 20;

// Private-use characters mark the matches inside headlines; any already in the text are
// dropped first so that a stored text cannot fake a highlight.
const START = "\uE000";
const STOP = "\uE001";
const WHOLE_BELOW_CHARS = 320;
const wholeOptions = `HighlightAll=true, StartSel=${START}, StopSel=${STOP}`;
const fragmentOptions = `StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** The column with its matches marked: all of it when short, else the fragments around the matches. */
function headline(column: SQL, query: SQL): SQL {
  const text = sql`translate(${column}, ${START + STOP}, '')`;
  return sql`case when length(${column}) <= ${WHOLE_BELOW_CHARS}
    then ts_headline('english', ${text}, ${query}, ${wholeOptions})
    else ts_headline('english', ${text}, ${query}, ${fragmentOptions}) end`;
}

/** A headline as runs of text, the matched words flagged. */
export type Highlighted = { text: string; match: boolean }[];

export function splitHighlights(headline: string): Highlighted {
  const parts: Highlighted = [];
  let match = false;
  let at = 0;
  for (let i = 0; i <= headline.length; i++) {
    const c = headline[i];
    if (i === headline.length || c === START || c === STOP) {
      if (i > at) parts.push({ text: headline.slice(at, i), match });
      if (c === START) match = true;
      else if (c === STOP) match = false;
      at = i + 1;
    }
  }
  return parts;
}

export type ClaimHit = { claim: ClaimView; text: Highlighted; quote: Highlighted | null };
export type StoryHit = { slug: string; title: Highlighted; summary: Highlighted | null };
export type OutletHit = { slug: string; name: Highlighted; claims: number };
export type SearchResults = {
  query: string;
  /** False when the query holds only words too common to search for ("the", "of"). */
  searchable: boolean;
  claims: ClaimHit[];
  stories: StoryHit[];
  outlets: OutletHit[];
};

/**
 * Full-text search over claims (statement and quote, current revision), stories and outlets,
 * best match first. The matched expressions are those of the search indexes (migration
 * 0003_search; claims' stored terms since 0007), so the indexes serve them.
 */
export async function search(db: Executor, query: string, limit = RESULTS_PER_KIND): Promise<SearchResults> {
  const q = sql`websearch_to_tsquery('english', ${query})`;
  const [probe] = await rows<{ nodes: number }>(db, sql`select numnode(${q}) as nodes`);
  if (!probe || Number(probe.nodes) === 0) return { query, searchable: false, claims: [], stories: [], outlets: [] };

  const claimDoc = sql`r.search`;
  const storyDoc = sql`to_tsvector('english'::regconfig, s.title || ' ' || coalesce(s.summary, ''))`;
  const outletDoc = sql`to_tsvector('english'::regconfig, o.name)`;
  const [claimRows, storyRows, outletRows] = await Promise.all([
    rows<{ id: number; text: string; quote: string | null }>(
      db,
      sql`select c.id,
                 ${headline(sql`r.text`, q)} as text,
                 case when r.quote is null then null else ${headline(sql`r.quote`, q)} end as quote
          from claims c join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
          where ${claimDoc} @@ ${q}
          order by ts_rank(${claimDoc}, ${q}) desc, c.asserted_at desc, c.id desc
          limit ${limit}`,
    ),
    rows<{ slug: string; title: string; summary: string | null }>(
      db,
      sql`select s.slug,
                 ${headline(sql`s.title`, q)} as title,
                 case when s.summary is null then null else ${headline(sql`s.summary`, q)} end as summary
          from stories s
          where ${storyDoc} @@ ${q}
          order by ts_rank(${storyDoc}, ${q}) desc, s.id desc
          limit ${limit}`,
    ),
    rows<{ slug: string; name: string; claims: number }>(
      db,
      sql`select o.slug,
                 ${headline(sql`o.name`, q)} as name,
                 (select count(*) from claims c join documents d on d.id = c.document_id where d.outlet_id = o.id)::int as claims
          from outlets o
          where ${outletDoc} @@ ${q}
          order by ts_rank(${outletDoc}, ${q}) desc, o.name
          limit ${limit}`,
    ),
  ]);

  // Statuses come from the same graph the claim pages use, so a result's badge matches its page.
  const graph = claimRows.length ? await loadGraph(db, { claimIds: claimRows.map((r) => Number(r.id)) }, clockFrom({})) : null;
  const claims: ClaimHit[] = [];
  for (const r of claimRows) {
    const claim = graph?.claims.get(Number(r.id));
    if (claim) claims.push({ claim, text: splitHighlights(r.text), quote: r.quote == null ? null : splitHighlights(r.quote) });
  }
  return {
    query,
    searchable: true,
    claims,
    stories: storyRows.map((r) => ({ slug: r.slug, title: splitHighlights(r.title), summary: r.summary == null ? null : splitHighlights(r.summary) })),
    outlets: outletRows.map((r) => ({ slug: r.slug, name: splitHighlights(r.name), claims: Number(r.claims) })),
  };
}

/** Search results, cached until the next write. */
export const readSearch = (query: string): Promise<SearchResults> => memo(`search|${query}`, async () => search(await getDb(), query));
