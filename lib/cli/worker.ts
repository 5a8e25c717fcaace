import { startWatcher } from "@/lib/watch";
import { main, withDatabase } from "./run";

// `npm run worker`: the watcher alone, for servers started with WATCHER=0. On PostgreSQL any
// number may run beside the servers; the embedded database can be opened by one process only.
main(() =>
  withDatabase(async (database) => {
    const watcher = await startWatcher(database);
    console.log(`Claimtrail watcher: running on the ${database.engine} database at ${database.location}`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    console.log("Claimtrail watcher: stopping after the checks in hand");
    await watcher.stop();
  }),
);
