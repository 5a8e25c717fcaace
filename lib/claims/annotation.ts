import { inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { documentVersions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { statusLabel, statusMeaning } from "@/lib/format";
import type { ClaimDetail } from "./detail";

// A claim's quote as a W3C Web Annotation: the claim describes a passage of one stored version of
// its source, selected by its exact words with what comes before and after them.

export const ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";
export const ANNOTATION_PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';

/** The version a claim's quote was last found in as it is, else the version it was logged from, with when it was seen. */
async function anchoredVersion(db: Executor, detail: ClaimDetail) {
  const id = detail.anchor.versionId ?? detail.claim.versionId;
  if (id == null) return null;
  const [version] = await db.select({ id: documentVersions.id, seenAt: documentVersions.seenAt }).from(documentVersions).where(inArray(documentVersions.id, [id]));
  return version ?? null;
}

export async function annotationOf(db: Executor, detail: ClaimDetail, absolute: (path: string) => string) {
  const { claim } = detail;
  if (!claim.quote) throw new AppError("not_found", `Claim ${claim.id} quotes no passage, so there is nothing to annotate.`);
  const version = await anchoredVersion(db, detail);
  const documentPage = absolute(`/documents/${claim.document.id}`);
  return {
    "@context": ANNOTATION_CONTEXT,
    id: absolute(`/api/claims/${claim.id}/annotation`),
    type: "Annotation",
    motivation: "describing",
    created: claim.createdAt.toISOString(),
    creator: { type: "Software", name: "Claimtrail", homepage: absolute("/") },
    body: [
      { type: "TextualBody", purpose: "describing", format: "text/plain", value: claim.text },
      { type: "TextualBody", purpose: "assessing", format: "text/plain", value: `${statusLabel[claim.status]}: ${statusMeaning[claim.status]}` },
      { type: "SpecificResource", purpose: "linking", source: absolute(`/claims/${claim.id}`) },
    ],
    target: {
      type: "SpecificResource",
      source: claim.document.url ?? documentPage,
      ...(version && {
        state: { type: "TimeState", sourceDate: version.seenAt.toISOString(), cached: `${documentPage}#version-${version.id}` },
      }),
      selector: {
        type: "TextQuoteSelector",
        exact: claim.quote,
        ...(claim.quotePrefix && { prefix: claim.quotePrefix }),
        ...(claim.quoteSuffix && { suffix: claim.quoteSuffix }),
      },
    },
  };
}
