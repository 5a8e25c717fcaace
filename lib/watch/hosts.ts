import { eq, sql } from "drizzle-orm";
import robotsParser from "robots-parser";
import { type Executor } from "@/db";
import { captureHosts } from "@/db/schema";
import { timeOf } from "@/lib/time";
import { safeFetch, type FetchLimits } from "./fetch";

// Politeness per host, shared by every instance through the database: one request in flight to
// a host at a time, spaced by the host's Crawl-delay (or our own interval, whichever is longer)
// and by any Retry-After it sent; and robots.txt, read at most once a day.

/** The name robots.txt rules are matched against. */
export const ROBOTS_AGENT = "Claimtrail";

/** How long a turn may be held: longer than any fetch may take, so a crashed holder's turn lapses. */
const TURN_MS = 5 * 60_000;
const ROBOTS_TTL_MS = 24 * 3600_000;
// A robots.txt that could not be read forbids everything until it is read again, within the hour.
const ROBOTS_RETRY_MS = 3600_000;

export type HostState = typeof captureHosts.$inferSelect;

/**
 * Takes the host's turn if no request to it is in flight and its spacing has passed; else says
 * how long to wait. One statement: the first turn of a new host makes its record.
 */
export async function takeTurn(db: Executor, host: string, now: Date): Promise<{ state: HostState } | { waitMs: number }> {
  const at = now.toISOString();
  const until = new Date(timeOf(now) + TURN_MS);
  const [state] = await db
    .insert(captureHosts)
    .values({ host, inFlightUntil: until })
    .onConflictDoUpdate({
      target: captureHosts.host,
      set: { inFlightUntil: until },
      setWhere: sql`(${captureHosts.inFlightUntil} is null or ${captureHosts.inFlightUntil} <= ${at}::timestamptz)
          and (${captureHosts.nextRequestAt} is null or ${captureHosts.nextRequestAt} <= ${at}::timestamptz)`,
    })
    .returning();
  if (state) return { state };
  const [busy] = await db.select().from(captureHosts).where(eq(captureHosts.host, host));
  const later = Math.max(busy?.inFlightUntil ? timeOf(busy.inFlightUntil) : 0, busy?.nextRequestAt ? timeOf(busy.nextRequestAt) : 0);
  // A turn in flight ends with its fetch, long before it lapses: look again soon.
  const waitMs = busy?.inFlightUntil && timeOf(busy.inFlightUntil) > timeOf(now) ? 1000 : later - timeOf(now);
  return { waitMs: Math.max(100, Math.min(waitMs, TURN_MS)) };
}

/** Ends the turn; the host's next request may go out after `spacingMs`. */
export async function endTurn(db: Executor, host: string, now: Date, spacingMs: number): Promise<void> {
  await db
    .update(captureHosts)
    .set({ inFlightUntil: null, nextRequestAt: new Date(timeOf(now) + spacingMs) })
    .where(eq(captureHosts.host, host));
}

export type RobotsVerdict = { allowed: boolean; reason: string | null; crawlDelayMs: number | null; state: HostState };

/**
 * Whether robots.txt lets Claimtrail fetch `url`, per RFC 9309: read from the host's record when
 * it is fresh, else fetched (redirects followed, as for any address). A robots.txt answering 4xx
 * allows everything; one answering 5xx, or unreachable, allows nothing.
 */
export async function robotsVerdict(db: Executor, limits: FetchLimits, url: URL, state: HostState, now: Date): Promise<RobotsVerdict> {
  const age = state.robotsFetchedAt ? timeOf(now) - timeOf(state.robotsFetchedAt) : Infinity;
  const fresh = age < (state.robotsRule === "deny" ? ROBOTS_RETRY_MS : ROBOTS_TTL_MS);
  let current = state;
  if (!fresh) {
    const robotsUrl = new URL("/robots.txt", url);
    const fetched = await safeFetch(robotsUrl.href, "robots", { ...limits, maxBytes: Math.min(limits.maxBytes, 500_000) });
    const rule = fetched.kind === "ok" ? "parse" : fetched.kind === "failed" && fetched.status !== null && fetched.status >= 400 && fetched.status < 500 ? "allow" : "deny";
    const robotsTxt = fetched.kind === "ok" && fetched.body ? fetched.body.toString("utf8") : null;
    const parsed = robotsTxt ? robotsParser(robotsUrl.href, robotsTxt) : null;
    const delay = parsed?.getCrawlDelay(ROBOTS_AGENT);
    const [updated] = await db
      .update(captureHosts)
      .set({
        robotsTxt,
        robotsStatus: fetched.status,
        robotsRule: rule,
        robotsFetchedAt: now,
        crawlDelayMs: typeof delay === "number" && Number.isFinite(delay) ? Math.min(Math.round(delay * 1000), 3600_000) : null,
      })
      .where(eq(captureHosts.host, state.host))
      .returning();
    current = updated ?? state;
  }
  if (current.robotsRule === "allow") return { allowed: true, reason: null, crawlDelayMs: current.crawlDelayMs, state: current };
  if (current.robotsRule === "deny") {
    const why = current.robotsStatus ? `its robots.txt answered HTTP ${current.robotsStatus}` : "its robots.txt could not be read";
    return { allowed: false, reason: `${why}, which forbids every path until it can be read`, crawlDelayMs: current.crawlDelayMs, state: current };
  }
  const robots = robotsParser(new URL("/robots.txt", url).href, current.robotsTxt ?? "");
  const allowed = robots.isAllowed(url.href, ROBOTS_AGENT) !== false;
  return { allowed, reason: allowed ? null : `robots.txt disallows ${url.pathname} for ${ROBOTS_AGENT}`, crawlDelayMs: current.crawlDelayMs, state: current };
}
