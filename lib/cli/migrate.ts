import { latestMigration } from "@/db";
import { main, withDatabase } from "./run";

main(() =>
  withDatabase(async (database) => {
    console.log(`Migrated ${database.engine} database at ${database.location}: ${await latestMigration(database.db)}`);
  }),
);
