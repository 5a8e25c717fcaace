import { z } from "zod";
import { linkKindEnum, precisionEnum, documentKindEnum } from "@/db/schema";
import { normalizeUrl } from "@/lib/urls";

/** Largest JSON body any write accepts; larger ones get 413 before parsing. */
export const MAX_BODY_BYTES = 1_000_000;
export const MAX_VERSION_CHARS = 500_000;

// Control characters other than tab and line breaks, and lone surrogates (invalid UTF-16,
// which would be silently replaced on the way to the database).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbiddenChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;

export const cleanText = (max: number, label = "Text") =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${label} is required.` : `${label} must be text.`) })
    .max(max, `${label} is longer than ${max.toLocaleString("en")} characters.`)
    .refine((s) => !forbiddenChars.test(s), `${label} contains control characters or invalid Unicode.`);

export const requiredText = (max: number, label = "This field") =>
  cleanText(max, label).refine((s) => s.trim().length > 0, `${label} is required.`);

export const id = z.coerce
  .number({ error: "Must be a numeric id." })
  .int("Must be a whole number.")
  .positive("Must be a positive id.")
  .max(2_147_483_647, "Unknown id.");

export const httpUrl = z.string().max(2000).transform((value, ctx) => {
  try {
    return normalizeUrl(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

export const precision = z.enum(precisionEnum.enumValues);
export type DatePrecision = z.infer<typeof precision>;

const datePatterns: [RegExp, DatePrecision][] = [
  [/^\d{4}$/, "year"],
  [/^\d{4}-\d{2}$/, "month"],
  [/^\d{4}-\d{2}-\d{2}$/, "day"],
];
const isoDateTime = z.iso.datetime({ offset: true, local: false });

// Years before 1000 do not survive the drivers' text round trip ("0099" reads back as 1999).
const inRange = (date: Date) => date.getUTCFullYear() >= 1000 && date.getUTCFullYear() <= 9999;

/** A date as people give it: "2025", "2025-06", "2025-06-06" or an exact ISO time with zone. */
export const datedInput = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  if (/^[+-]|^0\d{3}/.test(trimmed)) {
    ctx.addIssue({ code: "custom", message: `"${value.slice(0, 40)}" is outside the years 1000 to 9999.` });
    return z.NEVER;
  }
  for (const [pattern, p] of datePatterns) {
    if (!pattern.test(trimmed)) continue;
    const padded = p === "year" ? `${trimmed}-01-01` : p === "month" ? `${trimmed}-01` : trimmed;
    const date = new Date(`${padded}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, padded.length) !== padded) break;
    return { date, precision: p };
  }
  if (isoDateTime.safeParse(trimmed).success) {
    const date = new Date(trimmed);
    if (!Number.isNaN(date.getTime()) && inRange(date)) return { date, precision: "time" as DatePrecision };
  }
  ctx.addIssue({
    code: "custom",
    message: `"${value.slice(0, 40)}" is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or an ISO time with a zone.`,
  });
  return z.NEVER;
});

/** An instant: a day (start of it, UTC) or an ISO time. */
export const instant = datedInput.transform((d) => d.date);

export const outletInput = z.strictObject({
  name: requiredText(200, "Name"),
  homepage: httpUrl.optional(),
});

export const documentInput = z
  .strictObject({
  url: httpUrl.optional(),
  // Left out, the outlet is recognised from the URL's host (or created for it).
  outlet: z
    .union([z.string().regex(/^[a-z0-9-]{1,100}$/, "An outlet slug is lower-case letters, digits and dashes."), outletInput])
    .optional(),
  title: requiredText(500, "Title"),
  authors: z.array(requiredText(200, "Author")).max(50).optional(),
  publishedAt: datedInput,
  precision: precision.optional(),
  kind: z.enum(documentKindEnum.enumValues).optional(),
  })
  .refine((d) => d.outlet !== undefined || d.url !== undefined, { message: "Name the outlet, or give the URL to recognise it by.", path: ["outlet"] });

export const versionInput = z.strictObject({
  text: requiredText(MAX_VERSION_CHARS, "Text"),
  seenAt: instant,
  note: cleanText(500, "Note").optional(),
});

export const storyInput = z.strictObject({
  title: requiredText(300, "Title"),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "A slug is lower-case letters and digits joined by dashes.")
    .max(100)
    .optional(),
  summary: cleanText(2000, "Summary").optional(),
});

export const questionInput = z.strictObject({ label: requiredText(300, "Question") });

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
    reason: requiredText(1000, "Reason"),
    baseRevision: z.coerce.number().int().positive(),
  })
  .refine((p) => p.text !== undefined || p.quote !== undefined, {
    message: "Change the statement or the quote.",
    path: ["text"],
  });

export const linkKind = z.enum(linkKindEnum.enumValues);

export const linkInput = z.strictObject({
  kind: linkKind,
  targetClaimId: id,
  effectiveAt: instant.optional(),
  note: cleanText(1000, "Note").optional(),
});

export const timeQuery = z.object({
  asOf: instant.optional(),
  knownAt: instant.optional(),
});

export type OutletInput = z.infer<typeof outletInput>;
export type DocumentInput = z.infer<typeof documentInput>;
export type VersionInput = z.infer<typeof versionInput>;
export type StoryInput = z.infer<typeof storyInput>;
export type QuestionInput = z.infer<typeof questionInput>;
export type ClaimInput = z.infer<typeof claimInput>;
export type ClaimPatch = z.infer<typeof claimPatch>;
export type LinkInput = z.infer<typeof linkInput>;
export type TimeQuery = z.infer<typeof timeQuery>;
