import { sql, type SQL } from "drizzle-orm";
import { intArray, rows, toDate, type Executor } from "@/db";
import { loadGraph, type ClaimView } from "@/lib/claims/graph";
import { clockFrom } from "@/lib/clock";
import { notFound } from "@/lib/errors";
import { deriveStatuses, type Edge, type Status, type StatusInfo } from "@/lib/status";
import { timeOf } from "@/lib/time";
import { linkKindsOf, type FeedFilter } from "./query";

export type FeedScope = { type: "site" } | { type: "story"; slug: string } | { type: "outlet"; slug: string };

export type ScopeInfo =
  | { type: "site" }
  | { type: "story"; id: number; slug: string; title: string; summary: string | null; createdAt: Date }
  | { type: "outlet"; id: number; slug: string; name: string; homepage: string | null; createdAt: Date };

/** What the feed's validators are made of: enough to notice any new or edited event in scope. */
export type FeedState = { scope: ScopeInfo; lastModified: Date; fingerprint: string };

type Row = Record<string, unknown>;
const int = (v: unknown) => Number(v);

/** Ids of the documents in scope (those a story's claims cite, an outlet's own), as a subquery; null for the whole site. */
function scopeDocumentIds(type: ScopeInfo["type"], scopeId: SQL): SQL | null {
  if (type === "story") return sql`select document_id from claims where story_id = ${scopeId}`;
  if (type === "outlet") return sql`select id from documents where outlet_id = ${scopeId}`;
  return null;
}

/** Versions the watcher found: editors' own pastes are not news to subscribers. */
const watcherVersionInScope = (documentIds: SQL | null) => sql`v.capture_id is not null${documentIds ? sql` and v.document_id in (${documentIds})` : sql``}`;

/** Ids of the claims in scope, as a subquery; null for the whole site. */
function scopeClaimIds(type: ScopeInfo["type"], scopeId: SQL): SQL | null {
  if (type === "story") return sql`select id from claims where story_id = ${scopeId}`;
  if (type === "outlet") return sql`select c.id from claims c join documents d on d.id = c.document_id where d.outlet_id = ${scopeId}`;
  return null;
}

// A link belongs to every scope either of its claims is in: an outlet's subscribers hear of
// corrections it issued and of those aimed at it. Each end is looked up through its own index;
// one condition over both ends would have PostgreSQL read every link.
const linkInScope = (claimIds: SQL | null) =>
  claimIds
    ? sql`l.id in (select id from links where from_claim_id in (${claimIds}) union all select id from links where to_claim_id in (${claimIds}))`
    : sql`true`;

function targetOf(scope: FeedScope): SQL {
  switch (scope.type) {
    case "site":
      return sql`select null::int as id, null::text as slug, null::text as name, null::text as extra, null::timestamptz as created_at`;
    case "story":
      return sql`select id, slug, title as name, summary as extra, created_at from stories where slug = ${scope.slug}`;
    case "outlet":
      return sql`select id, slug, name, homepage as extra, created_at from outlets where slug = ${scope.slug}`;
  }
}

/**
 * Resolves the scope and reads its validators in one small query: per table in scope (claims,
 * their revisions, links) the row count and the newest creation time. Counts matter as much as
 * times: a transaction that commits late carries an older created_at than rows already shown.
 */
export async function feedState(db: Executor, scope: FeedScope): Promise<FeedState> {
  const claimIds = scopeClaimIds(scope.type, sql`(select id from target)`);
  const documentIds = scopeDocumentIds(scope.type, sql`(select id from target)`);
  // Epoch seconds as text keep the microseconds that a JavaScript Date would drop.
  const [row] = await rows<Row>(
    db,
    sql`with target as (${targetOf(scope)})
        select t.id, t.slug, t.name, t.extra, t.created_at,
               c.n as claims, extract(epoch from c.at)::text as claims_at,
               r.n as revisions, extract(epoch from r.at)::text as revisions_at,
               l.n as links, extract(epoch from l.at)::text as links_at,
               v.n as versions, extract(epoch from v.at)::text as versions_at,
               q.n as quotes, extract(epoch from q.at)::text as quotes_at,
               s.n as statuses, extract(epoch from s.at)::text as statuses_at
        from target t
        cross join lateral (select count(*)::int as n, max(created_at) as at from claims where ${claimIds ? sql`id in (${claimIds})` : sql`true`}) c
        cross join lateral (select count(*)::int as n, max(created_at) as at from claim_revisions where ${claimIds ? sql`claim_id in (${claimIds})` : sql`true`}) r
        cross join lateral (select count(*)::int as n, max(l.created_at) as at from links l where ${linkInScope(claimIds)}) l
        cross join lateral (select count(*)::int as n, max(v.created_at) as at from document_versions v where ${watcherVersionInScope(documentIds)}) v
        cross join lateral (select count(*)::int as n, max(created_at) as at from quote_checks where ${claimIds ? sql`claim_id in (${claimIds})` : sql`true`}) q
        cross join lateral (select count(*)::int as n, max(created_at) as at from status_events where ${claimIds ? sql`claim_id in (${claimIds})` : sql`true`}) s`,
  );
  if (!row) throw notFound(scope.type === "story" ? `The story "${scope.slug}"` : scope.type === "outlet" ? `The outlet "${scope.slug}"` : "The feed");

  const info: ScopeInfo =
    scope.type === "site"
      ? { type: "site" }
      : scope.type === "story"
        ? { type: "story", id: int(row.id), slug: String(row.slug), title: String(row.name), summary: (row.extra as string | null) ?? null, createdAt: toDate(row.created_at) }
        : { type: "outlet", id: int(row.id), slug: String(row.slug), name: String(row.name), homepage: (row.extra as string | null) ?? null, createdAt: toDate(row.created_at) };
  const newest = [row.claims_at, row.revisions_at, row.links_at, row.versions_at, row.quotes_at, row.statuses_at].filter((v) => v != null).map((v) => Number(v) * 1000);
  const lastModified = new Date(newest.length ? Math.max(...newest) : info.type === "site" ? 0 : timeOf(info.createdAt));
  const fingerprint = [info.type === "site" ? "site" : `${info.type}:${info.id}`, row.claims, row.claims_at, row.revisions, row.revisions_at, row.links, row.links_at, row.versions, row.versions_at, row.quotes, row.quotes_at, row.statuses, row.statuses_at].join("|");
  return { scope: info, lastModified, fingerprint };
}

/** A claim as a feed shows it: its view plus what the views do not carry. */
export type FeedClaim = ClaimView & {
  question: string | null;
  story: { slug: string; title: string };
  authors: string[];
  /** The newest change to what the item shows of this claim: its latest revision. */
  revisedAt: Date;
};

export type ClaimEvent = {
  type: "claim";
  at: Date;
  claim: FeedClaim;
  /** The claim's status right after it was logged, and now. */
  statusWhenLogged: Status;
  /** Links into the claim, which change its status now; newest creation first. */
  linksIn: Edge[];
};

export type LinkEvent = {
  type: "link";
  at: Date;
  link: Edge;
  from: FeedClaim;
  to: FeedClaim;
  /** The claim the target relays, when it relays one: "its relay of The Wrap". */
  toRelays: ClaimView | null;
  /** The target's status just before this link was logged, and just after. */
  before: Status;
  after: Status;
};

/** A new version of a document, found by the watcher. */
export type VersionEvent = {
  type: "version";
  at: Date;
  version: { id: number; text: string; seenAt: Date; note: string | null; captureId: number };
  /** The version before it, whose text it is compared with; null for the first. */
  previous: { id: number; text: string } | null;
  document: { id: number; title: string; url: string | null; authors: string[] };
  outlet: { id: number; slug: string; name: string };
};

/** A silent edit: the claim's source removed or reworded the passage it quotes. */
export type QuoteEvent = {
  type: "quote";
  at: Date;
  check: { id: number; state: "changed" | "removed" | "ambiguous"; found: string | null; seenAt: Date; versionId: number };
  claim: FeedClaim;
};

/** A claim's derived status changed, and why. */
export type StatusChangeEvent = {
  type: "status";
  at: Date;
  change: { id: number; before: string; after: string; reason: string; effectiveAt: Date; linkId: number | null };
  claim: FeedClaim;
};

export type FeedEvent = ClaimEvent | LinkEvent | VersionEvent | QuoteEvent | StatusChangeEvent;

// A quote check is news when its state differs from the check before it (for the same revision):
// the passage went, was reworded, or came back; the first check of a quote is news unless it is present.
const quoteEventSelect = (claimIds: SQL | null) => sql`
  select q.id, q.created_at, q.claim_id, q.state, q.found, q.seen_at, q.version_id from (
    select q.*, lag(q.state) over (partition by q.claim_id, q.revision order by q.seen_at, q.version_id) as previous
    from quote_checks q ${claimIds ? sql`where q.claim_id in (${claimIds})` : sql``}
  ) q
  where q.state <> 'present' and q.state is distinct from q.previous`;

/** The newest events in scope, newest first, in a fixed number of queries whatever the limit. */
export async function loadFeedEvents(db: Executor, scope: ScopeInfo, filter: FeedFilter): Promise<FeedEvent[]> {
  const claimIds = scope.type === "site" ? null : scopeClaimIds(scope.type, sql`${scope.id}`);
  const documentIds = scope.type === "site" ? null : scopeDocumentIds(scope.type, sql`${scope.id}`);
  const linkKinds = linkKindsOf(filter);
  const branches: SQL[] = [];
  // Each branch is ordered and cut on its own, so both can walk their created_at index.
  if (filter.kinds.includes("claims")) {
    branches.push(sql`(select 'claim' as type, c.id, c.created_at, c.id as from_claim_id, null::int as to_claim_id, null::jsonb as detail
      from claims c where ${claimIds ? sql`c.id in (${claimIds})` : sql`true`}
      order by c.created_at desc, c.id desc limit ${filter.limit})`);
  }
  if (linkKinds.length) {
    branches.push(sql`(select 'link' as type, l.id, l.created_at, l.from_claim_id, l.to_claim_id, null::jsonb as detail
      from links l where ${linkInScope(claimIds)} and l.kind in (${sql.join(linkKinds.map((k) => sql`${k}`), sql`, `)})
      order by l.created_at desc, l.id desc limit ${filter.limit})`);
  }
  if (filter.kinds.includes("versions")) {
    branches.push(sql`(select 'version' as type, v.id, v.created_at, null::int as from_claim_id, null::int as to_claim_id,
        jsonb_build_object('text', v.text, 'seen_at', v.seen_at, 'note', v.note, 'capture_id', v.capture_id, 'document_id', d.id, 'title', d.title,
          'url', d.url, 'authors', d.authors, 'outlet_id', o.id, 'outlet_slug', o.slug, 'outlet_name', o.name, 'previous_id', p.id, 'previous_text', p.text) as detail
      from document_versions v
      join documents d on d.id = v.document_id
      join outlets o on o.id = d.outlet_id
      left join lateral (
        select p.id, p.text from document_versions p
        where p.document_id = v.document_id and (p.seen_at, p.id) < (v.seen_at, v.id)
        order by p.seen_at desc, p.id desc limit 1
      ) p on true
      where ${watcherVersionInScope(documentIds)}
      order by v.created_at desc, v.id desc limit ${filter.limit})`);
  }
  if (filter.kinds.includes("quotes")) {
    branches.push(sql`(select 'quote' as type, q.id, q.created_at, q.claim_id as from_claim_id, null::int as to_claim_id,
        jsonb_build_object('state', q.state, 'found', q.found, 'seen_at', q.seen_at, 'version_id', q.version_id) as detail
      from (${quoteEventSelect(claimIds)}) q order by q.created_at desc, q.id desc limit ${filter.limit})`);
  }
  if (filter.kinds.includes("statuses")) {
    branches.push(sql`(select 'status' as type, s.id, s.created_at, s.claim_id as from_claim_id, null::int as to_claim_id,
        jsonb_build_object('before', s.before, 'after', s.after, 'reason', s.reason, 'effective_at', s.effective_at, 'link_id', s.link_id) as detail
      from status_events s where ${claimIds ? sql`s.claim_id in (${claimIds})` : sql`true`}
      order by s.created_at desc, s.id desc limit ${filter.limit})`);
  }
  // Within one instant (a seed, an import), what follows from an event comes after it: a link
  // after the claims it joins, a status change after the link that made it.
  const found = await rows<Row>(
    db,
    sql`select * from (${sql.join(branches, sql` union all `)}) e
        order by e.created_at desc, case e.type when 'status' then 0 when 'link' then 1 when 'quote' then 2 when 'version' then 3 else 4 end, e.id desc
        limit ${filter.limit}`,
  );
  if (found.length === 0) return [];

  const ids = new Set<number>();
  for (const r of found) {
    if (r.from_claim_id != null) ids.add(int(r.from_claim_id));
    if (r.to_claim_id != null) ids.add(int(r.to_claim_id));
  }
  const clock = clockFrom({});
  const [graph, extraRows] = await Promise.all([
    loadGraph(db, { claimIds: [...ids] }, clock),
    rows<Row>(
      db,
      sql`select c.id, q.label as question, s.slug as story_slug, s.title as story_title, d.authors,
                 extract(epoch from (select max(r.created_at) from claim_revisions r where r.claim_id = c.id))::text as revised_at
          from claims c
          join stories s on s.id = c.story_id
          join documents d on d.id = c.document_id
          left join questions q on q.id = c.question_id
          where c.id = any(${intArray(ids)})`,
    ),
  ]);
  // What a version, quote or status event needs came with it, as JSON: dates are text there.
  const detailOf = (r: Row) => (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail) as Row;
  const extras = new Map(extraRows.map((r) => [int(r.id), r]));
  const feedClaim = (id: number): FeedClaim | null => {
    const view = graph.claims.get(id);
    const extra = extras.get(id);
    if (!view || !extra) return null;
    return {
      ...view,
      question: (extra.question as string | null) ?? null,
      story: { slug: String(extra.story_slug), title: String(extra.story_title) },
      authors: ((extra.authors as string[] | null) ?? []).map(String),
      revisedAt: new Date(Number(extra.revised_at) * 1000),
    };
  };

  // Statuses at the instants the events were logged, computed once per instant from the same
  // graph: every link into these claims and into the claims contradicting them is in it.
  const statusCache = new Map<number, Map<number, StatusInfo>>();
  const statusAt = (claimId: number, knownAt: number): Status => {
    let statuses = statusCache.get(knownAt);
    if (!statuses) {
      statuses = deriveStatuses(graph.claims.values(), graph.edges, { asOf: clock.asOf, knownAt: new Date(knownAt) });
      statusCache.set(knownAt, statuses);
    }
    return statuses.get(claimId)?.status ?? "standing";
  };
  const edges = new Map(graph.edges.map((e) => [e.id, e]));

  const events: FeedEvent[] = [];
  for (const r of found) {
    const at = toDate(r.created_at);
    if (r.type === "quote") {
      const q = detailOf(r);
      const claim = feedClaim(int(r.from_claim_id));
      if (!claim) continue;
      const check = { id: int(r.id), state: q.state as QuoteEvent["check"]["state"], found: (q.found as string | null) ?? null, seenAt: toDate(q.seen_at), versionId: int(q.version_id) };
      events.push({ type: "quote", at, check, claim });
    } else if (r.type === "status") {
      const c = detailOf(r);
      const claim = feedClaim(int(r.from_claim_id));
      if (!claim) continue;
      const change = { id: int(r.id), before: String(c.before), after: String(c.after), reason: String(c.reason), effectiveAt: toDate(c.effective_at), linkId: c.link_id == null ? null : int(c.link_id) };
      events.push({ type: "status", at, change, claim });
    } else if (r.type === "version") {
      const v = detailOf(r);
      events.push({
        type: "version",
        at,
        version: { id: int(r.id), text: String(v.text), seenAt: toDate(v.seen_at), note: (v.note as string | null) ?? null, captureId: int(v.capture_id) },
        previous: v.previous_id == null ? null : { id: int(v.previous_id), text: String(v.previous_text) },
        document: { id: int(v.document_id), title: String(v.title), url: (v.url as string | null) ?? null, authors: ((v.authors as string[] | null) ?? []).map(String) },
        outlet: { id: int(v.outlet_id), slug: String(v.outlet_slug), name: String(v.outlet_name) },
      });
    } else if (r.type === "claim") {
      const claim = feedClaim(int(r.id));
      if (!claim) continue;
      const linksIn = graph.edges.filter((e) => e.toClaimId === claim.id).sort((a, b) => timeOf(b.createdAt) - timeOf(a.createdAt) || b.id - a.id);
      events.push({ type: "claim", at, claim, statusWhenLogged: statusAt(claim.id, timeOf(claim.createdAt)), linksIn });
    } else {
      const link = edges.get(int(r.id));
      const from = feedClaim(int(r.from_claim_id));
      const to = feedClaim(int(r.to_claim_id));
      if (!link || !from || !to) continue;
      const toRelays = to.relaysClaimId == null ? null : (graph.claims.get(to.relaysClaimId) ?? null);
      const loggedAt = timeOf(link.createdAt);
      events.push({ type: "link", at, link, from, to, toRelays, before: statusAt(to.id, loggedAt - 1), after: statusAt(to.id, loggedAt) });
    }
  }
  return events;
}
