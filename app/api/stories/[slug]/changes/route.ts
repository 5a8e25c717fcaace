import { endpoint, json } from "@/lib/http";
import { readChanges } from "@/lib/stories";
import { changesQuery } from "@/lib/validation";
import { storyParams } from "../params";

export const GET = endpoint({ summary: "What changed between two instants", params: storyParams, query: changesQuery }, async ({ params, query }) =>
  json(await readChanges(params.slug, query)),
);
