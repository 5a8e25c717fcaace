import { eq, sql } from "drizzle-orm";
import { getDb, rows, toDate, type Executor } from "@/db";
import { inboxResolutions, watches } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { reanchorQuote } from "@/lib/claims/write";
import { AppError } from "@/lib/errors";
import type { INBOX_KINDS } from "@/lib/validation";

// What needs an editor's decision, newest first: quotes a source reworded or removed, correction
// notices in new versions, documents found in outlets' feeds, and watches that paused themselves.
// Each item is resolved once, in place, and leaves an audit event.

export type InboxKind = (typeof INBOX_KINDS)[number];

export type InboxItem =
  | { kind: "quote"; id: number; at: Date; state: "changed" | "ambiguous" | "removed"; claim: { id: number; text: string; quote: string; outlet: string }; found: string | null; versionId: number; documentId: number }
  | { kind: "notice"; id: number; at: Date; notice: string; noticeKind: string; versionId: number; document: { id: number; title: string; outlet: string }; previousVersionId: number | null; newer: { id: number; text: string }[]; older: { id: number; text: string }[] }
  | { kind: "discovered"; id: number; at: Date; document: { id: number; title: string; url: string | null; outlet: string } }
  | { kind: "watch"; id: number; at: Date; reason: string; documentId: number | null; url: string };

type Row = Record<string, unknown>;
const unresolved = (kind: InboxKind, id: string) => sql`not exists (select 1 from inbox_resolutions r where r.item_kind = ${kind} and r.item_id = ${sql.raw(id)})`;

/** How many items the inbox shows at once: older ones come into view as these are settled. */
export const INBOX_PAGE = 50;

/** The newest open items, and whether older ones wait behind them. */
export async function readInbox(limit = INBOX_PAGE): Promise<{ items: InboxItem[]; more: boolean }> {
  const db = await getDb();
  // One more than shown of each kind tells whether any wait behind.
  const take = limit + 1;
  const [quotes, notices, discovered, paused] = await Promise.all([
    // The newest check of each claim's current revision, when it needs a decision.
    rows<Row>(
      db,
      sql`select q.id, q.created_at, q.state, q.found, q.version_id, c.id as claim_id, c.document_id, r.text, r.quote, o.name as outlet
          from (select distinct on (q.claim_id) q.* from quote_checks q join claims c on c.id = q.claim_id and c.revision = q.revision
                join document_versions v on v.id = q.version_id order by q.claim_id, v.seen_at desc, v.id desc) q
          join claims c on c.id = q.claim_id join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
          join documents d on d.id = c.document_id join outlets o on o.id = d.outlet_id
          where q.state <> 'present' and ${unresolved("quote", "q.id")}
          order by q.created_at desc limit ${take}`,
    ),
    rows<Row>(
      db,
      sql`select n.id, n.created_at, n.kind, n.notice, n.version_id, d.id as document_id, d.title, o.name as outlet,
                 (select p.id from document_versions p join document_versions v on v.id = n.version_id
                  where p.document_id = v.document_id and (p.seen_at, p.id) < (v.seen_at, v.id) order by p.seen_at desc, p.id desc limit 1) as previous_id,
                 (select coalesce(json_agg(json_build_object('id', c.id, 'text', r.text, 'version_id', c.version_id) order by c.id), '[]')
                  from claims c join claim_revisions r on r.claim_id = c.id and r.revision = c.revision where c.document_id = d.id) as claims
          from version_notices n join document_versions v on v.id = n.version_id join documents d on d.id = v.document_id join outlets o on o.id = d.outlet_id
          where ${unresolved("notice", "n.id")} order by n.created_at desc limit ${take}`,
    ),
    rows<Row>(
      db,
      sql`select d.id, d.discovered_at, d.title, d.url, o.name as outlet from documents d join outlets o on o.id = d.outlet_id
          where d.discovered_at is not null and ${unresolved("discovered", "d.id")} order by d.discovered_at desc limit ${take}`,
    ),
    // Watches that paused or stopped themselves; an editor's own pause needs no decision.
    rows<Row>(
      db,
      sql`select w.id, coalesce(w.last_checked_at, w.created_at) as at, w.paused_reason, w.document_id, w.url from watches w
          where not w.enabled and (w.paused_reason like 'Paused after%' or w.paused_reason like 'Stopped:%') and ${unresolved("watch", "w.id")}
          order by at desc limit ${take}`,
    ),
  ]);
  const items: InboxItem[] = [
    ...quotes.map((r): InboxItem => ({
      kind: "quote",
      id: Number(r.id),
      at: toDate(r.created_at),
      state: r.state as "changed" | "ambiguous" | "removed",
      claim: { id: Number(r.claim_id), text: String(r.text), quote: String(r.quote ?? ""), outlet: String(r.outlet) },
      found: (r.found as string | null) ?? null,
      versionId: Number(r.version_id),
      documentId: Number(r.document_id),
    })),
    ...notices.map((r): InboxItem => {
      const claims = (typeof r.claims === "string" ? JSON.parse(r.claims) : r.claims) as { id: number; text: string; version_id: number | null }[];
      return {
        kind: "notice",
        id: Number(r.id),
        at: toDate(r.created_at),
        notice: String(r.notice),
        noticeKind: String(r.kind),
        versionId: Number(r.version_id),
        document: { id: Number(r.document_id), title: String(r.title), outlet: String(r.outlet) },
        previousVersionId: r.previous_id == null ? null : Number(r.previous_id),
        newer: claims.filter((c) => c.version_id === Number(r.version_id)).map(({ id, text }) => ({ id, text })),
        older: claims.filter((c) => c.version_id !== Number(r.version_id)).map(({ id, text }) => ({ id, text })),
      };
    }),
    ...discovered.map((r): InboxItem => ({ kind: "discovered", id: Number(r.id), at: toDate(r.discovered_at), document: { id: Number(r.id), title: String(r.title), url: (r.url as string | null) ?? null, outlet: String(r.outlet) } })),
    ...paused.map((r): InboxItem => ({ kind: "watch", id: Number(r.id), at: toDate(r.at), reason: String(r.paused_reason), documentId: r.document_id == null ? null : Number(r.document_id), url: String(r.url) })),
  ];
  items.sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
  return { items: items.slice(0, limit), more: items.length > limit };
}

/** What an editor may decide about each kind of item. */
export const INBOX_ACTIONS: Record<InboxKind, readonly string[]> = {
  quote: ["take-new-wording", "keep", "noted"],
  notice: ["linked", "dismiss"],
  discovered: ["reviewed"],
  watch: ["watch-again", "leave-paused"],
};

/**
 * Resolves an item once, with its effect: the reworded passage taken as the claim's quote, or the
 * paused watch watching again. A second resolution of the same item is refused.
 */
export async function resolveInboxItem(db: Executor, actor: Actor, kind: InboxKind, id: number, action: string): Promise<void> {
  if (!INBOX_ACTIONS[kind].includes(action)) throw new AppError("unprocessable", `“${action}” is not a decision for this item.`, { action: ["Not a decision for this item."] });
  await db.transaction(async (tx) => {
    const [taken] = await tx.insert(inboxResolutions).values({ itemKind: kind, itemId: id, action, editorId: actor.editorId }).onConflictDoNothing().returning();
    if (!taken) throw new AppError("conflict", "This item was resolved already.");
    if (kind === "quote" && action === "take-new-wording") await reanchorQuote(tx, actor, id);
    if (kind === "watch" && action === "watch-again") {
      await tx.update(watches).set({ enabled: true, failures: 0, pausedReason: null, nextCheckAt: new Date(), watchedAt: new Date() }).where(eq(watches.id, id));
    }
    await appendAudit(tx, actor, [{ action: "resolve", entity: "inbox", entityId: `${kind}:${id}`, after: { kind, id, action } }]);
  });
}
