import { getDb } from "@/db";
import { memo } from "@/lib/cache";
import { clockFrom, clockKey, type ClockQuery } from "@/lib/clock";
import type { LinkInput } from "@/lib/validation";
import { annotationOf } from "./annotation";
import { citeClaim, referenceOf, type CitationFormat } from "./citation";
import { loadClaimDetail, type ClaimDetail } from "./detail";
import { diffClaims, diffRevisions, relayDrift } from "./diffs";
import { previewLink } from "./preview";

// The claims area: pages and API routes read a claim through these, cached until the next write.
// Writes are re-exported from ./write.

export type { ClaimDetail } from "./detail";
export { ANNOTATION_PROFILE } from "./annotation";
export { CITATION_TYPES, type CitationFormat } from "./citation";
export { diffClaimTexts, type TextPairDiff } from "./diffs";
export type { ClaimOutline, ClaimView, LinkView } from "./graph";
export { createClaim, linkClaims, reviseClaim, type ClaimWithRevision } from "./write";

/** A claim at a clock: its status, relay chain, links in and out, and revisions. */
export const readClaim = (id: number, q: ClockQuery = {}): Promise<ClaimDetail> =>
  memo(`claim|${id}|${clockKey(q)}`, async () => loadClaimDetail(await getDb(), id, clockFrom(q)));

/** The older of two claims' words against the newer's: what a correction changed. */
export const readClaimDiff = (id: number, againstId: number) =>
  memo(`claim-diff|${id}|${againstId}`, async () => diffClaims(await getDb(), id, againstId, clockFrom({})));

export const readRevisionDiff = (id: number, fromRevision: number, toRevision: number) =>
  memo(`revision-diff|${id}|${fromRevision}|${toRevision}`, async () => diffRevisions(await getDb(), id, fromRevision, toRevision));

/** A relay's words against its origin's. */
export const readRelayDrift = (id: number, q: ClockQuery = {}) => memo(`drift|${id}|${clockKey(q)}`, async () => relayDrift(await getDb(), id, clockFrom(q)));

/** What a link would do before it is saved; never cached, as it describes a link that does not exist. */
export const readLinkPreview = async (fromClaimId: number, input: LinkInput) => previewLink(await getDb(), fromClaimId, input);

/** The claim's quote as a Web Annotation, with addresses under `origin`. */
export const readAnnotation = (id: number, origin: string, q: ClockQuery = {}) =>
  memo(`annotation|${id}|${origin}|${clockKey(q)}`, async () => annotationOf(await getDb(), await readClaim(id, q), (path) => `${origin}${path}`));

/** The claim as a citation in one format, and as a reference in words, its permalink under `origin`. */
export const readCitation = (id: number, origin: string, format: CitationFormat) =>
  memo(`cite|${id}|${origin}|${format}`, async () => {
    const { claim } = await readClaim(id);
    return citeClaim(claim, `${origin}/claims/${id}`, format);
  });

export const readReference = (id: number, origin: string) =>
  memo(`reference|${id}|${origin}`, async () => referenceOf((await readClaim(id)).claim, `${origin}/claims/${id}`));
