import { PgBoss, fromPglite, type Job } from "pg-boss";
import { rows, type Database, type Executor } from "@/db";
import { sql } from "drizzle-orm";
import { runCapture } from "./capture";
import { watcherSettings, type WatcherSettings } from "./settings";

// The watcher's jobs run on pg-boss, in the app's own database: on PostgreSQL several instances
// share the queue (each job goes to one of them), on PGlite the one process runs it.

export const CAPTURE_QUEUE = "capture";
export const SWEEP_QUEUE = "watch-sweep";

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

export type Watcher = {
  boss: PgBoss;
  /** Hands out the due checks now, as the sweep that runs each minute does; returns how many. */
  sweep(now?: Date): Promise<number>;
  stop(): Promise<void>;
};

export type WatcherOptions = {
  settings?: WatcherSettings;
  /** Whether to sweep every minute (pg-boss's cron); tests sweep when they choose. */
  cron?: boolean;
  pollingIntervalSeconds?: number;
};

/** Starts the watcher on this database: its queues, its workers, and the sweep each minute. */
export async function startWatcher(database: Database, options: WatcherOptions = {}): Promise<Watcher> {
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
  if (options.cron !== false) await boss.schedule(SWEEP_QUEUE, "* * * * *");

  return {
    boss,
    sweep,
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
