import { z } from "zod";
import { documentKindEnum } from "@/db/schema";
import { cleanText, datedInput, diffLayout, httpUrl, id, instant, MAX_VERSION_CHARS, precision, requiredText, slugParam } from "./common";

// Sources: outlets, their documents, and the versions of a document's text.

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

/** A source as an editor adds it: the document and, when its text is pasted, that text as its first version. */
export const sourceInput = z.strictObject({ document: documentInput, version: versionInput.optional() });

const lines = (v: string) => v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/**
 * The add-source form's flat fields as a source: authors one per line, the outlet by name (or
 * recognised from the URL), and the text's date defaulting to the publication date.
 */
export const sourceForm = z.preprocess(
  (raw) => {
    const f = (raw ?? {}) as Record<string, string | undefined>;
    const given = (name: string) => (f[name] !== undefined && f[name]!.trim() !== "" ? f[name] : undefined);
    const document = {
      url: given("url"),
      title: f.title ?? "",
      publishedAt: f.publishedAt ?? "",
      precision: given("precision"),
      kind: given("kind"),
      authors: given("authors") && lines(f.authors!),
      outlet: given("outletName") && { name: f.outletName, homepage: given("outletHomepage") },
    };
    const version = given("text") && { text: f.text, seenAt: given("seenAt") ?? f.publishedAt ?? "", note: given("note") };
    return { story: f._story ?? "", source: { document, version } };
  },
  z.object({ story: z.string(), source: sourceInput }),
);

export const versionForm = versionInput.extend({ _document: id });

export const versionDiffQuery = z.object({ from: id, to: id });

export const documentPageQuery = z.object({ layout: diffLayout.optional() });

export type OutletInput = z.infer<typeof outletInput>;
export type DocumentInput = z.infer<typeof documentInput>;
export type VersionInput = z.infer<typeof versionInput>;
export type SourceInput = z.infer<typeof sourceInput>;

/** The form field a source error belongs to: its path below the document or the version ("title", "outlet.name"). */
export const sourceFormField = (path: PropertyKey[]): string => path.slice(path[0] === "source" ? 2 : 0).map(String).join(".");

/** Watching a document: on or off, and optionally a fixed interval instead of the cadence of its age. */
export const watchInput = z.strictObject({
  enabled: z.boolean({ error: "enabled is true or false." }),
  everyMinutes: z.number().int("A whole number of minutes.").min(5, "At least every 5 minutes.").max(525_600, "At most once a year.").nullable().optional(),
});

/** Watching an outlet's RSS or Atom feed, whose new articles become documents. */
export const feedWatchInput = z.strictObject({ feedUrl: httpUrl });

export const capturesQuery = z.object({
  before: id.optional().describe("Captures older than this one (the last id of the previous page)"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("How many, newest first (default 50, at most 200)"),
});

/** The editor's watch form: on or off, and minutes when fixed. */
export const watchForm = z.strictObject({
  _document: id,
  enabled: z.enum(["0", "1"]).transform((v) => v === "1"),
  everyMinutes: z.coerce.number().int("A whole number of minutes.").min(5, "At least every 5 minutes.").max(525_600, "At most once a year.").optional(),
});

export const feedWatchForm = z.strictObject({ outlet: slugParam, feedUrl: httpUrl });

export type WatchInput = z.infer<typeof watchInput>;
