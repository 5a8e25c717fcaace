import { getDatabase } from "@/db";
import { issueSetupCode } from "@/lib/auth/sessions";
import { env } from "@/lib/env";
import { followWrites } from "@/lib/invalidation";
import { seed } from "@/lib/seed";
import { startWorker } from "@/lib/worker";

/**
 * Runs once when the server starts: validates the environment, opens (and so migrates) the
 * database, follows other processes' writes, loads the demo story into an empty database, and
 * starts the watcher unless WATCHER=0.
 */
export async function startUp(): Promise<void> {
  let config;
  try {
    config = env();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  try {
    const database = await getDatabase();
    console.log(`Claimtrail: ${database.engine} database at ${database.location}`);
    await followWrites(database);
    if (config.SEED_ON_START) {
      const result = await seed(database.db, config.SEED_DIR);
      if (result.created) console.log("Claimtrail: loaded the demo story");
      else if (result.reason !== "already seeded") console.warn(`Claimtrail: demo story not loaded (${result.reason})`);
    }
    const code = await issueSetupCode(database.db);
    if (code) console.log(`Claimtrail: no admin yet. Open /setup and enter this one-time setup code: ${code}`);
    if (config.WATCHER) {
      await startWorker(database);
      console.log("Claimtrail: the watcher and webhook deliveries are running (WATCHER=0 runs them elsewhere, with npm run worker)");
    }
  } catch (err) {
    const name = (err as Error).name;
    if (name === "DatabaseLockedError") {
      console.error((err as Error).message);
      process.exit(1);
    }
    // A database that is down at start is not fatal: requests answer 503 until it returns.
    console.error(`Claimtrail: database not ready at start: ${(err as Error).message}`);
  }
}
