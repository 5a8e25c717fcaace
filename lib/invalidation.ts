import { sql } from "drizzle-orm";
import { onTransaction, type Database } from "@/db";
import { invalidateAll } from "@/lib/cache";

/**
 * Freshness across instances: every committed transaction drops this process's caches and, through
 * a PostgreSQL NOTIFY sent inside it (delivered at commit, and only if it commits), every other
 * process's. A write needs nothing else to be seen everywhere, audited or not. In the application
 * process the transaction's caller also waits for the front to drop its page cache
 * (lib/app-process.ts), so the writer's next read is fresh wherever it goes.
 *
 * Registered when this module loads: the server (lib/startup.ts), the command-line tasks
 * (lib/cli/run.ts) and the test helpers import it.
 */
export const WRITES_CHANNEL = "claimtrail_writes";

onTransaction("invalidation", {
  inTransaction: (tx) => tx.execute(sql`select pg_notify(${WRITES_CHANNEL}, '')`),
  afterCommit: invalidateAll,
});

/** Drops the caches whenever any process commits; and when the listening connection comes back, since what it missed is lost. */
export async function followWrites(database: Database): Promise<void> {
  await database.listen(WRITES_CHANNEL, invalidateAll);
}
