import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { WRITES_CHANNEL } from "@/lib/invalidation";
import { probe } from "./load";

export type UncachedRenders = { name: string; path: string; statuses: number[]; ms: number[]; medianMs: number; fastestMs: number; slowestMs: number };

// Long enough for the server to have received the notification and dropped its caches.
const NOTIFY_SETTLE_MS = 300;

/** Makes the server drop every cache, as a write anywhere would. */
export async function dropServerCaches(db: Db): Promise<void> {
  await db.execute(sql`select pg_notify(${WRITES_CHANNEL}, 'bench')`);
  await new Promise((resolve) => setTimeout(resolve, NOTIFY_SETTLE_MS));
}

/**
 * Times a page rendered with nothing cached, several times over, on an otherwise idle server:
 * before each request a notification clears every cache, as a write anywhere would. The route's
 * code is loaded by then, so this is the cost of the data and the render, not of starting up.
 */
export async function uncachedRenders(db: Db, base: string, page: { name: string; path: string }, times = 7): Promise<UncachedRenders> {
  const statuses: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    await dropServerCaches(db);
    const answer = await probe(base, { name: page.name, path: page.path });
    statuses.push(answer.status);
    ms.push(answer.ms);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { ...page, statuses, ms, medianMs: sorted[Math.floor(sorted.length / 2)]!, fastestMs: sorted[0]!, slowestMs: sorted[sorted.length - 1]! };
}
