import { and, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import { getDb, rows, type Db, type Executor } from "@/db";
import { captures, documents, outlets, watches, type Capture, type Watch } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { memo } from "@/lib/cache";
import { AppError, notFound } from "@/lib/errors";
import { getOutletBySlug } from "@/lib/outlets";
import type { WatchInput } from "@/lib/validation";
import { runCapture } from "./capture";
import { watcherSettings, type WatcherSettings } from "./settings";

// The watcher area: editors watch documents and outlets' feeds; the worker (lib/worker.ts)
// checks them on schedule; readers see what it found.


/** A watch as the API shows it. */
export type WatchView = { documentId: number | null; enabled: boolean; nextCheckAt: Date | null; failures: number; pausedReason: string | null };

export const watchView = (w: Watch): WatchView => ({ documentId: w.documentId, enabled: w.enabled, nextCheckAt: w.nextCheckAt, failures: w.failures, pausedReason: w.pausedReason });

/** A capture as the API shows it. */
export type CaptureView = { id: number; documentId: number | null; at: Date; outcome: Capture["outcome"]; httpStatus: number | null; versionId: number | null; reason: string | null };

export const captureView = (c: Capture): CaptureView => ({
  id: c.id,
  documentId: c.documentId,
  at: c.at,
  outcome: c.outcome,
  httpStatus: c.httpStatus,
  versionId: c.versionId,
  reason: c.reason,
});

const watchable = async (db: Executor, documentId: number) => {
  const [document] = await db.select({ id: documents.id, url: documents.url }).from(documents).where(eq(documents.id, documentId));
  if (!document) throw notFound(`Document ${documentId}`);
  if (!document.url) throw new AppError("unprocessable", `Document ${documentId} has no address to watch.`, { documentId: ["This document has no URL."] });
  return { id: document.id, url: document.url };
};

/**
 * Watches a document's address, pauses it, or resumes it. Watching again starts the cadence
 * afresh and forgets past failures; the first check is due at once.
 */
export async function watchDocument(db: Db, actor: Actor, documentId: number, input: WatchInput, now = new Date()): Promise<Watch> {
  return db.transaction(async (tx) => {
    const document = await watchable(tx, documentId);
    const [before] = await tx.select().from(watches).where(eq(watches.documentId, documentId)).for("update");
    const everyMinutes = input.everyMinutes === undefined ? (before?.everyMinutes ?? null) : input.everyMinutes;
    const state = input.enabled
      ? { enabled: true, everyMinutes, failures: 0, pausedReason: null, nextCheckAt: now, watchedAt: now, url: document.url }
      : { enabled: false, everyMinutes, nextCheckAt: null, pausedReason: `Paused by ${actor.label}.` };
    const [watch] = before
      ? await tx.update(watches).set(state).where(eq(watches.id, before.id)).returning()
      : await tx.insert(watches).values({ kind: "document", documentId, url: document.url, ...state }).returning();
    await appendAudit(tx, actor, [{ action: input.enabled ? "watch" : "pause", entity: "watch", entityId: watch!.id, before: before && watchView(before), after: watchView(watch!) }]);
    return watch!;
  });
}

/** Watches an outlet's RSS or Atom feed: each new article in it becomes a document, marked as discovered, and is watched. */
export async function watchOutletFeed(db: Db, actor: Actor, outletSlug: string, feedUrl: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const outlet = await getOutletBySlug(tx, outletSlug);
    const [before] = await tx.select().from(watches).where(and(eq(watches.kind, "feed"), eq(watches.url, feedUrl))).for("update");
    if (before && before.outletId !== outlet.id) throw new AppError("conflict", `That feed is already watched for another outlet.`, { feedUrl: ["Watched for another outlet."] });
    const state = { enabled: true, failures: 0, pausedReason: null, nextCheckAt: now, watchedAt: now };
    const [watch] = before
      ? await tx.update(watches).set(state).where(eq(watches.id, before.id)).returning()
      : await tx.insert(watches).values({ kind: "feed", outletId: outlet.id, url: feedUrl, ...state }).returning();
    await appendAudit(tx, actor, [{ action: "watch", entity: "watch", entityId: watch!.id, after: { outlet: outlet.slug, feedUrl } }]);
    return { watch: watch!, outlet };
  });
}

/** How long a check asked for now waits for its host's turn before giving up. */
const CAPTURE_NOW_WAIT_MS = 60_000;

/**
 * Checks a document now, whatever its schedule, and answers with the capture. A document that is
 * not watched gets a watch that stays paused, to hold the capture log.
 */
export async function captureNow(db: Db, actor: Actor, documentId: number, settings: WatcherSettings = watcherSettings()): Promise<Capture> {
  const document = await watchable(db, documentId);
  let [watch] = await db.select().from(watches).where(eq(watches.documentId, documentId));
  if (!watch) {
    watch = await db.transaction(async (tx) => {
      const [made] = await tx
        .insert(watches)
        .values({ kind: "document", documentId, url: document.url, enabled: false, pausedReason: "Not watched: checked only when asked." })
        .returning();
      await appendAudit(tx, actor, [{ action: "create", entity: "watch", entityId: made!.id, after: watchView(made!) }]);
      return made!;
    });
  }
  const deadline = Date.now() + CAPTURE_NOW_WAIT_MS;
  for (;;) {
    const run = await runCapture(db, settings, watch.id, null);
    if ("capture" in run) return run.capture;
    if ("skipped" in run) throw new AppError("conflict", `Not checked: ${run.skipped}.`);
    if (Date.now() + run.deferredMs > deadline) {
      throw new AppError("unavailable", `Its site is being checked or asked to be left alone for ${Math.ceil(run.deferredMs / 1000)} s more; try again then.`);
    }
    await new Promise((resolve) => setTimeout(resolve, run.deferredMs));
  }
}

export type DocumentWatch = {
  watch: (WatchView & { checks: number; lastCheckedAt: Date | null; lastSuccessAt: Date | null; everyMinutes: number | null }) | null;
};

/** A document's watch, for its pages: whether it is watched, how often it was checked, when last and next. */
export const readDocumentWatch = (documentId: number): Promise<DocumentWatch> =>
  memo(`document-watch|${documentId}`, async () => {
    const [watch] = await (await getDb()).select().from(watches).where(eq(watches.documentId, documentId));
    return {
      watch: watch ? { ...watchView(watch), checks: watch.checks, lastCheckedAt: watch.lastCheckedAt, lastSuccessAt: watch.lastSuccessAt, everyMinutes: watch.everyMinutes } : null,
    };
  });

/** A document's captures, newest first, a page at a time. */
export async function readCaptures(documentId: number, page: { before?: number; limit: number }): Promise<CaptureView[]> {
  const db = await getDb();
  const [document] = await db.select({ id: documents.id }).from(documents).where(eq(documents.id, documentId));
  if (!document) throw notFound(`Document ${documentId}`);
  const found = await db
    .select()
    .from(captures)
    .where(and(eq(captures.documentId, documentId), page.before === undefined ? undefined : lt(captures.id, page.before)))
    .orderBy(desc(captures.id))
    .limit(page.limit);
  return found.map(captureView);
}

export type WatchProblem = {
  id: number;
  kind: Watch["kind"];
  url: string;
  documentId: number | null;
  title: string | null;
  outlet: { slug: string; name: string } | null;
  enabled: boolean;
  failures: number;
  pausedReason: string | null;
  lastSuccessAt: Date | null;
  lastCheckedAt: Date | null;
};

/** Watches that are paused or failing, by outlet, with their last success: what an editor should look at. */
export async function readWatchProblems(): Promise<WatchProblem[]> {
  const found = await rows<Record<string, unknown>>(
    await getDb(),
    sql`select w.id, w.kind, w.url, w.document_id, d.title, coalesce(o.slug, fo.slug) as outlet_slug, coalesce(o.name, fo.name) as outlet_name,
               w.enabled, w.failures, w.paused_reason, w.last_success_at, w.last_checked_at
        from watches w
        left join documents d on d.id = w.document_id
        left join outlets o on o.id = d.outlet_id
        left join outlets fo on fo.id = w.outlet_id
        where (not w.enabled and w.paused_reason is not null and w.checks > 0) or w.failures > 0
        order by coalesce(o.name, fo.name), w.failures desc, w.id
        limit 500`,
  );
  const date = (v: unknown) => (v == null ? null : new Date(String(v instanceof Date ? v.toISOString() : v)));
  return found.map((r) => ({
    id: Number(r.id),
    kind: r.kind as Watch["kind"],
    url: String(r.url),
    documentId: r.document_id == null ? null : Number(r.document_id),
    title: (r.title as string | null) ?? null,
    outlet: r.outlet_slug ? { slug: String(r.outlet_slug), name: String(r.outlet_name) } : null,
    enabled: Boolean(r.enabled),
    failures: Number(r.failures),
    pausedReason: (r.paused_reason as string | null) ?? null,
    lastSuccessAt: date(r.last_success_at),
    lastCheckedAt: date(r.last_checked_at),
  }));
}

/** Outlets' feeds being watched, for the editors' page. */
export async function readFeedWatches() {
  const db = await getDb();
  return db
    .select({ id: watches.id, url: watches.url, enabled: watches.enabled, lastSuccessAt: watches.lastSuccessAt, outlet: { slug: outlets.slug, name: outlets.name } })
    .from(watches)
    .innerJoin(outlets, eq(outlets.id, watches.outletId))
    .where(eq(watches.kind, "feed"))
    .orderBy(outlets.name);
}

/** Documents the watcher found in outlets' feeds, newest first, for an editor to look at. */
export async function readDiscoveredDocuments(limit = 100) {
  const db = await getDb();
  return db
    .select({ id: documents.id, title: documents.title, url: documents.url, discoveredAt: documents.discoveredAt, outlet: { slug: outlets.slug, name: outlets.name } })
    .from(documents)
    .innerJoin(outlets, eq(outlets.id, documents.outletId))
    .where(isNotNull(documents.discoveredAt))
    .orderBy(desc(documents.discoveredAt), desc(documents.id))
    .limit(limit);
}

/** Whether a watch has stopped for good (over a year old) rather than been paused. */
export const hasStopped = (w: Pick<WatchView, "enabled" | "pausedReason">) => !w.enabled && (w.pausedReason?.startsWith("Stopped") ?? false);
