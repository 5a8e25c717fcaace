import { endpoint, jsonText } from "@/lib/http";
import { readStoryJson } from "@/lib/stories";
import { timeQuery } from "@/lib/validation";
import { storyParams } from "./params";

export const GET = endpoint({ summary: "A story: questions with best answers, claims with status", params: storyParams, query: timeQuery }, async ({ params, query }) =>
  jsonText(await readStoryJson(params.slug, query)),
);
