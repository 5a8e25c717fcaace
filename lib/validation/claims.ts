import { z } from "zod";
import { linkKindEnum } from "@/db/schema";
import { cleanText, diffLayout, id, instant, requiredText, timeQuery } from "./common";

// Claims, their edits, and the links between them.

export const claimInput = z.strictObject({
  documentId: id,
  versionId: id.optional(),
  text: requiredText(5000, "Statement"),
  quote: cleanText(5000, "Quote").optional(),
  quotePrefix: cleanText(200, "Quote prefix").optional(),
  quoteSuffix: cleanText(200, "Quote suffix").optional(),
  speaker: cleanText(200, "Speaker").optional(),
  questionId: id.optional(),
  relaysClaimId: id.optional(),
  assertedAt: instant.optional(),
});

export const claimPatch = z
  .strictObject({
    text: requiredText(5000, "Statement").optional(),
    quote: cleanText(5000, "Quote").optional(),
    quotePrefix: cleanText(200, "Quote prefix").optional(),
    quoteSuffix: cleanText(200, "Quote suffix").optional(),
    /** The claim it repeats; null when it turns out to be no relay after all. */
    relaysClaimId: id.nullable().optional(),
    reason: requiredText(1000, "Reason"),
    baseRevision: z.coerce.number().int().positive(),
  })
  .refine((p) => p.text !== undefined || p.quote !== undefined || p.relaysClaimId !== undefined, {
    message: "Change the statement, the quote or the claim it relays.",
    path: ["text"],
  });

export const linkKind = z.enum(linkKindEnum.enumValues);

export const linkInput = z.strictObject({
  kind: linkKind,
  targetClaimId: id,
  effectiveAt: instant.optional(),
  note: cleanText(1000, "Note").optional(),
});

// A batch (POST /api/stories/{slug}/claims/batch): NDJSON, one claim or link per line.

/** The most lines and bytes one batch may hold. */
export const MAX_BATCH_LINES = 10_000;
export const MAX_BATCH_BYTES = 10_000_000;

/** A name a batch gives one of its claims, so that later lines can point at it. */
export const batchRef = z
  .string({ error: "A ref is a string." })
  .min(1, "A ref is at least one character.")
  .max(100, "A ref is at most 100 characters.")
  .describe("A name for this claim within the batch; later lines point at it by this name");

/** A claim named in a batch: a number is a stored claim's id, a string the ref of a claim on an earlier line. */
export const batchClaim = z.union([z.number().int().positive().max(2_147_483_647), batchRef], {
  error: "Name a claim by its id (a number) or by the ref of a claim on an earlier line (a string).",
});

export const batchClaimInput = claimInput.extend({ relaysClaimId: batchClaim.optional() });
export const batchLinkInput = linkInput.omit({ targetClaimId: true }).extend({
  from: batchClaim.describe("The newer claim, which corrects, contradicts, confirms, supersedes or retracts"),
  to: batchClaim.describe("The older claim it is about"),
});

/**
 * One line of a batch: `{"claim": {…}, "ref": "a"}` (the ref optional) or `{"link": {…}}`. A claim
 * has the fields of a single claim; its relaysClaimId and a link's ends may name a claim of an
 * earlier line by its ref.
 */
export const batchLine = z
  .strictObject({ ref: batchRef.optional(), claim: batchClaimInput.optional(), link: batchLinkInput.optional() })
  .superRefine((line, ctx) => {
    if ((line.claim === undefined) === (line.link === undefined)) {
      ctx.addIssue({ code: "custom", message: 'A line holds one claim or one link: {"claim": {…}} or {"link": {…}}.', path: [] });
    }
    if (line.ref !== undefined && line.link !== undefined) ctx.addIssue({ code: "custom", message: "Only a claim takes a ref.", path: ["ref"] });
  })
  .transform((line) =>
    line.claim ? { kind: "claim" as const, ref: line.ref, claim: line.claim } : { kind: "link" as const, link: line.link! },
  );

/** A claim picked in a form by its number, typed as "#12" or "12 — its words". */
export const claimRef = z.preprocess((v) => (typeof v === "string" ? (/^\s*#?(\d+)/.exec(v)?.[1] ?? v) : v), id);

export const claimForm = claimInput.extend({ _story: z.string(), relaysClaimId: claimRef.optional() });
export const claimEditForm = claimPatch.safeExtend({ _claim: id });
export const linkForm = linkInput.extend({ _from: id, targetClaimId: claimRef });
export const linkPreviewInput = linkForm.pick({ _from: true, kind: true, targetClaimId: true });

/** A claim page: the claim at a clock, its diffs laid out inline or side by side. */
export const claimPageQuery = timeQuery.extend({ layout: diffLayout.optional() });

const revision = z.coerce.number().int().positive();
/** `?against=<claim>` or `?fromRevision=&toRevision=`. */
export const claimDiffQuery = z.object({ against: id.optional(), fromRevision: revision.optional(), toRevision: revision.optional() });

/** The formats a claim's citation comes in. */
export const CITATION_FORMATS = ["csl-json", "bibtex", "ris"] as const;
export const citeQuery = z.object({
  format: z.enum(CITATION_FORMATS, { error: `The format must be one of ${CITATION_FORMATS.join(", ")}.` }).default("csl-json").describe("csl-json (default), bibtex or ris"),
});

export type ClaimInput = z.infer<typeof claimInput>;
export type ClaimPatch = z.infer<typeof claimPatch>;
export type LinkInput = z.infer<typeof linkInput>;
export type BatchLine = z.output<typeof batchLine>;
export type BatchClaimInput = z.output<typeof batchClaimInput>;
export type BatchLinkInput = z.output<typeof batchLinkInput>;
