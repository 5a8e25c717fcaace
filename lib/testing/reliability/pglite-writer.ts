import { migrateDatabase, openDatabase } from "@/db";
import { systemActor } from "@/lib/audit";
import { createStory } from "@/lib/stories";

/**
 * Writes stories into a PGlite folder until it is killed, printing each id only after its
 * transaction resolved: whatever it printed was promised to a caller, and must survive.
 * Usage: node --import tsx lib/testing/reliability/pglite-writer.ts <folder> <label>
 */
const [folder, label = "run"] = process.argv.slice(2);
if (!folder) throw new Error("Give the PGlite folder to write into.");
const database = await openDatabase({ dir: folder });
await migrateDatabase(database);
process.stdout.write("ready\n");
const actor = systemActor("writer");
for (let i = 0; ; i++) {
  const story = await createStory(database.db, actor, { title: `Written by ${label} ${i}`, slug: `${label}-${i}` });
  process.stdout.write(`${story.id}\n`);
}
