import { and, asc, eq, lte, sql, type SQL } from "drizzle-orm";
import { rows, type Executor } from "@/db";
import { claimRevisions, questions as questionsTable, type ClaimRevision, type LinkKind, type Precision, type Question, type Story } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { deriveStatuses, edgeBetween, isContested, isEdgeVisible, isVisible, rankAnswers, type Clock, type Edge, type Status, type StatusInfo } from "@/lib/status";
import { getStoryBySlug } from "@/lib/stories";
import { timeOf } from "@/lib/time";

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
} & StatusInfo;

export type LinkView = Omit<Edge, "fromAssertedAt" | "fromCreatedAt" | "toAssertedAt" | "toCreatedAt">;

export const clockFrom = (q: { asOf?: Date; knownAt?: Date }, now = new Date()): Clock => ({ asOf: q.asOf ?? now, knownAt: q.knownAt ?? now });

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

type ClaimRow = Record<string, unknown>;

// A claim's own columns as it read at knownAt, oldest first: the order the views sort claims in,
// so their sorts find the work done. Documents and outlets come from a query of their own (below):
// claims share documents, and one row per document costs less to send and parse than its columns
// repeated on every claim's row.
function claimSelect(where: SQL, knownAt: Date) {
  return sql`
    select c.id, c.story_id, s.slug as story_slug, c.document_id, c.version_id, c.question_id, c.speaker,
           c.asserted_at, c.created_at, r.revision, r.text, r.quote, r.quote_prefix, r.quote_suffix,
           r.quote_verified, r.relays_claim_id
    from claims c
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

function mapClaim(r: ClaimRow, { document, outlet }: Source): Omit<ClaimView, keyof StatusInfo> {
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

/** The claims matching `where` as they read at knownAt; claims citing one document share its objects. */
async function loadClaims(db: Executor, where: SQL, knownAt: Date): Promise<Omit<ClaimView, keyof StatusInfo>[]> {
  const [claimRows, sourceRows] = await Promise.all([rows<ClaimRow>(db, claimSelect(where, knownAt)), rows<ClaimRow>(db, sourceSelect(where))]);
  const sources = new Map(sourceRows.map((r) => [Number(r.id), mapSource(r)]));
  // The two queries see the data a moment apart: a claim committed in between, with a new
  // document, is left out as if the load had come a moment earlier.
  return claimRows.flatMap((r) => {
    const source = sources.get(Number(r.document_id));
    return source ? [mapClaim(r, source)] : [];
  });
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

const idArray = (ids: Iterable<number>) => sql`${`{${[...ids].join(",")}}`}::int[]`;

export type Graph = { claims: Map<number, ClaimView>; edges: (Edge)[]; clock: Clock };

/**
 * Loads claims (by story or by id) with everything their status depends on, in a fixed number
 * of round trips whatever the story's size: relay ancestors, links in and out, and the links
 * into the claims that contradict them.
 */
export async function loadGraph(db: Executor, scope: { storyId: number } | { claimIds: number[] }, clock: Clock): Promise<Graph> {
  const seedWhere = "storyId" in scope ? sql`c.story_id = ${scope.storyId}` : sql`c.id = any(${idArray(scope.claimIds)})`;
  // Links in and out of a set of claims, each end looked up through its own index. Both ends of
  // these are loaded below, so their dates come from the claims rather than from a join.
  const touching = (ids: SQL) => sql`${linkSelect(sql`l.to_claim_id in ${ids}`)} union ${linkSelect(sql`l.from_claim_id in ${ids}`)}`;
  // The claims and their links follow from the same condition, so both queries go out at once.
  const [seedClaims, seedLinks] = await Promise.all([loadClaims(db, seedWhere, clock.knownAt), rows<ClaimRow>(db, touching(sql`(select c.id from claims c where ${seedWhere})`))]);
  const known = new Map(seedClaims.map((c) => [c.id, c]));
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
                select unnest(${idArray(leaving)}), 1
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
    for (const l of (await rows<ClaimRow>(db, touching(sql`(select unnest(${idArray(outside)}))`))).map(mapLink)) {
      if (!seen.has(l.id)) links.push(l);
      seen.add(l.id);
    }
  }
  const core = new Set([...known.keys(), ...outside]);
  const others = new Set<number>();
  for (const l of links) for (const id of [l.fromClaimId, l.toClaimId]) if (!core.has(id)) others.add(id);
  // Corrections of the claims at the far ends: their authors need not be loaded, only their dates.
  const more = others.size
    ? (await rows<ClaimRow>(db, edgeSelect(sql`l.to_claim_id = any(${idArray(others)}) and l.kind in ('corrects','supersedes','retracts')`))).map(mapEdge)
    : [];
  const missing = [...core, ...others].filter((id) => !known.has(id));
  if (missing.length) {
    for (const c of await loadClaims(db, sql`c.id = any(${idArray(missing)})`, clock.knownAt)) known.set(c.id, c);
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
  const claims = new Map<number, ClaimView>();
  for (const [id, c] of known) claims.set(id, Object.assign(c, statuses.get(id)!));
  return { claims, edges, clock };
}

export type QuestionView = Question & { best: ClaimView | null; answers: ClaimView[]; replaced: ClaimView[]; contested: boolean };

export type StoryView = {
  story: Story;
  clock: Clock;
  questions: QuestionView[];
  /** Claims of the story published by asOf, oldest first. */
  claims: ClaimView[];
  links: LinkView[];
};

const byDate = (a: ClaimView, b: ClaimView) => timeOf(a.assertedAt) - timeOf(b.assertedAt) || a.id - b.id;
const stripEdge = ({ fromAssertedAt: _a, fromCreatedAt: _b, toAssertedAt: _c, toCreatedAt: _d, ...rest }: Edge): LinkView => rest;

export function storyViewFrom(story: Story, questionRows: Question[], graph: Graph): StoryView {
  const { clock } = graph;
  const claims = [...graph.claims.values()].filter((c) => c.storyId === story.id && isVisible(c, clock)).sort(byDate);
  const questions = questionRows
    .filter((q) => q.createdAt <= clock.knownAt)
    .map((q) => {
      const mine = claims.filter((c) => c.questionId === q.id);
      const answers = rankAnswers(mine);
      const replaced = mine.filter((c) => c.status === "corrected" || c.status === "retracted").reverse();
      return { ...q, best: answers[0] ?? null, answers, replaced, contested: isContested(new Set(answers.map((a) => a.id)), graph.edges, clock) };
    });
  const ids = new Set(claims.map((c) => c.id));
  const links = graph.edges.filter((e) => isEdgeVisible(e, clock) && (ids.has(e.fromClaimId) || ids.has(e.toClaimId))).map(stripEdge);
  return { story, clock, questions, claims, links };
}

export type LoadedStory = { story: Story; questions: Question[]; graph: Graph };

/** Everything a story's views are derived from: the account, the timeline and the changes. */
export async function loadStory(db: Executor, slug: string, clock: Clock): Promise<LoadedStory> {
  const story = await getStoryBySlug(db, slug);
  const [questions, graph] = await Promise.all([
    db.select().from(questionsTable).where(eq(questionsTable.storyId, story.id)).orderBy(asc(questionsTable.id)),
    loadGraph(db, { storyId: story.id }, clock),
  ]);
  return { story, questions, graph };
}

export const storyViewOf = ({ story, questions, graph }: LoadedStory): StoryView => storyViewFrom(story, questions, graph);

/** The timeline of a loaded story, from its view when that has been derived already. */
export const storyTimelineOf = (loaded: LoadedStory, view = storyViewOf(loaded)) => ({
  story: loaded.story,
  clock: loaded.graph.clock,
  events: timelineOf(view, loaded.graph),
});

/**
 * The instants at which a loaded story's account changed (a claim published, a link taking
 * effect once both its ends were out), oldest first, as recorded by the load's knownAt: the stops
 * of the as-of view. Whatever the load's asOf, it holds every claim and link known by then.
 */
export function storyEventInstants({ story, graph }: LoadedStory): Date[] {
  // Everything recorded by knownAt, whenever it was published.
  const recorded: Clock = { asOf: new Date(8.64e15), knownAt: graph.clock.knownAt };
  const inStory = (id: number) => graph.claims.get(id)?.storyId === story.id;
  const times = new Set<number>();
  for (const c of graph.claims.values()) if (c.storyId === story.id && isVisible(c, recorded)) times.add(timeOf(c.assertedAt));
  for (const e of graph.edges) {
    if ((inStory(e.fromClaimId) || inStory(e.toClaimId)) && isEdgeVisible(e, recorded)) {
      times.add(Math.max(timeOf(e.effectiveAt), timeOf(e.fromAssertedAt), timeOf(e.toAssertedAt)));
    }
  }
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

export async function getStoryView(db: Executor, slug: string, clock: Clock): Promise<StoryView> {
  return storyViewOf(await loadStory(db, slug, clock));
}

export type ClaimDetail = {
  claim: ClaimView;
  /** From the claim's origin's nearest relay up to the origin, the claim itself excluded. */
  relayChain: ClaimView[];
  linksOut: (LinkView & { claim: ClaimView })[];
  linksIn: (LinkView & { claim: ClaimView })[];
  revisions: ClaimRevision[];
  clock: Clock;
};

export async function getClaimDetail(db: Executor, id: number, clock: Clock): Promise<ClaimDetail> {
  const graph = await loadGraph(db, { claimIds: [id] }, clock);
  const claim = graph.claims.get(id);
  if (!claim || claim.createdAt > clock.knownAt) throw notFound(`Claim ${id}`);
  const relayChain: ClaimView[] = [];
  const seen = new Set([id]);
  for (let next = claim.relaysClaimId; next != null && !seen.has(next); next = graph.claims.get(next)?.relaysClaimId ?? null) {
    seen.add(next);
    const origin = graph.claims.get(next);
    if (!origin) break;
    relayChain.push(origin);
  }
  const visible = graph.edges.filter((e) => isEdgeVisible(e, clock));
  const withClaim = (e: Edge, other: number) => ({ ...stripEdge(e), claim: graph.claims.get(other)! });
  const revisions = await db
    .select()
    .from(claimRevisions)
    .where(and(eq(claimRevisions.claimId, id), lte(claimRevisions.createdAt, clock.knownAt)))
    .orderBy(asc(claimRevisions.revision));
  return {
    claim,
    relayChain,
    linksOut: visible.filter((e) => e.fromClaimId === id).map((e) => withClaim(e, e.toClaimId)),
    linksIn: visible.filter((e) => e.toClaimId === id).map((e) => withClaim(e, e.fromClaimId)),
    revisions,
    clock,
  };
}

export type TimelineEvent =
  | { type: "claim"; at: Date; loggedAt: Date; claim: ClaimView }
  | { type: "link"; at: Date; loggedAt: Date; link: LinkView; from: ClaimView; to: ClaimView };

/** Dated events of a story, oldest first, each with both clocks: when it happened and when it was logged. */
export function timelineOf(view: StoryView, graph: Pick<Graph, "claims">): TimelineEvent[] {
  const events: TimelineEvent[] = view.claims.map((claim) => ({ type: "claim", at: claim.assertedAt, loggedAt: claim.createdAt, claim }));
  for (const link of view.links) {
    const from = graph.claims.get(link.fromClaimId);
    const to = graph.claims.get(link.toClaimId);
    if (from && to) events.push({ type: "link", at: link.effectiveAt, loggedAt: link.createdAt, link, from, to });
  }
  return events.sort((a, b) => timeOf(a.at) - timeOf(b.at) || (a.type === b.type ? 0 : a.type === "claim" ? -1 : 1));
}

export type StoryChanges = {
  story: Story;
  from: Date;
  to: Date;
  questions: { id: number; label: string; before: ClaimView | null; after: ClaimView | null; changed: boolean }[];
  added: ClaimView[];
  statusChanges: { claim: ClaimView; before: Status; after: Status; causes: LinkView[] }[];
};

/** What changed in a story's account between two publication instants, as known at `knownAt`. */
export async function getStoryChanges(db: Executor, slug: string, from: Date, to: Date, knownAt = new Date()): Promise<StoryChanges> {
  const later: Clock = { asOf: to, knownAt };
  const earlier: Clock = { asOf: from, knownAt };
  const { story, questions: questionRows, graph } = await loadStory(db, slug, later);
  // One load serves both instants: statuses at the earlier one are derived from the same rows.
  const earlierStatuses = deriveStatuses(graph.claims.values(), graph.edges, earlier);
  const earlierGraph: Graph = {
    clock: earlier,
    edges: graph.edges,
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
        causes: c.causes.filter((e) => e.effectiveAt > from).map(stripEdge),
      })),
  };
}
