import { gzipSync } from "node:zlib";
import { parseFeed } from "@rowanmanning/feed-parser";
import { asc, eq, sql } from "drizzle-orm";
import { rows, withoutHooks, type Db, type Executor } from "@/db";
import { captures, documents, documentVersions, watches, type Capture, type CaptureOutcome, type Watch } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { addVersion, createDocument } from "@/lib/documents";
import { timeOf } from "@/lib/time";
import { normalizeUrl } from "@/lib/urls";
import { MAX_VERSION_CHARS, documentInput } from "@/lib/validation";
import { backoffMs, nextCheckAt, PAUSE_AFTER_FAILURES } from "./cadence";
import { decodeHtml, decodeText } from "./charset";
import { compareWithVersions } from "./compare";
import { EXTRACTOR, extractArticle, suspectExtraction, type Extracted } from "./extract";
import { safeFetch, type Fetched } from "./fetch";
import { endTurn, robotsVerdict, takeTurn } from "./hosts";
import type { WatcherSettings } from "./settings";

/** Who the watcher's writes are recorded as in the audit log. */
export const WATCHER = systemActor("watcher");

/** Bodies are kept compressed up to this size, so a better extractor can read them again. */
const MAX_KEPT_BODY = 2_000_000;
/** Items read from one feed per capture: a feed lists the newest first. */
const MAX_FEED_ITEMS = 100;

/** What a capture turned out to be, before it is written. */
type Finding = {
  outcome: CaptureOutcome;
  reason: string | null;
  fetched: Fetched | null;
  extracted?: Extracted | null;
  /** The text of a new version, for outcome new-version. */
  versionText?: string;
  /** Whether it counts towards pausing the watch. */
  failure: boolean;
  /** The earliest next check the site asked for (Retry-After). */
  notBefore?: number | null;
};

export type CaptureRun = { capture: Capture } | { deferredMs: number } | { skipped: string };

// Text that could not be stored (NUL and other controls), taken out of extracted text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/gu;

/**
 * Checks a watch once: takes its host's turn (or says how long to wait), reads robots.txt, fetches
 * conditionally, reads the article or feed, and records the capture, any new version and the
 * watch's next check in one transaction. `slot` is the check a sweep handed out; a run whose
 * slot was already taken does nothing, so no slot is fetched twice. Without a slot (a check an
 * editor asked for) it runs whatever the schedule says.
 */
export async function runCapture(db: Db, settings: WatcherSettings, watchId: number, slot: Date | null, now = new Date()): Promise<CaptureRun> {
  const [found] = await db
    .select({ watch: watches, publishedAt: documents.publishedAt })
    .from(watches)
    .leftJoin(documents, eq(documents.id, watches.documentId))
    .where(eq(watches.id, watchId));
  if (!found) return { skipped: `watch ${watchId} does not exist` };
  const { watch, publishedAt } = found;
  if (slot && (!watch.claimedSlot || timeOf(watch.claimedSlot) !== timeOf(slot))) return { skipped: "this slot was already checked" };
  const url = new URL(watch.url);
  const turn = await takeTurn(db, url.host, now);
  if ("waitMs" in turn) return { deferredMs: turn.waitMs };
  const started = Date.now();
  let spacing = settings.hostIntervalMs;
  let finding: Finding;
  try {
    const robots = await robotsVerdict(db, settings.limits, url, turn.state, now);
    spacing = Math.max(spacing, robots.crawlDelayMs ?? 0);
    if (!robots.allowed) {
      finding = { outcome: "refused", reason: robots.reason, fetched: null, failure: false };
    } else {
      const wanted = watch.kind === "feed" ? "feed" : "page";
      const fetched = await safeFetch(watch.url, wanted, settings.limits, { etag: watch.etag, lastModified: watch.lastModified });
      if (fetched.retryAfterMs !== null) spacing = Math.max(spacing, fetched.retryAfterMs);
      finding = await judge(db, watch, fetched, now);
    }
  } finally {
    await endTurn(db, url.host, new Date(timeOf(now) + (Date.now() - started)), spacing);
  }
  const capture = await record(db, watch, publishedAt, slot, finding, now, Date.now() - started);
  return { capture };
}

/** What a fetch amounts to: its outcome, and for a page, the text. */
async function judge(db: Db, watch: Watch, fetched: Fetched, now: Date): Promise<Finding> {
  if (fetched.kind === "not-modified") return { outcome: "not-modified", reason: null, fetched, failure: false };
  if (fetched.kind === "refused") return { outcome: "refused", reason: fetched.reason, fetched, failure: true };
  if (fetched.kind === "failed") return { outcome: "failed", reason: fetched.reason, fetched, failure: true, notBefore: fetched.retryAfterMs === null ? null : timeOf(now) + fetched.retryAfterMs };
  const body = fetched.body!;
  if (watch.kind === "feed") return readFeed(db, watch, fetched, body, now);
  // The same bytes as last time: unchanged, with no need to read the article again.
  if (watch.lastBodySha256 === fetched.sha256) return { outcome: "unchanged", reason: "the same bytes as the last capture", fetched, failure: false };
  const { text: html } = decodeHtml(body, fetched.headers["content-type"] ?? null);
  const extracted = extractArticle(html, fetched.finalUrl);
  if (!extracted) return { outcome: "extraction-suspect", reason: "no article text was found on the page", fetched, extracted, failure: false };
  const text = extracted.text.replace(UNSTORABLE, "").trim();
  const versions = await db
    .select({ id: documentVersions.id, text: documentVersions.text })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, watch.documentId!))
    .orderBy(asc(documentVersions.seenAt), asc(documentVersions.id));
  const latest = versions.at(-1) ?? null;
  const comparison = compareWithVersions(text, latest, versions.slice(0, -1));
  if (comparison.outcome !== "new-version") {
    return { outcome: comparison.outcome, reason: "reason" in comparison ? comparison.reason : null, fetched, extracted, failure: false };
  }
  const suspect = suspectExtraction({ ...extracted, text }, latest?.text ?? null) ?? (text.length > MAX_VERSION_CHARS ? `its text is longer than the ${MAX_VERSION_CHARS.toLocaleString("en")} characters a version holds` : null);
  if (suspect) return { outcome: "extraction-suspect", reason: suspect, fetched, extracted, failure: false };
  return { outcome: "new-version", reason: latest ? "the text changed" : "the first copy of the text", fetched, extracted, versionText: text, failure: false };
}

/** An outlet's feed: each item whose address is new becomes a document, marked as discovered, and is watched. */
async function readFeed(db: Db, watch: Watch, fetched: Fetched, body: Buffer, now: Date): Promise<Finding> {
  let items: { url: string; title: string; published: Date | null }[];
  try {
    const feed = parseFeed(decodeText(body, fetched.headers["content-type"] ?? null));
    items = feed.items.slice(0, MAX_FEED_ITEMS).flatMap((item) => {
      try {
        const url = normalizeUrl(new URL(item.url ?? "", fetched.finalUrl).href);
        return [{ url, title: (item.title ?? "").replace(/\s+/g, " ").trim().slice(0, 500) || url, published: item.published }];
      } catch {
        return [];
      }
    });
  } catch (err) {
    return { outcome: "failed", reason: `the feed could not be read (${(err as Error).message.slice(0, 200)})`, fetched, failure: true };
  }
  let made = 0;
  for (const item of items) {
    const created = await db.transaction(async (tx) => {
      const [known] = await tx.select({ id: documents.id }).from(documents).where(eq(documents.url, item.url));
      if (known) return false;
      const published = item.published && !Number.isNaN(timeOf(item.published)) ? item.published : now;
      const { document } = await createDocument(
        tx,
        WATCHER,
        documentInput.parse({ url: item.url, outlet: await outletSlug(tx, watch.outletId!), title: item.title, publishedAt: published.toISOString() }),
        now,
      );
      await tx.insert(watches).values({ kind: "document", documentId: document.id, url: item.url, nextCheckAt: now, watchedAt: now });
      return true;
    });
    if (created) made++;
  }
  return { outcome: "feed-read", reason: `${items.length} items, ${made} new ${made === 1 ? "document" : "documents"}`, fetched, failure: false };
}

const outletSlug = async (db: Executor, outletId: number) =>
  (await rows<{ slug: string }>(db, sql`select slug from outlets where id = ${outletId}`))[0]!.slug;

/**
 * Writes the capture, any new version, and the watch's state and next check, all or nothing. A
 * check that made no version changes nothing readers see but the watch's own counters, so it
 * does not make every instance drop its caches: at tens of checks a second that would leave no
 * page cached.
 */
async function record(db: Db, watch: Watch, publishedAt: Date | null, slot: Date | null, finding: Finding, now: Date, durationMs: number): Promise<Capture> {
  const { fetched } = finding;
  const body = fetched?.body ?? null;
  // Bytes the last capture kept already are named by their hash, not kept twice.
  const sameBytes = body !== null && watch.lastBodySha256 === fetched?.sha256;
  const gz = body && !sameBytes ? gzipSync(body) : null;
  const success = finding.outcome !== "failed" && !(finding.outcome === "refused" && finding.failure);
  const failures = success ? 0 : watch.failures + 1;
  const changed = finding.outcome === "new-version";
  const schedule = { everyMinutes: watch.everyMinutes, publishedAt, lastChangeAt: changed ? now : watch.lastChangeAt, watchedAt: watch.watchedAt };
  let next: Date | null;
  let pausedReason: string | null = null;
  if (!success && failures >= PAUSE_AFTER_FAILURES) {
    next = null;
    pausedReason = `Paused after ${failures} failed checks in a row; the last: ${finding.reason}.`;
  } else if (!success) {
    next = new Date(Math.max(timeOf(now) + backoffMs(failures), finding.notBefore ?? 0));
  } else {
    next = nextCheckAt(schedule, now);
    if (!next) pausedReason = "Stopped: the article is over a year old. Watch it again to go on checking.";
  }
  const succeeded = fetched?.kind === "ok" || fetched?.kind === "not-modified";
  const watchState = {
    checks: sql`${watches.checks} + 1`,
    lastCheckedAt: now,
    failures,
    ...(succeeded && { lastSuccessAt: now }),
    ...(fetched?.kind === "ok" && { etag: fetched.headers.etag ?? null, lastModified: fetched.headers["last-modified"] ?? null }),
    ...(fetched?.kind === "ok" && watch.kind === "document" && finding.outcome !== "extraction-suspect" && { lastBodySha256: fetched.sha256 }),
    ...(changed && { lastChangeAt: now }),
    nextCheckAt: next,
    ...(pausedReason && { enabled: false, pausedReason }),
    // A check an editor asked for leaves a sweep's claim in place: the sweep's job ends it.
    ...(slot && { claimedSlot: null, claimedAt: null }),
  };
  const row = {
    watchId: watch.id,
    documentId: watch.documentId,
    at: now,
    slot,
    outcome: finding.outcome,
    reason: finding.reason?.slice(0, 1000) ?? null,
    httpStatus: fetched?.status ?? null,
    finalUrl: fetched?.finalUrl ?? null,
    headers: fetched?.headers ?? null,
    bodySha256: fetched?.sha256 ?? null,
    body: gz && gz.byteLength <= MAX_KEPT_BODY ? gz : null,
    extractor: finding.extracted !== undefined ? EXTRACTOR : null,
    extracted: finding.extracted
      ? { title: finding.extracted.title ?? undefined, byline: finding.extracted.byline ?? undefined, publishedAt: finding.extracted.publishedAt ?? undefined, modifiedAt: finding.extracted.modifiedAt ?? undefined, chars: finding.extracted.text.length }
      : null,
    durationMs,
  };
  if (finding.versionText === undefined) {
    return withoutHooks(() =>
      db.transaction(async (tx) => {
        // Sent together, the two statements take one round trip.
        const [[capture]] = await Promise.all([tx.insert(captures).values({ ...row, versionId: null }).returning(), tx.update(watches).set(watchState).where(eq(watches.id, watch.id))]);
        return capture!;
      }),
    );
  }
  const text = finding.versionText;
  return db.transaction(async (tx) => {
    // The version names its capture and the capture its version: the capture's id comes first.
    const [{ id }] = (await rows<{ id: string | number }>(tx, sql`select nextval(pg_get_serial_sequence('captures', 'id')) as id`)) as [{ id: string | number }];
    const captureId = Number(id);
    const version = await addVersion(tx, WATCHER, watch.documentId!, { text, seenAt: now, note: `Found by the watcher (capture ${captureId})` }, captureId);
    const [[capture]] = await Promise.all([
      tx.insert(captures).values({ ...row, id: captureId, versionId: version.id }).returning(),
      tx.update(watches).set(watchState).where(eq(watches.id, watch.id)),
    ]);
    return capture!;
  });
}
