import { defaultSeedDir, seed } from "@/db/seed";
import { main, withDatabase } from "./run";

main(() =>
  withDatabase(async (database) => {
    const result = await seed(database.db, defaultSeedDir());
    console.log(result.created ? "Loaded the demo story." : `Nothing to do: ${result.reason}.`);
  }),
);
