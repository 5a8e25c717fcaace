import { endpoint, json } from "@/lib/http";
import { publicOrigin } from "@/lib/origin";
import { readStoryProvenance } from "@/lib/stories";
import { timeQuery } from "@/lib/validation";
import { storyParams } from "../params";

export const GET = endpoint({ summary: "A story's provenance as W3C PROV-O JSON-LD", params: storyParams, query: timeQuery }, async ({ req, params, query }) =>
  json(await readStoryProvenance(params.slug, publicOrigin(req.headers, req.url), query), 200, { "Content-Type": "application/ld+json" }),
);
