import { z } from "zod";
import { json, readQuery, route } from "@/lib/http";
import { getStoryChanges } from "@/lib/read";
import { instant } from "@/lib/validation";

const query = z.object({ from: instant, to: instant.optional(), knownAt: instant.optional() });

export const GET = route(async (req, { params, db }) => {
  const { from, to, knownAt } = readQuery(req, query);
  return json(await getStoryChanges(db, params.slug!, from, to ?? new Date(), knownAt));
});
