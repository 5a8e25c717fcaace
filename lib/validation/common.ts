import { z } from "zod";
import { precisionEnum } from "@/db/schema";
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

/** An optional instant of each clock, as query parameters: `?asOf=…&knownAt=…`. */
export const timeQuery = z.object({
  asOf: instant.optional().describe("Publication time: what had been published by then (default now)"),
  knownAt: instant.optional().describe("Logging time: what Claimtrail had recorded by then (default now)"),
});

/** The `?page=` of a paginated list: a whole number from 1, absent meaning the first. */
export const pageQuery = z.object({
  page: z.coerce
    .number({ error: "The page must be a number." })
    .int("The page must be a whole number.")
    .min(1, "Pages are numbered from 1.")
    .max(100_000, "There is no such page.")
    .optional(),
});

/** A slug as stories and outlets have them in their addresses. */
export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "A slug is lower-case letters and digits joined by dashes.")
  .max(100);

/** How a diff is laid out on a page: inline (the default) or side by side. */
export const diffLayout = z.enum(["inline", "side"], { error: "The layout is either “inline” or “side”." });

export type DatedInput = z.infer<typeof datedInput>;
export type TimeQuery = z.infer<typeof timeQuery>;

/** A slug as it arrives in an address; any text is looked up, and an unknown one is not found. */
export const slugParam = z.string().min(1).max(200);
