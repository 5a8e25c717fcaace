import { sql } from "drizzle-orm";
import { getDatabase, latestMigration } from "@/db";
import { isDatabaseUnavailable } from "@/lib/errors";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`select 1`);
    return Response.json({ ok: true, database: database.engine, migrations: await latestMigration(database.db) });
  } catch (err) {
    const reason = isDatabaseUnavailable(err) ? "The database cannot be reached." : `The database failed: ${(err as Error).message}`;
    return Response.json({ ok: false, reason }, { status: 503, headers: { "Retry-After": "5" } });
  }
}
