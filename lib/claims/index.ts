import { getDb } from "@/db";
import { memo } from "@/lib/cache";
import { clockFrom, clockKey, type ClockQuery } from "@/lib/clock";
import type { LinkInput } from "@/lib/validation";
import { loadClaimDetail, type ClaimDetail } from "./detail";
import { diffClaims, diffRevisions, relayDrift } from "./diffs";
import { previewLink } from "./preview";

// The claims area: pages and API routes read a claim through these, cached until the next write.
// Writes are re-exported from ./write.

export type { ClaimDetail } from "./detail";
export { diffClaimTexts, type TextPairDiff } from "./diffs";
export type { ClaimView, LinkView } from "./graph";
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
