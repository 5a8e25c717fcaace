import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { claimRevisions } from "@/db/schema";
import { diffWords, type DiffOp } from "@/lib/diff/words";
import { AppError, notFound } from "@/lib/errors";
import type { Clock } from "@/lib/clock";
import { loadGraph, type ClaimView } from "./graph";

export type TextPairDiff = { text: DiffOp[]; quote: DiffOp[] };

export const diffClaimTexts = (older: Pick<ClaimView, "text" | "quote">, newer: Pick<ClaimView, "text" | "quote">): TextPairDiff => ({
  text: diffWords(older.text, newer.text),
  quote: diffWords(older.quote ?? "", newer.quote ?? ""),
});

/** The older claim's words against the newer one's: what a correction changed. */
export async function diffClaims(db: Executor, id: number, againstId: number, clock: Clock) {
  const graph = await loadGraph(db, { claimIds: [id, againstId] }, clock);
  const claim = graph.claims.get(id);
  const against = graph.claims.get(againstId);
  if (!claim) throw notFound(`Claim ${id}`);
  if (!against) throw notFound(`Claim ${againstId}`);
  const [older, newer] = against.assertedAt <= claim.assertedAt ? [against, claim] : [claim, against];
  return { from: older, to: newer, diff: diffClaimTexts(older, newer) };
}

export async function diffRevisions(db: Executor, id: number, fromRevision: number, toRevision: number) {
  const load = async (revision: number) => {
    const [row] = await db.select().from(claimRevisions).where(and(eq(claimRevisions.claimId, id), eq(claimRevisions.revision, revision)));
    if (!row) throw notFound(`Revision ${revision} of claim ${id}`);
    return row;
  };
  const [from, to] = await Promise.all([load(fromRevision), load(toRevision)]);
  return { from, to, diff: diffClaimTexts(from, to) };
}

/** A relay against its origin: where the relaying outlet changed the words. */
export async function relayDrift(db: Executor, id: number, clock: Clock) {
  const graph = await loadGraph(db, { claimIds: [id] }, clock);
  const claim = graph.claims.get(id);
  if (!claim) throw notFound(`Claim ${id}`);
  if (claim.relaysClaimId == null) throw new AppError("unprocessable", `Claim ${id} relays no other claim.`);
  let origin = graph.claims.get(claim.relaysClaimId)!;
  const seen = new Set([id]);
  while (origin.relaysClaimId != null && !seen.has(origin.id) && graph.claims.has(origin.relaysClaimId)) {
    seen.add(origin.id);
    origin = graph.claims.get(origin.relaysClaimId)!;
  }
  const parent = graph.claims.get(claim.relaysClaimId)!;
  return { claim, relays: parent, origin, drift: diffClaimTexts(parent, claim) };
}
