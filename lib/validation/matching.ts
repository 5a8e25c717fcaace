import { z } from "zod";
import { claimForm, claimRef, linkKind } from "./claims";
import { cleanText, id, slug } from "./common";

export const SIMILAR_DEFAULT_LIMIT = 5;
export const SIMILAR_MAX_LIMIT = 20;

/** `GET /api/claims/similar`: the words to match, and where and how many. */
export const similarQuery = z.object({
  text: cleanText(5000, "The text")
    .transform((t) => t.trim())
    .refine((t) => t.length > 0, "The text is required.")
    .describe(
      "A statement or a quote; fewer than two words that matter match nothing. Words are read as English; in scripts written without spaces (Chinese, Japanese) a run of text between punctuation counts as one word, so only a run written the same way matches.",
    ),
  story: slug.optional().describe("Only claims of this story."),
  limit: z.coerce
    .number({ error: "The limit must be a number." })
    .int("The limit must be a whole number.")
    .min(1, "The limit must be at least 1.")
    .max(SIMILAR_MAX_LIMIT, `The limit must be at most ${SIMILAR_MAX_LIMIT}.`)
    .default(SIMILAR_DEFAULT_LIMIT)
    .describe(`How many, best first (${SIMILAR_DEFAULT_LIMIT} unless given, at most ${SIMILAR_MAX_LIMIT}).`),
});
export type SimilarQuery = z.infer<typeof similarQuery>;

/**
 * The claim form, sent to log the claim or to review similar claims first. A suggestion's
 * buttons send its claim as what the new claim relays (`relayTo`) or links to (`linkTo`, as `linkKind`).
 */
export const claimLogForm = claimForm
  .extend({
    intent: z.enum(["log", "review"]).default("log"),
    relayTo: claimRef.optional(),
    linkTo: claimRef.optional(),
    linkKind: linkKind.optional(),
  })
  .refine((f) => f.linkTo === undefined || f.linkKind !== undefined, { message: "Choose how the new claim links to it.", path: ["linkKind"] });

/** A likely repeat confirmed (the later claim relays the earlier) or dismissed. */
export const repeatDecision = z.discriminatedUnion("action", [
  z.strictObject({ earlier: id, later: id, action: z.literal("dismiss"), baseRevision: z.coerce.number().int().positive().optional() }),
  // Marking the relay is an edit of the later claim, made against the revision the editor saw.
  z.strictObject({ earlier: id, later: id, action: z.literal("confirm"), baseRevision: z.coerce.number().int().positive() }),
]);

/** The editor's list of likely repeats: a page of older claims, or one story's. */
export const repeatsQuery = z.object({ olderThan: id.optional(), story: slug.optional() });
export type RepeatsQuery = z.infer<typeof repeatsQuery>;
