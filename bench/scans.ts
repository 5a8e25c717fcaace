import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db";

export type TableScan = { table: string; rows: number; seqScans: number; rowsRead: number };
export type ScanReport = { pages: { path: string; status: number }[]; minRows: number; scans: TableScan[] };

type Stat = { table: string; seqScans: number; rowsRead: number; rows: number };

async function tableStats(db: Db): Promise<Map<string, Stat>> {
  const found = await rows<Stat>(
    db,
    sql`select relname as "table", seq_scan::float8 as "seqScans", seq_tup_read::float8 as "rowsRead", n_live_tup::float8 as "rows" from pg_stat_user_tables`,
  );
  return new Map(found.map((s) => [s.table, s]));
}

// A backend reports its table counters when it goes idle, at the latest ten seconds later.
const STATS_DELAY_MS = 11_000;

/**
 * Asks for every page once, before anything is cached, and names the tables of at least `minRows`
 * rows that PostgreSQL read whole to answer: a lookup without an index shows up here on a large
 * data set, where an EXPLAIN of a guessed query could miss it.
 */
export async function tablesScannedWhole(db: Db, baseUrl: string, paths: string[], minRows = 1_000): Promise<ScanReport> {
  await new Promise((resolve) => setTimeout(resolve, STATS_DELAY_MS));
  const before = await tableStats(db);
  const pages: ScanReport["pages"] = [];
  for (const path of paths) {
    const res = await fetch(new URL(path, baseUrl), { headers: { accept: "text/html,application/json,*/*" } });
    await res.arrayBuffer();
    pages.push({ path, status: res.status });
  }
  await new Promise((resolve) => setTimeout(resolve, STATS_DELAY_MS));
  const after = await tableStats(db);
  const scans: TableScan[] = [];
  for (const [table, now] of after) {
    const then = before.get(table);
    const seqScans = now.seqScans - (then?.seqScans ?? 0);
    if (now.rows >= minRows && seqScans > 0) scans.push({ table, rows: now.rows, seqScans, rowsRead: now.rowsRead - (then?.rowsRead ?? 0) });
  }
  return { pages, minRows, scans: scans.sort((a, b) => b.rowsRead - a.rowsRead) };
}
