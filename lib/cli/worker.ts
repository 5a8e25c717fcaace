import { startWorker } from "@/lib/worker";
import { main, withDatabase } from "./run";

// `npm run worker`: the background work alone (the watcher, webhook deliveries), for servers started with WATCHER=0. On PostgreSQL any
// number may run beside the servers; the embedded database can be opened by one process only.
main(() =>
  withDatabase(async (database) => {
    const worker = await startWorker(database);
    console.log(`Claimtrail worker: the watcher and webhook deliveries, running on the ${database.engine} database at ${database.location}`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    console.log("Claimtrail worker: stopping after the checks in hand");
    await worker.stop();
  }),
);
