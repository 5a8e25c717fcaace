import { sql } from "drizzle-orm";
import { PgBoss, fromPglite, type Job } from "pg-boss";
import { rows, type Database, type Executor } from "@/db";
import { WRITES_CHANNEL } from "@/lib/invalidation";
import { runCapture } from "@/lib/watch/capture";
import { watcherSettings, type WatcherSettings } from "@/lib/watch/settings";
import { deliverDue } from "@/lib/webhooks";

// The background work, on pg-boss in the app's own database: the watcher's checks and the
// webhooks' deliveries. On PostgreSQL several instances share the queues (each job goes to one
// of them); on PGlite the one process runs them.

export const CAPTURE_QUEUE = "capture";
export const SWEEP_QUEUE = "watch-sweep";
export const DELIVERY_QUEUE = "webhook-deliver";

/** How many due watches one sweep hands out; the next sweep, a minute later, takes the rest. */
const SWEEP_LIMIT = 2000;
/** A claimed check that has not finished in this long is handed out again (its worker died). */
const CLAIM_LAPSE_MINUTES = 15;

type CaptureJob = { watchId: number; slot: string };

/**
 * Hands out every check that is due, each once: the watch's slot moves into its claim in the same
 * statement that finds it (rows locked by another sweep are skipped), so two instances sweeping
 * at once share the work and no slot is fetched twice.
 */
export async function claimDueWatches(db: Executor, now = new Date(), limit = SWEEP_LIMIT): Promise<{ watchId: number; slot: Date }[]> {
  const at = now.toISOString();
  await db.execute(sql`
    update watches set next_check_at = claimed_slot, claimed_slot = null, claimed_at = null
    where enabled and next_check_at is null and claimed_at < ${at}::timestamptz - make_interval(mins => ${CLAIM_LAPSE_MINUTES})`);
  const claimed = await rows<{ id: number; claimed_slot: string | Date }>(
    db,
    sql`update watches w set claimed_slot = w.next_check_at, claimed_at = ${at}::timestamptz, next_check_at = null
        where w.id in (
          select id from watches where enabled and next_check_at <= ${at}::timestamptz
          order by next_check_at limit ${limit} for update skip locked
        )
        returning w.id, w.claimed_slot`,
  );
  return claimed.map((r) => ({ watchId: Number(r.id), slot: new Date(r.claimed_slot) }));
}

export type Worker = {
  boss: PgBoss;
  /** Hands out the due checks now, as the sweep that runs each minute does; returns how many. */
  sweep(now?: Date): Promise<number>;
  /** Sends the due webhook deliveries now; returns how many were tried. */
  deliver(now?: Date): Promise<number>;
  stop(): Promise<void>;
};

/**
 * `run`, called at most once per `ms` however often the result is called: at once after a quiet
 * spell, and once more at the end of the spell if calls came during it, so that the last call is
 * always followed by a run within `ms` (lodash's throttle, in the dozen lines this needs of it).
 */
export function atMostEvery(ms: number, run: () => void): (() => void) & { cancel: () => void } {
  let quietFrom = 0;
  let again: NodeJS.Timeout | null = null;
  const runNow = () => {
    quietFrom = Date.now() + ms;
    run();
  };
  const call = () => {
    const now = Date.now();
    if (now >= quietFrom) runNow();
    else
      again ??= setTimeout(() => {
        again = null;
        runNow();
      }, quietFrom - now).unref();
  };
  const cancel = () => {
    if (again) clearTimeout(again);
    again = null;
  };
  return Object.assign(call, { cancel });
}

export type WorkerOptions = {
  settings?: WatcherSettings;
  /** Whether to sweep and deliver every minute (pg-boss's cron); tests do it when they choose. */
  cron?: boolean;
  pollingIntervalSeconds?: number;
};

/**
 * Starts the background work on this database: the watcher's sweep and checks, and the webhooks'
 * deliveries, which also start within a second of any committed write.
 */
export async function startWorker(database: Database, options: WorkerOptions = {}): Promise<Worker> {
  const settings = options.settings ?? watcherSettings();
  const polling = options.pollingIntervalSeconds ?? 2;
  const boss =
    database.driver.engine === "pglite"
      ? new PgBoss({ backend: "pglite", db: fromPglite(database.driver.client), schedule: options.cron !== false })
      : new PgBoss({ connectionString: database.driver.url, max: 4, application_name: "claimtrail-watcher", schedule: options.cron !== false });
  boss.on("error", (err) => console.error(`Claimtrail watcher: ${(err as Error).message}`));
  await boss.start();
  await boss.createQueue(CAPTURE_QUEUE, { retryLimit: 2, retryDelay: 30, expireInSeconds: 600 });
  await boss.createQueue(SWEEP_QUEUE, { policy: "singleton", retryLimit: 0 });

  const sweep = async (now = new Date()) => {
    const due = await claimDueWatches(database.db, now);
    if (due.length) await boss.insert(CAPTURE_QUEUE, due.map(({ watchId, slot }) => ({ data: { watchId, slot: slot.toISOString() } satisfies CaptureJob })));
    return due.length;
  };

  await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: polling }, async () => void (await sweep()));
  // Each worker takes two jobs at a time and, while it finds full batches, fetches again at once
  // rather than after the polling interval: a backlog is worked through without waiting. Half
  // as many workers as checks in flight: an idle instance polls the queue once a second.
  await boss.work<CaptureJob>(
    CAPTURE_QUEUE,
    { batchSize: 2, burstWhenBatchFull: true, localConcurrency: Math.ceil(settings.concurrency / 2), pollingIntervalSeconds: polling },
    async (jobs: Job<CaptureJob>[]) => {
      await Promise.all(
        jobs.map(async (job) => {
          const result = await runCapture(database.db, settings, job.data.watchId, new Date(job.data.slot));
          // The host is busy or asked to wait: the same slot goes back on the queue for then.
          if ("deferredMs" in result) await boss.send(CAPTURE_QUEUE, job.data, { startAfter: new Date(Date.now() + result.deferredMs) });
        }),
      );
    },
  );
  // Webhooks go out with the watcher's address rules, and a shorter wait for an answer.
  const postLimits = { ...settings.limits, totalMs: Math.min(settings.limits.totalMs, 10_000) };
  const deliver = async (now = new Date()) => {
    let tried = 0;
    for (let batch = 50; batch === 50; ) {
      batch = await deliverDue(database.db, postLimits, now);
      tried += batch;
    }
    return tried;
  };
  await boss.createQueue(DELIVERY_QUEUE, { policy: "singleton", retryLimit: 0 });
  await boss.work(DELIVERY_QUEUE, { pollingIntervalSeconds: polling }, async () => {
    await deliver();
    // The next retry that falls due gets a job of its own for then, not only the next sweep.
    const [next] = await rows<{ at: string | Date | null }>(database.db, sql`select min(next_attempt_at) as at from webhook_deliveries where state = 'pending'`);
    if (next?.at) await boss.send(DELIVERY_QUEUE, {}, { startAfter: new Date(next.at), singletonKey: "next-retry" });
  });
  // A committed write may have made deliveries: one job, a second later, for any burst of writes.
  // Asking pg-boss costs statements of its own: asked on every write, it cost a busy writer a
  // third of its writes.
  const askForDelivery = atMostEvery(1000, () => void boss.sendDebounced(DELIVERY_QUEUE, {}, {}, 1).catch(() => {}));
  await database.listen(WRITES_CHANNEL, askForDelivery);
  if (options.cron !== false) {
    await boss.schedule(SWEEP_QUEUE, "* * * * *");
    await boss.schedule(DELIVERY_QUEUE, "* * * * *");
  }

  return {
    boss,
    sweep,
    deliver,
    stop: () => {
      askForDelivery.cancel();
      return boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
