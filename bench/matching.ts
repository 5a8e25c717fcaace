import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db";
import { systemActor } from "@/lib/audit";
import { createClaim } from "@/lib/claims/write";
import { similarClaims, SUGGEST_AT } from "@/lib/matching";
import { matchClaims } from "@/lib/matching/similar";
import { seededRandom } from "@/lib/testing/textgen";
import type { Dataset } from "./dataset";

// Claim matching over the bench's data set, in the bench process after the server stopped
// (bench/run.ts): the work behind GET /api/claims/similar without HTTP and the read cache, the
// trigram index it was measured against, and what the full-text index costs a write.

export type LatencyRow = { kind: string; queries: number; p50Ms: number; p95Ms: number; maxMs: number; found: number; top1: number | null; top5: number | null };
export type WriteCostRow = { variant: string; claims: number; p50Ms: number; p95Ms: number; meanMs: number };
export type MatchingBench = { claims: number; queries: LatencyRow[]; matchOnly: LatencyRow; pending: LatencyRow | null; trigramIndex: LatencyRow | null; writes: WriteCostRow[]; indexBytes: number };

const PER_KIND = 100;
const WRITES = 200;

const ENGLISH = "the council said on monday that its new budget would fund more buses schools and parks while critics warned that taxes could rise next year after the vote".split(" ");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function summary(kind: string, times: number[], found: number, top1: number | null, top5: number | null): LatencyRow {
  const sorted = [...times].sort((a, b) => a - b);
  return { kind, queries: times.length, p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)), maxMs: round(sorted.at(-1)!), found, top1, top5 };
}

type Query = { kind: string; text: string; source: number | null };

/** Claims of the data set as an editor might type them: whole, reworded, begun, and sentences from elsewhere. */
function queriesOf(data: Dataset): Query[] {
  const random = seededRandom(20_261_202);
  const revisions = data.claimRevisions;
  const pick = () => revisions[Math.floor(random() * revisions.length)]!;
  const queries: Query[] = [];
  for (let i = 0; i < PER_KIND; i++) {
    const whole = pick();
    queries.push({ kind: "a held claim, word for word", text: whole.text, source: whole.claimId });
    const reworded = pick();
    const words = reworded.text.replace(/[.!?]$/, "").split(" ");
    // A relay in its own words: a fifth of the words dropped, two swapped, an attribution added.
    const kept = words.filter(() => random() > 0.2);
    const a = Math.floor(random() * kept.length);
    const b = Math.floor(random() * kept.length);
    [kept[a], kept[b]] = [kept[b]!, kept[a]!];
    queries.push({ kind: "a held claim, reworded", text: `${kept.join(" ")}, the Daily Ledger reports.`, source: reworded.claimId });
    const begun = pick();
    queries.push({ kind: "the first six words of a held claim", text: begun.text.split(" ").slice(0, 6).join(" "), source: begun.claimId });
    const unrelated = Array.from({ length: 12 }, () => ENGLISH[Math.floor(random() * ENGLISH.length)]).join(" ");
    queries.push({ kind: "an unrelated English sentence", text: `${unrelated[0]!.toUpperCase()}${unrelated.slice(1)}.`, source: null });
  }
  return queries;
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function latencies(queries: Query[], textOf: Map<number, string>, run: (text: string) => Promise<number[]>): Promise<LatencyRow[]> {
  // The data set repeats some claims word for word (relays): any of them first is the right answer.
  const same = (found: number | undefined, source: number) => found === source || (found !== undefined && textOf.get(found) === textOf.get(source));
  const kinds = [...new Set(queries.map((q) => q.kind))];
  const all: number[] = [];
  const rowsOut: LatencyRow[] = [];
  let found = 0;
  for (const kind of kinds) {
    const times: number[] = [];
    let hits = 0;
    let top1 = 0;
    let top5 = 0;
    const these = queries.filter((q) => q.kind === kind);
    for (const q of these) {
      const { ms, value } = await time(() => run(q.text));
      times.push(ms);
      if (value.length) hits++;
      if (q.source !== null && same(value[0], q.source)) top1++;
      if (q.source !== null && value.includes(q.source)) top5++;
    }
    all.push(...times);
    found += hits;
    const withSource = these[0]?.source !== null;
    rowsOut.push(summary(kind, times, hits, withSource ? top1 : null, withSource ? top5 : null));
  }
  rowsOut.push(summary("all", all, found, null, null));
  return rowsOut;
}

/** createClaim, the write path of the API and the forms, timed claim by claim in a transaction that is then undone. */
async function writeCost(db: Db, data: Dataset, variant: string, prepare: string | null): Promise<WriteCostRow> {
  const actor = systemActor("bench");
  const story = data.stories[1]!.slug;
  const texts = data.claimRevisions.slice(0, WRITES).map((r) => r.text);
  const documents = data.documents;
  const times: number[] = [];
  await db
    .transaction(async (tx) => {
      if (prepare) await tx.execute(sql.raw(prepare));
      for (let i = 0; i < WRITES; i++) {
        const { ms } = await time(() => createClaim(tx, actor, story, { documentId: documents[(i * 7919) % documents.length]!.id, text: `${texts[i]} (bench write ${i})` }));
        times.push(ms);
      }
      throw new Undo();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Undo)) throw err;
    });
  const sorted = [...times].sort((a, b) => a - b);
  return { variant, claims: WRITES, p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)), meanMs: round(times.reduce((s, t) => s + t, 0) / times.length) };
}

/** Rolls a measuring transaction back, carrying what it measured out. */
class Undo extends Error {
  constructor(readonly row?: LatencyRow) {
    super("undone");
  }
}

// Claims written just before the pending-list queries: about 2,600 of the data set's fill the 1 MB list.
const PENDING_CLAIMS = 2_400;

export async function runMatchingBench(db: Db, data: Dataset): Promise<MatchingBench> {
  // Whatever the load and the earlier phases left for autovacuum, as a server that has run a while would have.
  await db.execute(sql`vacuum analyze claim_revisions`);
  const queries = queriesOf(data);
  const textOf = new Map<number, string>();
  for (const r of data.claimRevisions) textOf.set(r.claimId, r.text);
  // The first query of a connection pays its planning; not what an editor waits for.
  await similarClaims(db, { text: queries[0]!.text, limit: 5 });
  const whole = await latencies(queries, textOf, async (text) => (await similarClaims(db, { text, limit: 5 })).claims.map((c) => c.id));
  const matchOnly = (await latencies(queries, textOf, async (text) => (await matchClaims(db, text, { limit: 5, threshold: SUGGEST_AT })).map((m) => m.claimId))).at(-1)!;

  // The alternative measured first: a trigram index asked for every claim within reach of the text.
  let trigramIndex: LatencyRow | null = null;
  await db.execute(sql`create index bench_trigram_idx on claim_revisions using gin (text gin_trgm_ops)`);
  try {
    // A fifth of the texts: some take seconds this way.
    trigramIndex = (
      await latencies(queries.filter((_, i) => i % 5 === 0), textOf, async (text) => {
        const found = await rows<{ claim_id: number }>(
          db,
          sql`select r.claim_id from claim_revisions r join claims c on c.id = r.claim_id and c.revision = r.revision
              where ${text} % r.text or ${text} <% r.text
              order by greatest(similarity(${text}, r.text), word_similarity(${text}, r.text)) desc limit 5`,
        );
        return found.map((r) => Number(r.claim_id));
      })
    ).at(-1)!;
  } finally {
    await db.execute(sql`drop index if exists bench_trigram_idx`);
  }

  // The index takes new terms into a pending list of up to 1 MB (migration 0010), which every
  // search reads too: the same queries with the list nearly full, in a transaction rolled back.
  const pending = await db
    .transaction(async (tx) => {
      const story = data.stories[0]!.id;
      await tx.execute(sql`
        with made as (
          insert into claims (story_id, document_id, asserted_at)
          select ${story}, ${data.documents[0]!.id}, now() from generate_series(1, ${PENDING_CLAIMS}) returning id
        )
        insert into claim_revisions (claim_id, revision, text)
        select made.id, 1, r.text || ' (pending ' || made.id || ')'
        from (select id, row_number() over (order by id) as n from made) made
        join (select text, row_number() over (order by claim_id) as n from claim_revisions where revision = 1 limit ${PENDING_CLAIMS}) r using (n)`);
      // PostgreSQL's contrib module that reads an index's pending list; gone with the rollback.
      await tx.execute(sql`create extension if not exists pgstattuple`);
      const [list] = await rows<{ tuples: number }>(tx, sql`select pending_tuples::int as tuples from pgstatginindex('claim_revisions_search_idx')`);
      const row = (await latencies(queries, textOf, async (text) => (await similarClaims(tx, { text, limit: 5 })).claims.map((c) => c.id))).at(-1)!;
      throw new Undo({ ...row, kind: `all queries, ${list?.tuples ?? "?"} claims' terms pending` });
    })
    .catch((err: unknown) => {
      if (!(err instanceof Undo)) throw err;
      return err.row ?? null;
    });

  const writes = [
    await writeCost(db, data, "as shipped: stored terms, full-text index through a pending list of 1 MB", null),
    await writeCost(db, data, "full-text index written straight in (no pending list)", "alter index claim_revisions_search_idx set (fastupdate = off)"),
    await writeCost(db, data, "no full-text index (terms still stored)", "drop index claim_revisions_search_idx"),
  ];
  const [size] = await rows<{ bytes: number }>(db, sql`select pg_relation_size('claim_revisions_search_idx')::bigint as bytes`);
  return { claims: data.claims.length, queries: whole, matchOnly: { ...matchOnly, kind: "the match query alone (no statuses)" }, pending, trigramIndex: trigramIndex && { ...trigramIndex, kind: "a trigram index instead (rejected)" }, writes, indexBytes: Number(size?.bytes ?? 0) };
}

export function matchingMarkdown(bench: MatchingBench): string[] {
  const cell = (n: number | null, of: number) => (n === null ? "–" : `${n}/${of}`);
  const latency = (r: LatencyRow) => `| ${r.kind} | ${r.queries} | ${r.p50Ms} | ${r.p95Ms} | ${r.maxMs} | ${r.found}/${r.queries} | ${cell(r.top1, r.queries)} | ${cell(r.top5, r.queries)} |`;
  return [
    "## Claim matching",
    "",
    `\`bench/matching.ts\`, in the bench process after the server stopped, over the ${bench.claims.toLocaleString("en")} claims of the data set: what GET /api/claims/similar does for a text (the match query, then the claims' statuses and stories), without HTTP and without the read cache, one query at a time, five results asked for. "Found" counts queries that got any claim above the suggestion threshold (${SUGGEST_AT}); "first" and "in five" count queries whose source claim came first (it or a claim of the very same words) or among the five.`,
    "",
    "| query | n | p50 ms | p95 ms | max ms | found | first | in five |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...bench.queries.map(latency),
    latency(bench.matchOnly),
    ...(bench.pending ? [latency(bench.pending)] : []),
    ...(bench.trigramIndex ? [latency(bench.trigramIndex)] : []),
    "",
    `The pending row: the same queries after ${PENDING_CLAIMS.toLocaleString("en")} claims were written and before the list was merged into the index, in a transaction then rolled back; every search reads the pending list whole. The trigram index row is the approach measured first and left: every fifth of the same texts through a GIN trigram index (similarity or word similarity above pg_trgm's defaults), built for the row and dropped after.`,
    "",
    `### The index on the write path`,
    "",
    `\`createClaim\` (the write of the API and the forms: the claim, its revision, the audit event, the webhook outbox) ${WRITES} times in a row in a transaction that is then rolled back, so each variant starts from the same data. The full-text index matching reads is ${Math.round(bench.indexBytes / 1_000_000)} MB.`,
    "",
    "| variant | claims | p50 ms | p95 ms | mean ms |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...bench.writes.map((w) => `| ${w.variant} | ${w.claims} | ${w.p50Ms} | ${w.p95Ms} | ${w.meanMs} |`),
    "",
  ];
}
