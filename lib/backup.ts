import { sql, type SQL } from "drizzle-orm";
import { latestMigration, rows, textArray, type Db, type Executor } from "@/db";
import { verifyAuditChain, type ChainVerdict } from "@/lib/audit";
import { AppError } from "@/lib/errors";

export const EXPORT_FORMAT = "claimtrail-export";
export const EXPORT_VERSION = 1;

type BackupTable = { name: string; key: string[]; pageSize?: number };

/**
 * Everything a restored Claimtrail needs, in an order where each row's references come first.
 * Rows are read in key order so that two exports of the same data are the same bytes.
 */
export const BACKUP_TABLES: readonly BackupTable[] = [
  { name: "editors", key: ["id"] },
  { name: "api_tokens", key: ["id"] },
  { name: "outlets", key: ["id"] },
  { name: "documents", key: ["id"] },
  { name: "watches", key: ["id"] },
  // A version may hold half a million characters: smaller pages keep memory flat.
  { name: "document_versions", key: ["id"], pageSize: 20 },
  // A capture keeps the page it read, compressed, up to two megabytes.
  { name: "captures", key: ["id"], pageSize: 20 },
  { name: "stories", key: ["id"] },
  { name: "questions", key: ["id"] },
  { name: "claims", key: ["id"] },
  { name: "claim_revisions", key: ["claim_id", "revision"] },
  { name: "links", key: ["id"] },
  { name: "quote_checks", key: ["id"] },
  { name: "version_notices", key: ["id"] },
  { name: "status_events", key: ["id"] },
  { name: "inbox_resolutions", key: ["id"] },
  { name: "match_dismissals", key: ["id"] },
  // Endpoints keep their signing secrets, so that a restored server signs as the old one did.
  { name: "webhooks", key: ["id"] },
  { name: "webhook_deliveries", key: ["id"] },
  { name: "audit_events", key: ["id"] },
];

/**
 * Left out on purpose: sign-in sessions, one-time setup codes and counts of recent sign-in attempts
 * and writes belong to the old server, and the hosts' politeness state (robots.txt as last read,
 * turns) is read again as it is needed.
 */
export const NOT_EXPORTED = ["sessions", "setup_codes", "capture_hosts", "rate_limits", "rate_buckets"] as const;

const PAGE_SIZE = 500;
const IMPORT_BATCH_ROWS = 500;
const IMPORT_BATCH_CHARS = 4_000_000;

export type TableCounts = Record<string, number>;
type Header = { format: string; version: number; migration: string | null; tables: string[] };
type RowLine = { table: string; row: Record<string, unknown> };
type EndLine = { end: true; rows: TableCounts };

const ident = (name: string) => sql.identifier(name);
const keyList = (t: BackupTable, alias?: string) => sql.join(t.key.map((k) => (alias ? sql`${ident(alias)}.${ident(k)}` : ident(k))), sql`, `);

/**
 * Writes the whole database as NDJSON: a header line, one line per row, and an end line with the
 * row counts, so a cut-off dump is recognised on import. Rows are serialised by PostgreSQL itself
 * (to_jsonb, in UTC), which keeps timestamps to the microsecond and jsonb exactly as stored.
 */
export async function exportDatabase(db: Db, write: (chunk: string) => void | Promise<void>): Promise<TableCounts> {
  // One snapshot for every table: writes landing during the export are either wholly in or out.
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`set local timezone to 'UTC'`);
      const header: Header = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        migration: await latestMigration(tx),
        tables: BACKUP_TABLES.map((t) => t.name),
      };
      await write(`${JSON.stringify(header)}\n`);
      const counts: TableCounts = {};
      const columns = await columnsOf(tx);
      for (const table of BACKUP_TABLES) counts[table.name] = await exportTable(tx, table, columns.get(table.name)?.derived ?? [], write);
      await write(`${JSON.stringify({ end: true, rows: counts } satisfies EndLine)}\n`);
      return counts;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

async function exportTable(tx: Executor, table: BackupTable, derived: string[], write: (chunk: string) => void | Promise<void>): Promise<number> {
  const prefix = `{"table":${JSON.stringify(table.name)},"row":`;
  let after: string[] | null = null;
  let count = 0;
  for (;;) {
    const where: SQL = after ? sql`where (${keyList(table, "t")}) > (${sql.join(after.map((v) => sql`${v}::bigint`), sql`, `)})` : sql``;
    const page = await rows<{ json: string; keys: string[] }>(
      tx,
      sql`select (to_jsonb(t) - ${textArray(derived)})::text as json, array[${sql.join(table.key.map((k) => sql`t.${ident(k)}::text`), sql`, `)}] as keys
          from ${ident(table.name)} t ${where}
          order by ${keyList(table, "t")}
          limit ${table.pageSize ?? PAGE_SIZE}`,
    );
    if (page.length === 0) return count;
    await write(page.map((r) => `${prefix}${r.json}}\n`).join(""));
    count += page.length;
    after = page[page.length - 1]!.keys;
  }
}

export type ImportSummary = { rows: TableCounts; audit: ChainVerdict };

/**
 * Restores an export into an empty database, in one transaction: a dump that is malformed,
 * cut short, from another schema version, or aimed at a database that already holds data
 * writes nothing. Identity sequences are moved past the restored ids so new rows do not collide.
 */
export async function importDatabase(db: Db, lines: AsyncIterable<string> | Iterable<string>): Promise<ImportSummary> {
  // Taken before the first await: a readline interface drops the lines it reads while nobody iterates.
  const iterator = (Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : toAsync(lines)[Symbol.asyncIterator]()) as AsyncIterator<string>;
  return db.transaction(async (tx) => {
    let lineNo = 0;
    const next = async (): Promise<string | null> => {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return null;
        lineNo++;
        if (value.trim() !== "") return value;
      }
    };
    const parse = (line: string): unknown => {
      try {
        return JSON.parse(line);
      } catch {
        throw malformed(`line ${lineNo} is not JSON`);
      }
    };

    let first = await next();
    // `npm run export > dump.ndjson` puts npm's "> claimtrail@… export" banner above the header.
    while (first !== null && first.startsWith("> ")) first = await next();
    if (first === null) throw malformed("it is empty");
    const header = parse(first) as Partial<Header>;
    if (header.format !== EXPORT_FORMAT) throw malformed("it does not start with a Claimtrail export header");
    if (header.version !== EXPORT_VERSION) {
      throw malformed(`it is format version ${String(header.version)}, and this Claimtrail reads version ${EXPORT_VERSION}`);
    }
    const migration = await latestMigration(tx);
    if (header.migration !== migration) {
      throw new AppError(
        "unprocessable",
        `The dump was made at migration ${header.migration ?? "(none)"}, and this database is at ${migration ?? "(none)"}: ` +
          "restore it with the Claimtrail version that made it, then upgrade. Nothing was imported.",
      );
    }

    const names = BACKUP_TABLES.map((t) => t.name);
    // Writers started meanwhile wait for the import instead of slipping rows in beside it.
    await tx.execute(sql`lock table ${sql.join(names.map(ident), sql`, `)} in exclusive mode`);
    const occupied = await nonEmptyTables(tx, names);
    if (occupied.length > 0) {
      throw new AppError(
        "conflict",
        `The database is not empty (${occupied.join(", ")} hold rows); an import restores into an empty database only. Nothing was imported.`,
      );
    }

    const counts: TableCounts = Object.fromEntries(names.map((n) => [n, 0]));
    const columns = await columnsOf(tx);
    let tableIndex = 0;
    let batch: string[] = [];
    let batchChars = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const table = names[tableIndex]!;
      const written = sql.join((columns.get(table)?.written ?? []).map(ident), sql`, `);
      await tx.execute(
        sql`insert into ${ident(table)} (${written}) select ${written} from jsonb_populate_recordset(null::${ident(table)}, ${`[${batch.join(",")}]`}::jsonb)`,
      );
      batch = [];
      batchChars = 0;
    };

    let end: EndLine | null = null;
    for (let line = await next(); line !== null; line = await next()) {
      if (end) throw malformed(`line ${lineNo} comes after the end line`);
      const parsed = parse(line) as Partial<RowLine & EndLine>;
      if (parsed.end === true) {
        end = parsed as EndLine;
        continue;
      }
      const index = typeof parsed.table === "string" ? names.indexOf(parsed.table) : -1;
      if (index === -1 || typeof parsed.row !== "object" || parsed.row === null || Array.isArray(parsed.row)) {
        throw malformed(`line ${lineNo} is not a row of a known table`);
      }
      if (index < tableIndex) throw malformed(`line ${lineNo} is a row of ${parsed.table}, which came earlier`);
      if (index > tableIndex) {
        await flush();
        tableIndex = index;
      }
      const json = JSON.stringify(parsed.row);
      batch.push(json);
      batchChars += json.length;
      counts[parsed.table!]!++;
      if (batch.length >= IMPORT_BATCH_ROWS || batchChars >= IMPORT_BATCH_CHARS) await flush();
    }
    await flush();

    if (!end) throw malformed("it ends early (no end line): it was cut off");
    for (const name of names) {
      if ((end.rows?.[name] ?? 0) !== counts[name]) {
        throw malformed(`its end line promises ${end.rows?.[name] ?? 0} rows of ${name}, and it holds ${counts[name]}`);
      }
    }
    await resetIdentities(tx, names);
    return { rows: counts, audit: await verifyAuditChain(tx) };
  });
}

const malformed = (why: string) => new AppError("unprocessable", `This is not a usable Claimtrail export: ${why}. Nothing was imported.`);

async function* toAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  yield* items;
}

async function nonEmptyTables(tx: Executor, names: string[]): Promise<string[]> {
  const found = await rows<{ name: string }>(
    tx,
    sql.join(
      names.map((n) => sql`select ${n}::text as name where exists (select 1 from ${ident(n)})`),
      sql` union all `,
    ),
  );
  return found.map((r) => r.name);
}

/**
 * Each exported table's columns: those an import writes, and those PostgreSQL derives from them
 * (claims' search terms), which are not exported and are made again on import.
 */
async function columnsOf(tx: Executor): Promise<Map<string, { written: string[]; derived: string[] }>> {
  const found = await rows<{ table_name: string; written: string[]; derived: string[] }>(
    tx,
    sql`select table_name::text,
               coalesce(array_agg(column_name::text order by ordinal_position) filter (where is_generated = 'NEVER'), '{}') as written,
               coalesce(array_agg(column_name::text order by ordinal_position) filter (where is_generated = 'ALWAYS'), '{}') as derived
        from information_schema.columns
        where table_schema = 'public' and table_name in (${sql.join(BACKUP_TABLES.map((t) => sql`${t.name}`), sql`, `)})
        group by table_name`,
  );
  return new Map(found.map((r) => [r.table_name, { written: r.written, derived: r.derived }]));
}

/** Moves each identity sequence just past the largest restored id. */
async function resetIdentities(tx: Executor, names: string[]): Promise<void> {
  const identities = await rows<{ table_name: string; column_name: string }>(
    tx,
    sql`select table_name::text, column_name::text from information_schema.columns
        where table_schema = 'public' and is_identity = 'YES'
          and table_name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})`,
  );
  for (const { table_name: table, column_name: column } of identities) {
    await tx.execute(
      sql`select setval(pg_get_serial_sequence(${`public.${table}`}, ${column}), coalesce(max(${ident(column)}), 0) + 1, false) from ${ident(table)}`,
    );
  }
}

/** Row counts of every exported table, for summaries and checks. */
export async function countRows(db: Executor): Promise<TableCounts> {
  const found = await rows<{ name: string; n: number }>(
    db,
    sql.join(
      BACKUP_TABLES.map((t) => sql`select ${t.name}::text as name, count(*)::int as n from ${ident(t.name)}`),
      sql` union all `,
    ),
  );
  return Object.fromEntries(found.map((r) => [r.name, r.n]));
}
