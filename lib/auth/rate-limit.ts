import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db";

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
