import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Query functions take either the database or an open transaction, so they compose. */
export type Executor = Db | Tx;
export type Engine = "pglite" | "postgres";

export type Database = {
  db: Db;
  engine: Engine;
  /** Where the data lives, for messages: a folder, memory://, or the server without credentials. */
  location: string;
  /** Statements sent so far: lets tests prove a page's round trips do not grow with its data. */
  queryCount(): number;
  /**
   * Calls `onNotify` for every NOTIFY on `channel`, from any process, and again whenever a lost
   * listening connection is back (notifications sent meanwhile are lost).
   */
  listen(channel: string, onNotify: () => void): Promise<void>;
  /** What a library with a driver of its own (the job queue) needs to reach the same database. */
  driver: { engine: "pglite"; client: PGlite } | { engine: "postgres"; url: string };
  close(): Promise<void>;
};

export function statementCounter() {
  let count = 0;
  return { logger: { logQuery: () => void count++ }, read: () => count };
}
