import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "./database";

/** Rows of a raw query: PGlite answers `{ rows }`, postgres.js an array. */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A timestamp from a raw row: a Date from one driver, text from the other. */
export const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/** Ids as one array parameter, so a statement keeps one shape (and one prepared plan) whatever their number. */
export const intArray = (ids: Iterable<number>): SQL => sql`${`{${[...ids].map(Number).join(",")}}`}::int[]`;

/** Strings as one array parameter, each element quoted as PostgreSQL's array syntax asks. */
export const textArray = (items: Iterable<string>): SQL =>
  sql`${`{${[...items].map((s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`}::text[]`;

/**
 * Many rows as one parameter, read back as a record set: `insert ... select ... from
 * ${jsonRecords(rows, sql`r(id int, text text)`)}`. Each row is one line of JSON (an object, or
 * its JSON text already made), and PostgreSQL parses the lines one at a time, where one jsonb
 * array (jsonb_to_recordset) is built whole before its first row is read: for 5,000 audit rows
 * 65 ms against 100 ms. Each line is parsed once, as jsonb, so that a jsonb column's value is
 * taken as it is rather than parsed again from text (5–10 ms less for 5,000 audit rows; the same
 * for flat rows). One parameter keeps a statement's shape (and its prepared plan) whatever the
 * number of rows.
 */
export function jsonRecords(records: readonly (object | string)[], shape: SQL): SQL {
  const lines = records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");
  return sql`string_to_table(${lines}::text, E'\\n') as record_line, jsonb_to_record(record_line::jsonb) as ${shape}`;
}

/**
 * `count` new ids from the identity of `table`'s id column, ascending: for rows inserted together
 * that must know their ids first (to point at one another, or to keep an order). They come back
 * as one row of text: as 5,000 rows they cost the client more to read than PostgreSQL to draw.
 */
export async function nextIds(executor: Executor, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const [found] = await rows<{ ids: string }>(
    executor,
    sql`select string_agg(nextval(s)::text, ',') as ids
        from (select pg_get_serial_sequence(${table}, 'id')::regclass as s) seq, generate_series(1, ${count})`,
  );
  return found!.ids.split(",").map(Number).sort((a, b) => a - b);
}

/**
 * `count` consecutive new ids from the identity of `table`'s id column, drawn in one step rather
 * than one at a time (for 5,000 ids, about 1 ms of PostgreSQL's time instead of 20). Only for a
 * table whose every insert holds a lock the caller holds too, until commit: nothing else may draw
 * from the sequence between the step's two halves.
 */
export async function nextIdRange(executor: Executor, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const [found] = await rows<{ last: string | number }>(
    executor,
    sql`select setval(s, nextval(s) + ${count - 1}) as last from (select pg_get_serial_sequence(${table}, 'id')::regclass as s) seq`,
  );
  const first = Number(found!.last) - count + 1;
  return Array.from({ length: count }, (_, i) => first + i);
}

/**
 * Advisory locks, one id per thing serialised, all in one place so no two collide. The
 * transaction-level ones are released at commit or rollback.
 */
export const LOCKS = {
  /** Migrations, held on a connection of their own while they run. */
  migrations: 7266435,
  /** The audit chain's head: appends take turns so each links to the one before. */
  audit: 7266436,
  /** Links that replace claims, so two concurrent ones cannot close a loop. */
  replacingLinks: 7266437,
  /** Loading the demo story into an empty database. */
  seed: 7266438,
  /** First-run setup, which must make exactly one admin. */
  setup: 7266439,
  /** Edits that change what a claim relays, so two at once cannot close a loop. */
  relays: 7266440,
} as const;

/**
 * `Promise.all` for a transaction's statements, except that it waits for every one to settle
 * before throwing the first failure. A statement the group sends only after an await of its own
 * must not go out once another's failure has ended the transaction: it would run on a connection
 * the transaction no longer holds.
 */
export async function allStatements<T extends readonly unknown[] | []>(group: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const outcomes = await Promise.allSettled(group);
  for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

export const lockUntilCommit = (tx: Executor, lock: keyof typeof LOCKS) => tx.execute(sql`select pg_advisory_xact_lock(${LOCKS[lock]})`);

/**
 * Resolves once the statements started before it have been handed to the socket, so that
 * CPU-bound work after it runs while the database executes them. postgres.js sends a statement
 * of under a kilobyte from a setImmediate of its own, queued once the statement's promise is
 * awaited; an immediate queued from within an immediate runs on the next turn, after that one.
 */
export const statementsSent = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
