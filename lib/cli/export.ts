import fs from "node:fs";
import { exportDatabase } from "@/lib/backup";
import { main, withDatabase } from "./run";

// `npm run --silent export > dump.ndjson`, or `npm run export -- dump.ndjson` to write a file.
main(async () => {
  const file = process.argv[2];
  const out = file ? fs.createWriteStream(file, { flags: "wx" }) : process.stdout;
  // Waiting for each chunk to be handed over keeps a large table from piling up in memory.
  const write = (chunk: string) => new Promise<void>((resolve, reject) => out.write(chunk, (err) => (err ? reject(err) : resolve())));
  await withDatabase(async (database) => {
    const counts = await exportDatabase(database.db, write);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.error(`Exported ${total} rows from the ${database.engine} database at ${database.location}.`);
  });
  if (file) await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
});
