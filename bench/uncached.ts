import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { WRITES_CHANNEL } from "@/lib/invalidation";
import { probe } from "./load";
import { median } from "./stats";

export type UncachedRenders = {
  name: string;
  path: string;
  statuses: number[];
  ms: number[];
  medianMs: number;
  fastestMs: number;
  slowestMs: number;
  /** The renders before those measured, while the process was still warming to the route. */
  warmUp: { count: number; medianMs: number; firstMs: number };
};

// Long enough for the server to have received the notification and dropped its caches.
const NOTIFY_SETTLE_MS = 300;

/** Makes the server drop every cache, as a write anywhere would. */
export async function dropServerCaches(db: Db): Promise<void> {
  await db.execute(sql`select pg_notify(${WRITES_CHANNEL}, 'bench')`);
  await new Promise((resolve) => setTimeout(resolve, NOTIFY_SETTLE_MS));
}

// A server that has run a while has rendered a route many times: V8 has compiled its code and
// sized its heap to it. A fresh process took 270–290 ms for its first dozen uncached renders of
// the largest story and about 190 ms after three to five dozen more, on the same data, so the
// measured renders come after WARM_UP of them, whose figures the report gives beside.
const WARM_UP = 20;

/**
 * Times a page rendered with nothing cached, several times over, on an otherwise idle server:
 * before each request a notification clears every cache, as a write anywhere would. The route's
 * code is loaded and warm by then, so this is the cost of the data and the render, not of
 * starting up.
 */
export async function uncachedRenders(db: Db, base: string, page: { name: string; path: string }, times = 7): Promise<UncachedRenders> {
  const render = async () => {
    await dropServerCaches(db);
    return probe(base, { name: page.name, path: page.path });
  };
  const warming: number[] = [];
  for (let i = 0; i < WARM_UP; i++) warming.push((await render()).ms);
  const statuses: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const answer = await render();
    statuses.push(answer.status);
    ms.push(answer.ms);
  }
  return {
    ...page,
    statuses,
    ms,
    medianMs: median(ms),
    fastestMs: Math.min(...ms),
    slowestMs: Math.max(...ms),
    warmUp: { count: WARM_UP, medianMs: median(warming), firstMs: warming[0]! },
  };
}
