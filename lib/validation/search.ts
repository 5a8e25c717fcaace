import { z } from "zod";
import { cleanText } from "./common";

export const MAX_QUERY_CHARS = 200;

/** The search box: words, "quoted phrases", `or`, and -excluded words, as on a web search engine. */
export const searchQuery = z.object({
  q: cleanText(MAX_QUERY_CHARS, "The search").transform((q) => q.trim()).optional(),
});
