// The data layer: the schema, the one client (PGlite or PostgreSQL), migrations and small SQL
// helpers. It knows nothing of the app; the app hooks into its transactions (./hooks.ts).
export { getDatabase, getDb, openConfiguredDatabase, openDatabase, useDatabase, type OpenOptions } from "./client";
export type { Database, Db, Engine, Executor, Tx } from "./database";
export { isDatabaseUnavailable, sqlState } from "./errors";
export { onTransaction, withoutHooks, type TransactionHooks } from "./hooks";
export { latestMigration, migrateDatabase, migrationsFolder } from "./migrate";
export { PGLITE_OPTIONS, wrapPglite } from "./pglite";
export { allStatements, intArray, jsonRecords, LOCKS, lockUntilCommit, nextIdRange, nextIds, rows, statementsSent, textArray, toDate } from "./sql";
export * as schema from "./schema";
