import { sql, type SQL } from "drizzle-orm";
import { rows, type Executor } from "@/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** How many attempts a key may make in a sliding window. */
export type Limit = { name: string; attempts: number; windowMs: number };

export type Verdict = { allowed: true } | { allowed: false; retryAfter: number };

/** Sign-in attempts: per account, against guessing one password; per address, against trying many accounts. */
export const SIGN_IN_LIMITS = {
  perAccount: { name: "sign-in:account", attempts: 5, windowMs: 15 * 60_000 },
  perAddress: { name: "sign-in:address", attempts: 20, windowMs: 15 * 60_000 },
} as const satisfies Record<string, Limit>;

/** Keys untouched for this long are forgotten: longer than any window. */
const FORGET_AFTER = "1 day";

/**
 * Records an attempt by `key` against `limit`; refused, it says how many seconds until the oldest
 * attempt in the window leaves it, and the refused attempt does not count. Kept in PostgreSQL, so
 * every instance on one database counts the same attempts: one row per key holds the times of
 * its attempts in the window, and the upsert locks it, so attempts made at once on several
 * instances take turns and never pass the limit together. (rate-limiter-flexible's PostgreSQL
 * store wants a node-postgres pool or an ORM; this runs on the app's own connection, on
 * PostgreSQL and PGlite alike, in one statement.)
 */
export async function attempt(db: Executor, limit: Limit, key: string, now = new Date()): Promise<Verdict> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const inWindow = sql`array(select h from unnest(r.hits) h where h > ${at} - ${`${limit.windowMs} milliseconds`}::interval order by h)`;
  const [[row]] = await Promise.all([
    rows<{ refused: boolean; oldest: Date | string }>(
      db,
      sql`insert into rate_limits as r (key, hits, refused, updated_at) values (${`${limit.name}:${key}`}, array[${at}], false, ${at})
          on conflict (key) do update set
            refused = cardinality(${inWindow}) >= ${limit.attempts},
            hits = ${inWindow} || case when cardinality(${inWindow}) >= ${limit.attempts} then '{}'::timestamptz[] else array[${at}] end,
            updated_at = ${at}
          returning refused, hits[1] as oldest`,
    ),
    // Keys nobody has tried for a day go, so the table holds only recent ones.
    db.execute(sql`delete from rate_limits where updated_at < ${at} - ${FORGET_AFTER}::interval`),
  ]);
  if (!row?.refused) return { allowed: true };
  const waitMs = new Date(row.oldest).getTime() + limit.windowMs - now.getTime();
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** Forgets a key's attempts, as after a successful sign-in. */
export async function resetLimit(db: Executor, limit: Limit, key: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where key = ${`${limit.name}:${key}`}`);
}

/**
 * A token bucket: up to `requests` at once, refilled at `requests` per window. It keeps one time
 * per key, so a limit of thousands costs what a limit of five does; a sliding log (`attempt`)
 * keeps every attempt's time and suits the small limits of sign-in.
 */
export type BucketLimit = { name: string; requests: number; windowMs: number };

/** An editor's writes, through the API and the editor's forms alike: WRITE_RATE_LIMIT a minute. */
export const writeLimit = (perMinute: number = env().WRITE_RATE_LIMIT): BucketLimit => ({ name: "writes:editor", requests: perMinute, windowMs: 60_000 });

/**
 * Takes one request from `key`'s bucket; refused (the bucket is empty), it says how many seconds
 * until one request's share has come back, and the refused request takes nothing. Kept in
 * PostgreSQL like `attempt`, in one statement whose upsert locks the key's row, so requests made
 * at once on several instances take turns. The row holds when the bucket is full again; each
 * request moves that on by one share of the window, and a request that would move it more than a
 * window ahead of now is refused.
 *
 * `key` may be a query giving the key (one text column), so that a lookup and the count go in
 * one statement; when it gives no row, nothing is counted and the request is allowed.
 *
 * The count is bookkeeping that a crash may lose without harm, so the statement does not wait for
 * its commit to reach the disk: on a busy writer that wait would cost as much as the write itself.
 */
export async function take(db: Executor, limit: BucketLimit, key: string | SQL, now = new Date()): Promise<Verdict> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const shareMs = limit.windowMs / limit.requests;
  const share = sql`${`${shareMs} milliseconds`}::interval`;
  const window = sql`${`${limit.windowMs} milliseconds`}::interval`;
  const next = sql`greatest(b.full_at, ${at}) + ${share}`;
  const over = sql`${next} > ${at} + ${window}`;
  const keys = typeof key === "string" ? sql`select ${key}::text` : key;
  const [row] = await rows<{ refused: boolean; full_at: Date | string }>(
    db,
    sql`with unhurried as (select set_config('synchronous_commit', 'off', true)),
        counted as (select ${`${limit.name}:`} || k.key as key from (${keys}) as k(key)),
        -- Buckets full for a day hold nothing worth keeping: a missing row is a full bucket.
        forgotten as (delete from rate_buckets where full_at < ${at} - ${FORGET_AFTER}::interval and key not in (select key from counted))
        insert into rate_buckets as b (key, full_at, refused)
        select counted.key, ${at} + ${share}, false from counted, unhurried
        on conflict (key) do update set
          refused = ${over},
          full_at = case when ${over} then b.full_at else ${next} end
        returning refused, full_at`,
  );
  if (!row?.refused) return { allowed: true };
  const waitMs = new Date(row.full_at).getTime() + shareMs - limit.windowMs - now.getTime();
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** The 429 a refused write gets, saying when to try again. */
export function tooManyWrites(limit: BucketLimit, retryAfter: number): AppError {
  const seconds = retryAfter === 1 ? "1 second" : `${retryAfter} seconds`;
  return new AppError(
    "too_many_requests",
    `Too many writes: an editor may make ${limit.requests.toLocaleString("en")} a minute. Nothing was written; try again in ${seconds}.`,
    undefined,
    { retryAfter },
  );
}

/** Counts a write by an editor; past the write limit, a 429 that says when to try again. */
export async function requireWriteAllowance(db: Executor, editorId: number, limit: BucketLimit = writeLimit()): Promise<void> {
  const verdict = await take(db, limit, String(editorId));
  if (!verdict.allowed) throw tooManyWrites(limit, verdict.retryAfter);
}
