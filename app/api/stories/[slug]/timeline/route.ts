import { endpoint, json } from "@/lib/http";
import { readTimeline } from "@/lib/stories";
import { timeQuery } from "@/lib/validation";
import { storyParams } from "../params";

export const GET = endpoint({ summary: "Dated events of the story", params: storyParams, query: timeQuery }, async ({ params, query }) =>
  json(await readTimeline(params.slug, query)),
);
