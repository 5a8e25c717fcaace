import { env } from "@/lib/env";
import { seed } from "@/lib/seed";
import { main, withDatabase } from "./run";

main(() =>
  withDatabase(async (database) => {
    const result = await seed(database.db, env().SEED_DIR);
    console.log(result.created ? "Loaded the demo story." : `Nothing to do: ${result.reason}.`);
  }),
);
