import { openDatabase } from "@/db";
import "@/lib/invalidation";
import { addressPolicy } from "@/lib/watch/address";
import { userAgent } from "@/lib/watch/settings";
import { startWorker } from "@/lib/worker";

// The bench's second watcher instance (bench/watch.ts): the same queue, from a process of its own.
const database = await openDatabase({ url: process.env.DATABASE_URL!, poolMax: 12 });
const watcher = await startWorker(database, {
  settings: {
    limits: { policy: addressPolicy("127.0.0.1"), userAgent: userAgent("https://claimtrail.bench"), totalMs: 30_000, connectMs: 5_000, maxBytes: 5_000_000 },
    hostIntervalMs: 0,
    concurrency: 8,
  },
  cron: false,
  pollingIntervalSeconds: 0.5,
});
console.log("ready");
const stop = async () => {
  await watcher.stop();
  await database.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
// A bench that dies leaves no instance behind.
setTimeout(stop, 15 * 60_000).unref();
process.on("disconnect", stop);
