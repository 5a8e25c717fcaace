import { sql, type SQL } from "drizzle-orm";
import { intArray, rows, toDate, type Executor } from "@/db";
import type { LinkKind, Precision } from "@/db/schema";
import type { Clock } from "@/lib/clock";
import { REPLACING_KINDS_SQL } from "@/lib/links";
import { deriveStatuses, edgeBetween, type Edge, type StatusInfo } from "@/lib/status";
import { timeOf } from "@/lib/time";
import { anchorOf, type Anchor } from "./quote-checks";

// Claims with everything their status depends on: the SQL, its rows as views, and the graph of
// links between them. The readers of claims, stories, outlets, search and feeds all load through here.

export type ClaimView = {
  id: number;
  storyId: number;
  storySlug: string;
  documentId: number;
  versionId: number | null;
  questionId: number | null;
  speaker: string | null;
  assertedAt: Date;
  createdAt: Date;
  revision: number;
  text: string;
  quote: string | null;
  quotePrefix: string | null;
  quoteSuffix: string | null;
  quoteVerified: boolean;
  relaysClaimId: number | null;
  document: { id: number; title: string; url: string | null; publishedAt: Date; precision: Precision };
  outlet: { id: number; slug: string; name: string };
  /** Where its quote stands in the newest version of its source seen by the clock. */
  anchor: Anchor;
  /** The times its source removed or reworded what it quotes (or put it back), oldest first. */
  sourceEdits: SourceEdit[];
} & StatusInfo;

/** A silent edit: a version of the source, seen at `seenAt`, that changed what the claim quotes. */
export type SourceEdit = {
  checkId: number;
  state: "changed" | "removed" | "present";
  /** When the version was seen (the edit happened by then), and when Claimtrail recorded it. */
  seenAt: Date;
  recordedAt: Date;
  versionId: number;
  /** The version the quote was last found in as it was. */
  fromVersionId: number | null;
  /** The new wording, for a reworded passage. */
  found: string | null;
};

type CheckRow = { id: number; claimId: number; revision: number; state: "present" | "changed" | "ambiguous" | "removed"; versionId: number; anchoredVersionId: number | null; found: string | null; seenAt: Date; createdAt: Date };

export type LinkView = Omit<Edge, "fromAssertedAt" | "fromCreatedAt" | "toAssertedAt" | "toCreatedAt">;

/**
 * What a claim's status and its place in a story depend on, without its words or its source:
 * enough to derive every status of a large story, rank its answers, and draw it grouped by outlet.
 * A ClaimView is one too, so what is derived from outlines works on full claims alike.
 */
export type ClaimOutline = Pick<ClaimView, "id" | "storyId" | "questionId" | "assertedAt" | "createdAt" | "revision" | "relaysClaimId" | "outlet" | "sourceEdits"> & StatusInfo;

type ClaimRow = Record<string, unknown>;

// A claim's own columns as it read at knownAt, oldest first: the order the views sort claims in,
// so their sorts find the work done. Documents and outlets come from a query of their own (below):
// claims share documents, and one row per document costs less to send and parse than its columns
// repeated on every claim's row.
function claimSelect(where: SQL, knownAt: Date) {
  return sql`
    select c.id, c.story_id, s.slug as story_slug, c.document_id, c.version_id, c.question_id, c.speaker,
           c.asserted_at, c.created_at, r.revision, r.text, r.quote, r.quote_prefix, r.quote_suffix,
           r.quote_verified, r.relays_claim_id, cv.seen_at as version_seen_at
    from claims c
    left join document_versions cv on cv.id = c.version_id
    join lateral (
      select * from claim_revisions r where r.claim_id = c.id and r.created_at <= ${knownAt.toISOString()}::timestamptz
      order by r.revision desc limit 1
    ) r on true
    join stories s on s.id = c.story_id
    where ${where}
    order by c.asserted_at, c.id`;
}

type Source = Pick<ClaimView, "document" | "outlet">;

const sourceSelect = (where: SQL) => sql`
  select d.id, d.title, d.url, d.published_at, d.precision, o.id as outlet_id, o.slug as outlet_slug, o.name as outlet_name
  from documents d join outlets o on o.id = d.outlet_id
  where d.id in (select c.document_id from claims c where ${where})`;

function mapSource(r: ClaimRow): Source {
  return {
    document: { id: Number(r.id), title: String(r.title), url: (r.url as string | null) ?? null, publishedAt: toDate(r.published_at), precision: r.precision as Precision },
    outlet: { id: Number(r.outlet_id), slug: String(r.outlet_slug), name: String(r.outlet_name) },
  };
}

type LoadedClaim = Omit<ClaimView, keyof StatusInfo | "anchor" | "sourceEdits">;

function mapClaim(r: ClaimRow, { document, outlet }: Source): LoadedClaim {
  return {
    id: Number(r.id),
    storyId: Number(r.story_id),
    storySlug: String(r.story_slug),
    documentId: Number(r.document_id),
    versionId: r.version_id == null ? null : Number(r.version_id),
    questionId: r.question_id == null ? null : Number(r.question_id),
    speaker: (r.speaker as string | null) ?? null,
    assertedAt: toDate(r.asserted_at),
    createdAt: toDate(r.created_at),
    revision: Number(r.revision),
    text: String(r.text),
    quote: (r.quote as string | null) ?? null,
    quotePrefix: (r.quote_prefix as string | null) ?? null,
    quoteSuffix: (r.quote_suffix as string | null) ?? null,
    quoteVerified: Boolean(r.quote_verified),
    relaysClaimId: r.relays_claim_id == null ? null : Number(r.relays_claim_id),
    document,
    outlet,
  };
}

// The quote checks of the claims matching `where`, as recorded by knownAt, oldest version first.
const checkSelect = (where: SQL, knownAt: Date) => sql`
  select q.id, q.claim_id, q.revision, q.state, q.version_id, q.anchored_version_id, q.found, q.seen_at, q.created_at
  from quote_checks q join document_versions v on v.id = q.version_id
  where q.claim_id in (select c.id from claims c where ${where}) and q.created_at <= ${knownAt.toISOString()}::timestamptz
  order by v.seen_at, v.id`;

const mapCheck = (r: ClaimRow): CheckRow => ({
  id: Number(r.id),
  claimId: Number(r.claim_id),
  revision: Number(r.revision),
  state: r.state as CheckRow["state"],
  versionId: Number(r.version_id),
  anchoredVersionId: r.anchored_version_id == null ? null : Number(r.anchored_version_id),
  found: (r.found as string | null) ?? null,
  seenAt: toDate(r.seen_at),
  createdAt: toDate(r.created_at),
});

/** The checks of a claim's revision at which its quote's standing changed: its source's edits. */
function editsOf(checks: CheckRow[]): SourceEdit[] {
  const edits: SourceEdit[] = [];
  let last: string = "present";
  for (const c of checks) {
    const state = c.state === "ambiguous" ? "changed" : c.state;
    if (state !== last) edits.push({ checkId: c.id, state, seenAt: c.seenAt, recordedAt: c.createdAt, versionId: c.versionId, fromVersionId: c.anchoredVersionId, found: c.found });
    last = state;
  }
  return edits;
}

/** The checks of versions seen by the clock's asOf. */
const seenBy = (checks: CheckRow[], clock: Clock) => checks.filter((c) => timeOf(c.seenAt) <= timeOf(clock.asOf));

/** Its anchor and its source's edits at the clock, from its checks: those of its revision, of versions seen by asOf. */
function quoteStanding(claim: LoadedClaim, versionSeenAt: Date | null, checks: CheckRow[], clock: Clock): Pick<ClaimView, "anchor" | "sourceEdits"> {
  const mine = seenBy(checks, clock);
  return { anchor: anchorOf(claim, mine, versionSeenAt), sourceEdits: editsOf(mine) };
}

function checksByClaim(checkRows: ClaimRow[]): Map<number, CheckRow[]> {
  const checks = new Map<number, CheckRow[]>();
  for (const r of checkRows) {
    const check = mapCheck(r);
    const list = checks.get(check.claimId);
    if (list) list.push(check);
    else checks.set(check.claimId, [check]);
  }
  return checks;
}

/** Claims as loaded, before their statuses are derived, and when each one's source edited its quote. */
type Loaded<C> = { claims: C[]; editTimes: Map<number, Date[]> };

/**
 * The claims matching `where` as they read at the clock's knownAt, with where their quotes stand;
 * claims citing one document share its objects.
 */
async function loadClaims(db: Executor, where: SQL, clock: Clock): Promise<Loaded<Omit<ClaimView, keyof StatusInfo>>> {
  const [claimRows, sourceRows, checkRows] = await Promise.all([
    rows<ClaimRow>(db, claimSelect(where, clock.knownAt)),
    rows<ClaimRow>(db, sourceSelect(where)),
    rows<ClaimRow>(db, checkSelect(where, clock.knownAt)),
  ]);
  const sources = new Map(sourceRows.map((r) => [Number(r.id), mapSource(r)]));
  const checks = checksByClaim(checkRows);
  const editTimes = new Map<number, Date[]>();
  // The queries see the data a moment apart: a claim committed in between, with a new
  // document, is left out as if the load had come a moment earlier.
  const claims = claimRows.flatMap((r) => {
    const source = sources.get(Number(r.document_id));
    if (!source) return [];
    const claim = mapClaim(r, source);
    const mine = (checks.get(claim.id) ?? []).filter((c) => c.revision === claim.revision);
    if (mine.length) editTimes.set(claim.id, editsOf(mine).map((e) => e.seenAt));
    return [Object.assign(claim, quoteStanding(claim, r.version_seen_at == null ? null : toDate(r.version_seen_at), mine, clock))];
  });
  return { claims, editTimes };
}

// The columns a status depends on, from the revision current at knownAt, and each claim's outlet
// in place of its document: a fraction of the 3.3 MB that claimSelect and sourceSelect send for a
// story of 10,000 claims. They come as one JSON array of arrays, oldest claim first, with dates
// as milliseconds (truncated, as JavaScript reads a timestamp's text): a large story's outlines took
// 33–40 ms of the server's CPU as rows, each column parsed on its own and each date from its text,
// and 15–22 ms this way, one query measured alone on either side.
function outlineSelect(where: SQL, knownAt: Date) {
  const ms = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::bigint`;
  return sql`
    select coalesce(json_agg(json_build_array(c.id, c.story_id, c.question_id, ${ms(sql`c.asserted_at`)}, ${ms(sql`c.created_at`)},
                                              r.revision, r.relays_claim_id, d.outlet_id) order by c.asserted_at, c.id), '[]')::text as outlines
    from claims c
    join lateral (
      select r.revision, r.relays_claim_id from claim_revisions r where r.claim_id = c.id and r.created_at <= ${knownAt.toISOString()}::timestamptz
      order by r.revision desc limit 1
    ) r on true
    join documents d on d.id = c.document_id
    where ${where}`;
}

/** One claim's outline as outlineSelect sends it. */
type OutlineRow = [id: number, storyId: number, questionId: number | null, assertedAt: number, createdAt: number, revision: number, relaysClaimId: number | null, outletId: number];

// The outlets of those claims: a few dozen rows, whatever the number of claims.
const outletSelect = (where: SQL) => sql`
  select o.id, o.slug, o.name from outlets o
  where o.id in (select d.outlet_id from claims c join documents d on d.id = c.document_id where ${where})`;

type LoadedOutline = Omit<ClaimOutline, keyof StatusInfo>;

/** Most claims have no source edits: they share one empty list. */
const NO_EDITS: SourceEdit[] = Object.freeze([]) as unknown as SourceEdit[];

/** The claims matching `where` as outlines: what loadClaims gives, less their words, quotes and sources. */
async function loadOutlines(db: Executor, where: SQL, clock: Clock): Promise<Loaded<LoadedOutline>> {
  const [outlines, outletRows, checkRows] = await Promise.all([
    // An aggregate: one row, whatever the number of claims.
    rows<{ outlines: string }>(db, outlineSelect(where, clock.knownAt)).then(([row]) => JSON.parse(row!.outlines) as OutlineRow[]),
    rows<ClaimRow>(db, outletSelect(where)),
    rows<ClaimRow>(db, checkSelect(where, clock.knownAt)),
  ]);
  const outlets = new Map(outletRows.map((r) => [Number(r.id), { id: Number(r.id), slug: String(r.slug), name: String(r.name) }]));
  const checks = checksByClaim(checkRows);
  const editTimes = new Map<number, Date[]>();
  const claims: LoadedOutline[] = [];
  for (const [id, storyId, questionId, assertedAt, createdAt, revision, relaysClaimId, outletId] of outlines) {
    // As in loadClaims: a claim whose outlet came in after the first query waits for the next load.
    const outlet = outlets.get(outletId);
    if (!outlet) continue;
    const mine = checks.get(id)?.filter((c) => c.revision === revision);
    if (mine?.length) editTimes.set(id, editsOf(mine).map((e) => e.seenAt));
    claims.push({
      id,
      storyId,
      questionId,
      assertedAt: new Date(assertedAt),
      createdAt: new Date(createdAt),
      revision,
      relaysClaimId,
      outlet,
      sourceEdits: mine?.length ? editsOf(seenBy(mine, clock)) : NO_EDITS,
    });
  }
  return { claims, editTimes };
}

function mapLink(r: ClaimRow): LinkView {
  return {
    id: Number(r.id),
    kind: r.kind as LinkKind,
    fromClaimId: Number(r.from_claim_id),
    toClaimId: Number(r.to_claim_id),
    effectiveAt: toDate(r.effective_at),
    createdAt: toDate(r.created_at),
    note: (r.note as string | null) ?? null,
  };
}

/** A link with the dates of both its ends, which decide from when it is in force. */
function mapEdge(r: ClaimRow): Edge {
  return edgeBetween(mapLink(r), { assertedAt: toDate(r.from_asserted_at), createdAt: toDate(r.from_created_at) }, { assertedAt: toDate(r.to_asserted_at), createdAt: toDate(r.to_created_at) });
}

const linkColumns = sql`l.id, l.kind, l.from_claim_id, l.to_claim_id, l.effective_at, l.created_at, l.note`;

const linkSelect = (where: SQL) => sql`select ${linkColumns} from links l where ${where}`;

const edgeSelect = (where: SQL) => sql`
  select ${linkColumns}, f.asserted_at as from_asserted_at, f.created_at as from_created_at,
         t.asserted_at as to_asserted_at, t.created_at as to_created_at
  from links l join claims f on f.id = l.from_claim_id join claims t on t.id = l.to_claim_id
  where ${where}`;

export type Graph<C extends ClaimOutline = ClaimView> = {
  claims: Map<number, C>;
  edges: Edge[];
  clock: Clock;
  /** When each claim's source edited its quote, as recorded by knownAt, whatever asOf: the as-of view's stops. */
  sourceEditTimes: Map<number, Date[]>;
};

export type GraphScope = { storyId: number } | { claimIds: number[] };

/**
 * Loads claims (by story or by id) with everything their status depends on, in a fixed number
 * of round trips whatever the story's size: relay ancestors, links in and out, and the links
 * into the claims that contradict them.
 */
export const loadGraph = (db: Executor, scope: GraphScope, clock: Clock): Promise<Graph> => graphOf(db, scope, clock, loadClaims);

/**
 * The same graph of outlines: every status derived as loadGraph derives it, from ids, dates,
 * relays and links, with no claim's words or source read. `loadClaimViews` gives the claims a
 * reader is shown in full.
 */
export const loadOutlineGraph = (db: Executor, scope: GraphScope, clock: Clock): Promise<Graph<ClaimOutline>> => graphOf(db, scope, clock, loadOutlines);

async function graphOf<C extends Omit<ClaimOutline, keyof StatusInfo>>(
  db: Executor,
  scope: GraphScope,
  clock: Clock,
  load: (db: Executor, where: SQL, clock: Clock) => Promise<Loaded<C>>,
): Promise<Graph<C & StatusInfo>> {
  const seedWhere = "storyId" in scope ? sql`c.story_id = ${scope.storyId}` : sql`c.id = any(${intArray(scope.claimIds)})`;
  // Links in and out of a set of claims, each end looked up through its own index. Both ends of
  // these are loaded below, so their dates come from the claims rather than from a join.
  const touching = (ids: SQL) => sql`${linkSelect(sql`l.to_claim_id in ${ids}`)} union ${linkSelect(sql`l.from_claim_id in ${ids}`)}`;
  // The claims and their links follow from the same condition, so both queries go out at once.
  const [seed, seedLinks] = await Promise.all([load(db, seedWhere, clock), rows<ClaimRow>(db, touching(sql`(select c.id from claims c where ${seedWhere})`))]);
  const known = new Map(seed.claims.map((c) => [c.id, c]));
  const sourceEditTimes = seed.editTimes;
  const links = seedLinks.map(mapLink);
  const seen = new Set(links.map((l) => l.id));
  // Relay origins outside the loaded claims, and theirs up the chain: their own links decide what
  // their relays must say. Most relays stay within a story, and then this takes no round trip.
  const leaving = new Set<number>();
  for (const c of known.values()) if (c.relaysClaimId != null && !known.has(c.relaysClaimId)) leaving.add(c.relaysClaimId);
  const outside = leaving.size
    ? (
        await rows<{ id: number }>(
          db,
          sql`with recursive chain(id, depth) as (
                select unnest(${intArray(leaving)}), 1
                union
                select r.relays_claim_id, chain.depth + 1 from chain
                join claims c on c.id = chain.id
                join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
                where r.relays_claim_id is not null and chain.depth < 100
              ) select distinct id from chain`,
        )
      )
        .map((a) => Number(a.id))
        .filter((id) => !known.has(id))
    : [];
  if (outside.length) {
    for (const l of (await rows<ClaimRow>(db, touching(sql`(select unnest(${intArray(outside)}))`))).map(mapLink)) {
      if (!seen.has(l.id)) links.push(l);
      seen.add(l.id);
    }
  }
  const core = new Set([...known.keys(), ...outside]);
  const others = new Set<number>();
  for (const l of links) for (const id of [l.fromClaimId, l.toClaimId]) if (!core.has(id)) others.add(id);
  // Corrections of the claims at the far ends: their authors need not be loaded, only their dates.
  const more = others.size
    ? (await rows<ClaimRow>(db, edgeSelect(sql`l.to_claim_id = any(${intArray(others)}) and l.kind in (${REPLACING_KINDS_SQL})`))).map(mapEdge)
    : [];
  const missing = [...core, ...others].filter((id) => !known.has(id));
  if (missing.length) {
    const loaded = await load(db, sql`c.id = any(${intArray(missing)})`, clock);
    for (const c of loaded.claims) known.set(c.id, c);
    for (const [id, times] of loaded.editTimes) sourceEditTimes.set(id, times);
  }
  // A claim not loaded had no revision yet at knownAt, so a link from or to it is in force at no
  // clock this graph serves.
  const edges: Edge[] = [];
  for (const l of links) {
    const from = known.get(l.fromClaimId);
    const to = known.get(l.toClaimId);
    if (from && to) edges.push(edgeBetween(l, from, to));
  }
  for (const e of more) if (!seen.has(e.id)) edges.push(e);
  const statuses = deriveStatuses(known.values(), edges, clock);
  // The rows were made for this load alone, so each takes its status in place: copying ten
  // thousand of them would cost more than deriving the statuses.
  const claims = new Map<number, C & StatusInfo>();
  for (const [id, c] of known) claims.set(id, Object.assign(c, statuses.get(id)!));
  return { claims, edges, clock, sourceEditTimes };
}

/**
 * The claims of an outline graph named by `ids`, in full, each with the status the graph derived
 * for it: the few a page shows of a story too large to read whole. Ids not in the graph, or gone
 * from the database, are left out.
 */
export async function loadClaimViews(db: Executor, graph: Graph<ClaimOutline>, ids: Iterable<number>): Promise<Map<number, ClaimView>> {
  const wanted = [...new Set(ids)].filter((id) => graph.claims.has(id));
  const views = new Map<number, ClaimView>();
  if (!wanted.length) return views;
  const { claims } = await loadClaims(db, sql`c.id = any(${intArray(wanted)})`, graph.clock);
  for (const c of claims) {
    const { status, causes, relayOf } = graph.claims.get(c.id)!;
    views.set(c.id, Object.assign(c, { status, causes, relayOf }));
  }
  return views;
}

/** `ids` and the claims relaying any of them, to any depth, by their current revisions. */
export async function relaysOf(db: Executor, ids: number[]): Promise<number[]> {
  const found = await rows<{ id: number }>(
    db,
    sql`with recursive down(id, depth) as (
          select unnest(${intArray(ids)}), 0
          union
          select r.claim_id, down.depth + 1 from down
          join claim_revisions r on r.relays_claim_id = down.id
          join claims c on c.id = r.claim_id and c.revision = r.revision
          where down.depth < 100
        ) select distinct id from down`,
  );
  return found.map((r) => Number(r.id));
}

/** A link as readers see it: the dates of its ends are the graph's business. */
export const linkViewOf = ({ fromAssertedAt: _a, fromCreatedAt: _b, toAssertedAt: _c, toCreatedAt: _d, ...rest }: Edge): LinkView => rest;
