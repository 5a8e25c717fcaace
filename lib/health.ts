import { sql } from "drizzle-orm";
import { getDatabase, isDatabaseUnavailable, latestMigration } from "@/db";

export type Health = { ok: true; database: string; migrations: string | null } | { ok: false; reason: string };

/** Whether the database answers, which engine it is, and the newest migration applied. */
export async function checkHealth(): Promise<Health> {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`select 1`);
    return { ok: true, database: database.engine, migrations: await latestMigration(database.db) };
  } catch (err) {
    return { ok: false, reason: isDatabaseUnavailable(err) ? "The database cannot be reached." : `The database failed: ${(err as Error).message}` };
  }
}
