import path from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { statementCounter, type Database, type Db } from "./database";
import { withTransactionHooks } from "./hooks";
import { acquireFolderLock } from "./pglite-lock";
import * as schema from "./schema";

/** What every embedded database loads: the extensions the migrations create. */
export const PGLITE_OPTIONS = { extensions: { pg_trgm } } satisfies PGliteOptions;

/** The embedded database in `dir` (or memory://), its folder locked to this process while open. */
export async function openPglite(dir: string): Promise<Database> {
  const inMemory = dir.startsWith("memory://");
  // The folder is chosen at run time; the comment keeps the bundler from tracing the project.
  const folder = inMemory ? dir : path.resolve(/*turbopackIgnore: true*/ dir);
  const release = inMemory ? () => {} : acquireFolderLock(dir);
  try {
    return wrapPglite(await PGlite.create(folder, PGLITE_OPTIONS), folder, release);
  } catch (err) {
    release();
    throw err;
  }
}

/** The Database over an open PGlite client; `release` frees the folder's lock on close. */
export function wrapPglite(client: PGlite, location: string, release: () => void = () => {}): Database {
  const statements = statementCounter();
  const db = withTransactionHooks(drizzle(client, { schema, logger: statements.logger }) as unknown as Db);
  return {
    db,
    engine: "pglite",
    location,
    queryCount: statements.read,
    listen: async (channel, onNotify) => void (await client.listen(channel, onNotify)),
    driver: { engine: "pglite", client },
    close: async () => {
      await client.close();
      release();
    },
  };
}
