import { Cite, type CslDate, type CslItem } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-csl";
import "@citation-js/plugin-ris";
import { formatDate } from "@/lib/format";
import type { CITATION_FORMATS } from "@/lib/validation";
import type { ClaimView } from "./graph";

// A claim as a reference in the formats reference managers read: the document it appeared in,
// its outlet, its dates, and the claim and its quote with Claimtrail's permalink in the note.
// citation-js does the mapping to each format.

export type CitationFormat = (typeof CITATION_FORMATS)[number];

export const CITATION_TYPES: Record<CitationFormat, { contentType: string; extension: string }> = {
  "csl-json": { contentType: "application/vnd.citationstyles.csl+json; charset=utf-8", extension: "json" },
  bibtex: { contentType: "application/x-bibtex; charset=utf-8", extension: "bib" },
  ris: { contentType: "application/x-research-info-systems; charset=utf-8", extension: "ris" },
};

const dateParts = (d: Date, precision: ClaimView["document"]["precision"]): CslDate => ({
  "date-parts": [precision === "year" ? [d.getUTCFullYear()] : precision === "month" ? [d.getUTCFullYear(), d.getUTCMonth() + 1] : [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]],
});

/** The claim as CSL-JSON: the citable item every other format is made from. */
export function cslOf(claim: ClaimView, permalink: string): CslItem {
  const quote = claim.quote ? `; quoted${claim.speaker ? ` (${claim.speaker})` : ""}: “${claim.quote}”` : "";
  return {
    id: `claimtrail-claim-${claim.id}`,
    type: "article-newspaper",
    title: claim.document.title,
    "container-title": claim.outlet.name,
    publisher: claim.outlet.name,
    ...(claim.document.url && { URL: claim.document.url }),
    issued: dateParts(claim.document.publishedAt, claim.document.precision),
    // Read by the editor who logged the claim on the day it was recorded.
    accessed: dateParts(claim.createdAt, "day"),
    note: `Claim: “${claim.text}”${quote}; recorded in Claimtrail: ${permalink}`,
  };
}

/**
 * RIS from citation-js's record for the item. The item goes in as a web page (RIS `ELEC`): for a
 * newspaper article (`NEWS`) citation-js keeps only the year and drops the access date's tag. The
 * lines are joined here because its text output breaks values longer than 70 characters onto new
 * lines, which RIS readers (citation-js itself included) take as part of the text.
 */
function ris(item: CslItem): string {
  const [record] = new Cite({ ...item, type: "webpage" }).format("ris", { format: "object", spec: "new" });
  const { TY, ...tags } = record!;
  const lines = [`TY  - ${TY}`];
  for (const [tag, value] of Object.entries(tags)) for (const v of [value].flat()) lines.push(`${tag}  - ${String(v).replace(/\s+/g, " ")}`);
  lines.push("ER  - ", "");
  return lines.join("\r\n");
}

/** The claim as a citation in one format. */
export function citeClaim(claim: ClaimView, permalink: string, format: CitationFormat): string {
  const item = cslOf(claim, permalink);
  switch (format) {
    case "csl-json":
      return `${JSON.stringify([item], null, 2)}\n`;
    case "bibtex": {
      // BibTeX has no field for the access date; its styles expect it in the note.
      const accessed = formatDate(claim.createdAt, "day");
      return new Cite({ ...item, note: `${item.note}; accessed ${accessed}` }).format("bibtex");
    }
    case "ris":
      return ris(item);
  }
}

/** A reference in words (APA), for pasting into a text. */
export const referenceOf = (claim: ClaimView, permalink: string): string =>
  new Cite(cslOf(claim, permalink)).format("bibliography", { template: "apa", format: "text", lang: "en-US" }).trim();
