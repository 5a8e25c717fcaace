import { desc, sql } from "drizzle-orm";
import { intArray, rows, toDate, type Executor } from "@/db";
import { stories, type LinkKind, type Story } from "@/db/schema";
import { truncate } from "@/lib/format";
import { describeLink, type LinkEnds } from "@/lib/links";

export async function listStories(db: Executor, limit = 50, offset = 0): Promise<Story[]> {
  return db.select().from(stories).orderBy(desc(stories.createdAt), desc(stories.id)).limit(limit).offset(offset);
}

export const STORIES_PER_PAGE = 20;

/** The most recent thing that happened in a story: a claim published, or a link between claims taking effect. */
export type LatestChange =
  | { type: "claim"; at: Date; claimId: number; outlet: string; relaysOutlet: string | null; text: string }
  | { type: "link"; at: Date; claimId: number; kind: LinkKind; ends: LinkEnds };

export type StoryListItem = { story: Story; latest: LatestChange | null };
export type StoryList = { items: StoryListItem[]; total: number; page: number; pages: number };

// When several links take effect at the same instant, the one that changes a claim's standing most is the headline.
const kindWeight = sql`case l.kind when 'retracts' then 0 when 'corrects' then 1 when 'supersedes' then 2 when 'contradicts' then 3 else 4 end`;

/**
 * Stories, most recently changed first, each with its latest change; three queries whatever
 * the page size. A story with no claims yet counts as changed when it was created.
 */
export async function listStoriesWithLatestChange(db: Executor, page = 1, perPage = STORIES_PER_PAGE, now = new Date()): Promise<StoryList> {
  const at = now.toISOString();
  const listed = await rows<Record<string, unknown>>(
    db,
    sql`select s.id, s.slug, s.title, s.summary, s.created_at, count(*) over () as total
        from stories s
        left join lateral (
          select max(x.at) as at from (
            select max(c.asserted_at) as at from claims c
            where c.story_id = s.id and c.asserted_at <= ${at}::timestamptz and c.created_at <= ${at}::timestamptz
            union all
            select max(l.effective_at) from links l join claims f on f.id = l.from_claim_id
            where f.story_id = s.id and l.effective_at <= ${at}::timestamptz and l.created_at <= ${at}::timestamptz
          ) x
        ) ev on true
        where s.created_at <= ${at}::timestamptz
        order by coalesce(ev.at, s.created_at) desc, s.id desc
        limit ${perPage} offset ${(page - 1) * perPage}`,
  );
  const total = listed.length ? Number(listed[0]!.total) : (await db.$count(stories));
  const items: StoryListItem[] = listed.map((r) => ({
    story: { id: Number(r.id), slug: String(r.slug), title: String(r.title), summary: (r.summary as string | null) ?? null, createdAt: toDate(r.created_at) },
    latest: null,
  }));
  if (items.length) {
    const latest = await latestChanges(db, items.map((i) => i.story.id), at);
    for (const item of items) item.latest = latest.get(item.story.id) ?? null;
  }
  return { items, total, page, pages: Math.max(1, Math.ceil(total / perPage)) };
}

async function latestChanges(db: Executor, storyIds: number[], at: string): Promise<Map<number, LatestChange>> {
  const ids = intArray(storyIds);
  // The outlet a claim relays is read from its current revision, as everywhere else.
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select s.id as story_id,
               lc.at as claim_at, lc.id as claim_id, lc.outlet as claim_outlet, lc.relays_outlet as claim_relays_outlet, lc.text as claim_text,
               ll.at as link_at, ll.from_id as link_claim_id, ll.kind as link_kind, ll.outlet_id as link_outlet_id, ll.outlet as link_outlet,
               ll.target_outlet_id as link_target_outlet_id, ll.target_outlet as link_target_outlet,
               ll.target_relays_outlet_id as link_target_relays_outlet_id, ll.target_relays_outlet as link_target_relays_outlet
        from unnest(${ids}) as s(id)
        left join lateral (
          select c.asserted_at as at, c.id, o.name as outlet, ro.name as relays_outlet, r.text
          from claims c
          join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
          join documents d on d.id = c.document_id join outlets o on o.id = d.outlet_id
          left join claims rc on rc.id = r.relays_claim_id
          left join documents rd on rd.id = rc.document_id left join outlets ro on ro.id = rd.outlet_id
          where c.story_id = s.id and c.asserted_at <= ${at}::timestamptz and c.created_at <= ${at}::timestamptz
          order by c.asserted_at desc, c.id desc limit 1
        ) lc on true
        left join lateral (
          select l.effective_at as at, l.from_claim_id as from_id, l.kind, fo.id as outlet_id, fo.name as outlet,
                 t_o.id as target_outlet_id, t_o.name as target_outlet, tro.id as target_relays_outlet_id, tro.name as target_relays_outlet
          from links l
          join claims f on f.id = l.from_claim_id join documents fd on fd.id = f.document_id join outlets fo on fo.id = fd.outlet_id
          join claims t on t.id = l.to_claim_id join documents td on td.id = t.document_id join outlets t_o on t_o.id = td.outlet_id
          join claim_revisions tr on tr.claim_id = t.id and tr.revision = t.revision
          left join claims trc on trc.id = tr.relays_claim_id
          left join documents trd on trd.id = trc.document_id left join outlets tro on tro.id = trd.outlet_id
          where f.story_id = s.id and l.effective_at <= ${at}::timestamptz and l.created_at <= ${at}::timestamptz
          order by l.effective_at desc, ${kindWeight}, l.id desc limit 1
        ) ll on true`,
  );
  const result = new Map<number, LatestChange>();
  for (const r of found) {
    const claimAt = r.claim_at == null ? null : toDate(r.claim_at);
    const linkAt = r.link_at == null ? null : toDate(r.link_at);
    // A link is what a reader wants to hear about when it lands at the same time as a claim: it is usually that claim's point.
    if (linkAt && (!claimAt || linkAt >= claimAt)) {
      result.set(Number(r.story_id), {
        type: "link",
        at: linkAt,
        claimId: Number(r.link_claim_id),
        kind: r.link_kind as LinkKind,
        ends: {
          outlet: { id: Number(r.link_outlet_id), name: String(r.link_outlet) },
          target: { id: Number(r.link_target_outlet_id), name: String(r.link_target_outlet) },
          targetRelays: r.link_target_relays_outlet_id == null ? null : { id: Number(r.link_target_relays_outlet_id), name: String(r.link_target_relays_outlet) },
        },
      });
    } else if (claimAt) {
      result.set(Number(r.story_id), {
        type: "claim",
        at: claimAt,
        claimId: Number(r.claim_id),
        outlet: String(r.claim_outlet),
        relaysOutlet: (r.claim_relays_outlet as string | null) ?? null,
        text: String(r.claim_text),
      });
    }
  }
  return result;
}

/** A change in one line: "ComicBook corrected its relay of The Wrap", "The Wrap reported: …". */
export function describeChange(change: LatestChange): string {
  if (change.type === "link") return describeLink(change.kind, change.ends);
  if (change.relaysOutlet && change.relaysOutlet !== change.outlet) return `${change.outlet} relayed ${change.relaysOutlet}: “${truncate(change.text, 90)}”`;
  return `${change.outlet} reported: “${truncate(change.text, 90)}”`;
}
