import { openDatabase, migrateDatabase, type Database } from "@/db";
import { env } from "@/lib/env";

/** Opens the configured database for a command-line task, migrated, and closes it after. */
export async function withDatabase<T>(task: (database: Database) => Promise<T>): Promise<T> {
  const config = env();
  const database = await openDatabase({ url: config.DATABASE_URL, dir: config.PGLITE_DIR });
  try {
    await migrateDatabase(database, config.DATABASE_URL);
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
