import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db";

// Counts of recent requests (sign-in attempts, writes), which a refused request adds to as it
// should: they record that the request was made, not anything it wrote.
const REQUEST_COUNTS = ["rate_limits", "rate_buckets"];

/**
 * A fingerprint of every row of every table, one hash per table: equal before and after a
 * request means the request wrote nothing, whatever the table and whatever the column.
 */
export async function databaseDigest(db: Executor): Promise<Record<string, string>> {
  const tables = (
    await rows<{ name: string }>(
      db,
      sql`select table_name::text as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    )
  ).filter((t) => !REQUEST_COUNTS.includes(t.name));
  const digests = await rows<{ name: string; digest: string }>(
    db,
    sql.join(
      tables.map(
        ({ name }) =>
          sql`select ${name}::text as name, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.identifier(name)} t`,
      ),
      sql` union all `,
    ),
  );
  return Object.fromEntries(digests.map((d) => [d.name, d.digest]));
}
