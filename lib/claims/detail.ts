import { and, asc, eq, lte } from "drizzle-orm";
import type { Executor } from "@/db";
import { claimRevisions, type ClaimRevision } from "@/db/schema";
import type { Clock } from "@/lib/clock";
import { notFound } from "@/lib/errors";
import { appearancesOf, type Appearance, type Spread } from "@/lib/matching/appearance";
import { isEdgeVisible, type Edge } from "@/lib/status";
import { linkViewOf, loadGraph, type ClaimView, type LinkView } from "./graph";
import type { Anchor } from "./quote-checks";

export type ClaimDetail = {
  claim: ClaimView;
  /** Where its quote stands in its source's newest version (also on `claim`). */
  anchor: Anchor;
  /** From the claim's origin's nearest relay up to the origin, the claim itself excluded. */
  relayChain: ClaimView[];
  linksOut: (LinkView & { claim: ClaimView })[];
  linksIn: (LinkView & { claim: ClaimView })[];
  revisions: ClaimRevision[];
  /** The earliest claim it relays or is worded like: itself when it came first. */
  firstAppearance: Appearance;
  /** The other outlets that repeated it, by relay or in like words, with when. */
  spread: Spread;
  clock: Clock;
};

export async function loadClaimDetail(db: Executor, id: number, clock: Clock): Promise<ClaimDetail> {
  const graph = await loadGraph(db, { claimIds: [id] }, clock);
  const claim = graph.claims.get(id);
  if (!claim || claim.createdAt > clock.knownAt) throw notFound(`Claim ${id}`);
  const relayChain: ClaimView[] = [];
  const seen = new Set([id]);
  for (let next = claim.relaysClaimId; next != null && !seen.has(next); next = graph.claims.get(next)?.relaysClaimId ?? null) {
    seen.add(next);
    const origin = graph.claims.get(next);
    if (!origin) break;
    relayChain.push(origin);
  }
  const visible = graph.edges.filter((e) => isEdgeVisible(e, clock));
  const withClaim = (e: Edge, other: number) => ({ ...linkViewOf(e), claim: graph.claims.get(other)! });
  const [revisions, appearances] = await Promise.all([
    db
      .select()
      .from(claimRevisions)
      .where(and(eq(claimRevisions.claimId, id), lte(claimRevisions.createdAt, clock.knownAt)))
      .orderBy(asc(claimRevisions.revision)),
    appearancesOf(db, claim, relayChain, clock),
  ]);
  return {
    claim,
    anchor: claim.anchor,
    relayChain,
    linksOut: visible.filter((e) => e.fromClaimId === id).map((e) => withClaim(e, e.toClaimId)),
    linksIn: visible.filter((e) => e.toClaimId === id).map((e) => withClaim(e, e.fromClaimId)),
    revisions,
    ...appearances,
    clock,
  };
}
