import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase } from "@/db";

/**
 * Migrating a new PGlite takes seconds; doing it once and letting every test file restore the
 * result keeps the suite fast while each file still gets a database of its own.
 */
export default async function setup({ provide: _provide }: { provide: unknown }) {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), "claimtrail-test-"));
  const database = await openDatabase({ dir: "memory://" });
  await migrateDatabase(database);
  const client = (database.db as unknown as { $client: { dumpDataDir(c?: string): Promise<Blob> } }).$client;
  const file = path.join(dir, "migrated.tar");
  await writeFile(file, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  await database.close();
  process.env.CLAIMTRAIL_TEST_SNAPSHOT = file;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
