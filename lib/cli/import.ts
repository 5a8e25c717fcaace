import fs from "node:fs";
import readline from "node:readline";
import { importDatabase } from "@/lib/backup";
import { main, withDatabase } from "./run";

// `npm run import < dump.ndjson`, or `npm run import -- dump.ndjson`.
main(async () => {
  const file = process.argv[2];
  if (!file && process.stdin.isTTY) throw new Error("Give the dump on standard input (npm run import < dump.ndjson) or as a file name.");
  const input = file ? fs.createReadStream(file) : process.stdin;
  await withDatabase(async (database) => {
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    const { rows, audit } = await importDatabase(database.db, lines);
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    console.log(`Imported ${total} rows into the ${database.engine} database at ${database.location}.`);
    if (audit.ok) console.log(`The audit chain verifies: ${audit.events} events.`);
    else console.error(`Warning: the audit chain in this dump is broken at event ${audit.brokenAt} (${audit.reason}).`);
  });
});
