import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { rows, type Executor } from "@/db";
import { documentVersions, quoteChecks, type QuoteCheck } from "@/db/schema";
import { timeOf } from "@/lib/time";
import { enqueueWebhookEvents } from "@/lib/webhooks";
import { findQuote } from "./anchor";

type Quoted = { id: number; revision: number; versionId: number; quote: string; prefix: string | null; suffix: string | null };

/**
 * Looks for each claim's quote (the claims citing `documentId`, or only `claimIds`) in every
 * version of the document newer than the one it is anchored in, and records each look once:
 * present, reworded (changed), found more than once (ambiguous) or removed. A quote keeps its
 * prefix and suffix from its anchor, and a version where it is present becomes its anchor for
 * the next. Returns the checks made now.
 */
export async function checkQuotes(tx: Executor, documentId: number, claimIds?: number[]): Promise<QuoteCheck[]> {
  const quoted = await rows<Record<string, unknown>>(
    tx,
    sql`select c.id, c.revision, c.version_id, r.quote, r.quote_prefix, r.quote_suffix
        from claims c join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
        where c.document_id = ${documentId} and c.version_id is not null and r.quote_verified and r.quote is not null
        ${claimIds ? sql`and c.id = any(${`{${claimIds.join(",")}}`}::int[])` : sql``}`,
  );
  if (!quoted.length) return [];
  const claims: Quoted[] = quoted.map((r) => ({
    id: Number(r.id),
    revision: Number(r.revision),
    versionId: Number(r.version_id),
    quote: String(r.quote),
    prefix: (r.quote_prefix as string | null) ?? null,
    suffix: (r.quote_suffix as string | null) ?? null,
  }));
  const versions = await tx
    .select({ id: documentVersions.id, text: documentVersions.text, seenAt: documentVersions.seenAt })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, documentId))
    .orderBy(asc(documentVersions.seenAt), asc(documentVersions.id));
  const done = await tx
    .select({ claimId: quoteChecks.claimId, revision: quoteChecks.revision, versionId: quoteChecks.versionId, state: quoteChecks.state })
    .from(quoteChecks)
    .where(inArray(quoteChecks.claimId, claims.map((c) => c.id)));
  const checked = new Map(done.map((d) => [`${d.claimId}:${d.revision}:${d.versionId}`, d.state]));

  const made: (typeof quoteChecks.$inferInsert)[] = [];
  // A check is news for subscribers when its state differs from the one before it.
  const news = new Set<string>();
  for (const claim of claims) {
    const from = versions.findIndex((v) => v.id === claim.versionId);
    if (from === -1) continue;
    let anchored = claim.versionId;
    let previous: string = "present";
    for (const version of versions.slice(from + 1)) {
      const key = `${claim.id}:${claim.revision}:${version.id}`;
      const before = checked.get(key);
      if (before) {
        if (before === "present") anchored = version.id;
        previous = before;
        continue;
      }
      const found = findQuote(version.text, claim);
      if (found.state !== previous && found.state !== "present") news.add(key);
      previous = found.state;
      made.push({
        claimId: claim.id,
        revision: claim.revision,
        versionId: version.id,
        anchoredVersionId: anchored,
        state: found.state,
        start: "start" in found ? found.start : null,
        end: "end" in found ? found.end : null,
        found: found.state === "changed" ? found.found : null,
        errors: found.state === "changed" ? found.errors : null,
        seenAt: version.seenAt,
      });
      if (found.state === "present") anchored = version.id;
    }
  }
  if (!made.length) return [];
  const recorded = await tx.insert(quoteChecks).values(made).onConflictDoNothing().returning();
  await enqueueWebhookEvents(
    tx,
    recorded
      .filter((c) => news.has(`${c.claimId}:${c.revision}:${c.versionId}`))
      .map((c) => ({
        id: `urn:claimtrail:quote:${c.id}`,
        type: "quote",
        claimIds: [c.claimId],
        documentIds: [],
        data: { checkId: c.id, claimId: c.claimId, state: c.state === "ambiguous" ? "changed" : c.state, versionId: c.versionId, found: c.found, seenAt: c.seenAt },
      })),
  );
  return recorded;
}

/** Where a claim's quote stands, as the API tells it. */
export type Anchor = {
  state: "present" | "changed" | "removed" | "unanchored";
  /** The version the quote was last found in as it is. */
  versionId: number | null;
  /** The newest version it was looked for in. */
  checkedVersionId: number | null;
  /** When its source made it so: the seen date of the version where the state began. */
  since: Date | null;
};

type CheckRow = Pick<QuoteCheck, "state" | "versionId" | "anchoredVersionId" | "seenAt">;

/**
 * A claim's anchor from its checks (oldest first) as known at the clock's knownAt: unanchored
 * when the quote was never verified; otherwise the state of the newest check, found twice
 * counting as changed (an editor must say which).
 */
export function anchorOf(claim: { quote: string | null; quoteVerified: boolean; versionId: number | null }, checks: CheckRow[], versionSeenAt: Date | null): Anchor {
  if (!claim.quote || !claim.quoteVerified || claim.versionId === null) return { state: "unanchored", versionId: null, checkedVersionId: null, since: null };
  const latest = checks.at(-1);
  if (!latest) return { state: "present", versionId: claim.versionId, checkedVersionId: claim.versionId, since: versionSeenAt };
  const state = latest.state === "ambiguous" ? "changed" : latest.state;
  let since = latest.seenAt;
  for (let i = checks.length - 1; i >= 0 && (checks[i]!.state === "ambiguous" ? "changed" : checks[i]!.state) === state; i--) since = checks[i]!.seenAt;
  const versionId = state === "present" ? latest.versionId : latest.anchoredVersionId;
  return { state, versionId, checkedVersionId: latest.versionId, since: state === "present" && checks.every((c) => c.state === "present") ? versionSeenAt : since };
}

/** The checks of these claims' current revisions, oldest version first, as recorded by `knownAt`. */
export async function checksOf(db: Executor, claims: { id: number; revision: number }[], knownAt: Date): Promise<Map<number, QuoteCheck[]>> {
  const result = new Map<number, QuoteCheck[]>();
  if (!claims.length) return result;
  const found = await db
    .select({ check: quoteChecks })
    .from(quoteChecks)
    .innerJoin(documentVersions, eq(documentVersions.id, quoteChecks.versionId))
    .where(and(inArray(quoteChecks.claimId, claims.map((c) => c.id)), sql`${quoteChecks.createdAt} <= ${knownAt.toISOString()}::timestamptz`))
    .orderBy(asc(documentVersions.seenAt), asc(documentVersions.id));
  const revisions = new Map(claims.map((c) => [c.id, c.revision]));
  for (const { check } of found) {
    if (revisions.get(check.claimId) !== check.revision) continue;
    result.set(check.claimId, [...(result.get(check.claimId) ?? []), check]);
  }
  return result;
}

/** Whether a check is a silent edit a reader should hear of: the source removed or reworded what the claim quotes. */
export const isSilentEdit = (check: Pick<QuoteCheck, "state">) => check.state === "changed" || check.state === "removed";

export const sortBySeen = (a: { seenAt: Date; id: number }, b: { seenAt: Date; id: number }) => timeOf(a.seenAt) - timeOf(b.seenAt) || a.id - b.id;
