import { z } from "zod";
import { linkKindEnum } from "@/db/schema";

/**
 * What a feed can be filtered on: new claims, links of one kind, new versions the watcher found,
 * passages a source removed or reworded (quotes), and claims' status changes.
 */
export const FEED_KINDS = ["claims", ...linkKindEnum.enumValues, "versions", "quotes", "statuses"] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const DEFAULT_FEED_LIMIT = 50;
export const MAX_FEED_LIMIT = 200;

const kindList = z.string().transform((value, ctx) => {
  const kinds = new Set<FeedKind>();
  for (const raw of value.split(",")) {
    const kind = raw.trim().toLowerCase();
    if (kind === "") continue;
    if (!(FEED_KINDS as readonly string[]).includes(kind)) {
      ctx.addIssue({ code: "custom", message: `"${raw.trim().slice(0, 40)}" is not a kind: use ${FEED_KINDS.join(", ")}.` });
      return z.NEVER;
    }
    kinds.add(kind as FeedKind);
  }
  if (kinds.size === 0) {
    ctx.addIssue({ code: "custom", message: `Name at least one kind: ${FEED_KINDS.join(", ")}.` });
    return z.NEVER;
  }
  // A fixed order, so the same filter written two ways is one feed with one ETag.
  return FEED_KINDS.filter((k) => kinds.has(k));
});

export const feedQuery = z.object({
  kinds: kindList.optional(),
  limit: z.coerce
    .number({ error: "The limit must be a number." })
    .int("The limit must be a whole number.")
    .min(1, "The limit must be at least 1.")
    .max(MAX_FEED_LIMIT, `The limit is at most ${MAX_FEED_LIMIT}.`)
    .default(DEFAULT_FEED_LIMIT),
});

export type FeedQuery = z.output<typeof feedQuery>;
