import { openConfiguredDatabase, type Database } from "@/db";
// Every write of a command reaches the running servers' caches.
import "@/lib/invalidation";

/** Opens the configured database for a command-line task, migrated, and closes it after. */
export async function withDatabase<T>(task: (database: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase();
  try {
    return await task(database);
  } finally {
    await database.close();
  }
}

/** Runs a command's main function; an error is printed as one line and exits non-zero. */
export function main(task: () => Promise<void>): void {
  task().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
