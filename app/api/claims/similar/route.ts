import { endpoint, json } from "@/lib/http";
import { readSimilar } from "@/lib/matching";
import { similarQuery } from "@/lib/validation";

export const GET = endpoint({ summary: "Claims worded like a text, best first, each scored from 0 to 1", query: similarQuery }, async ({ query }) =>
  json(await readSimilar(query)),
);
