import { sql } from "drizzle-orm";
import { intArray, rows, type Executor } from "@/db";
import { loadGraph, relaysOf, type ClaimView } from "@/lib/claims/graph";
import type { Clock } from "@/lib/clock";
import { isVisible } from "@/lib/status";
import { matchClaims, REPEAT_AT } from "./similar";

/** One appearance of a claim: the claim that made it, where and when, and how it is known to be the same. */
export type Appearance = {
  claimId: number;
  text: string;
  story: string;
  outlet: { slug: string; name: string };
  document: { id: number; title: string; url: string | null; publishedAt: Date };
  assertedAt: Date;
  /** `self`: the claim itself; `relay`: on its relay chain, or relaying one of the family; `match`: worded alike, not marked. */
  via: "self" | "relay" | "match";
  /** The match score, for a claim found by its wording. */
  score: number | null;
};

/** How far a claim went: the first repeat by each other outlet, oldest first. */
export type Spread = {
  outlets: number;
  /** Whole days from the first appearance to the last outlet's first repeat; null with no repeat. */
  days: number | null;
  repeats: Appearance[];
};

export type ClaimAppearances = { firstAppearance: Appearance; spread: Spread };

const MATCHES = 50;
const DAY = 86_400_000;

/** Pairs of claims, as "older-newer" keys, that must not count as repeats: an editor dismissed them, or linked them as anything but a confirmation. */
export async function unrelatedPairs(db: Executor, ids: number[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await rows<{ a: number; b: number }>(
    db,
    sql`select earlier_claim_id as a, later_claim_id as b from match_dismissals
          where earlier_claim_id = any(${intArray(ids)}) or later_claim_id = any(${intArray(ids)})
        union
        select from_claim_id, to_claim_id from links
          where kind <> 'confirms' and (from_claim_id = any(${intArray(ids)}) or to_claim_id = any(${intArray(ids)}))`,
  );
  return new Set(found.map((r) => pairKey(Number(r.a), Number(r.b))));
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** Claims in the order they were made: by date asserted, then by id. */
export const byTime = (a: Pick<ClaimView, "id" | "assertedAt">, b: Pick<ClaimView, "id" | "assertedAt">) => a.assertedAt.getTime() - b.assertedAt.getTime() || a.id - b.id;

type Family = { core: ClaimView[]; members: ClaimView[]; scores: Map<number, number>; rootOf: (c: ClaimView) => ClaimView };

/**
 * A claim's family at the clock, oldest first: the claims on its relay tree (its core), and the
 * relay trees of the claims worded like it (score at least REPEAT_AT), unless one of those was
 * dismissed as a repeat of a core claim or is linked to one as anything but a confirmation (a
 * denial reads much like what it denies).
 */
async function familyOf(db: Executor, seed: ClaimView, clock: Clock, also: number): Promise<Family> {
  const matches = await matchClaims(db, seed.text, { limit: MATCHES, threshold: REPEAT_AT, exclude: [seed.id] });
  const graph = await loadGraph(db, { claimIds: [...new Set([also, ...(await relaysOf(db, [seed.id, ...matches.map((m) => m.claimId)]))])] }, clock);
  const rootOf = (c: ClaimView): ClaimView => {
    const seen = new Set<number>();
    let at = c;
    while (at.relaysClaimId != null && !seen.has(at.id)) {
      seen.add(at.id);
      const next = graph.claims.get(at.relaysClaimId);
      if (!next) break;
      at = next;
    }
    return at;
  };
  const all = [...graph.claims.values()];
  const seedRoot = rootOf(graph.claims.get(seed.id) ?? seed).id;
  const core = all.filter((c) => rootOf(c).id === seedRoot);
  const unrelated = await unrelatedPairs(db, core.map((c) => c.id));
  const scores = new Map<number, number>();
  const roots = new Set([seedRoot]);
  for (const m of matches) {
    const match = graph.claims.get(m.claimId);
    if (!match || core.some((c) => unrelated.has(pairKey(c.id, m.claimId)))) continue;
    scores.set(m.claimId, m.score);
    roots.add(rootOf(match).id);
  }
  const members = all.filter((c) => roots.has(rootOf(c).id) && isVisible(c, clock)).sort(byTime);
  return { core, members, scores, rootOf };
}

/**
 * Where a claim was first made and how far it went, at the clock. The first appearance is the
 * earliest claim in view in the family of its relay chain's origin. The spread is taken from the
 * first appearance's own family, so every claim that shares a first appearance tells the same
 * story of it, with the claim's own relay tree added: every other outlet's first claim in either.
 */
export async function appearancesOf(db: Executor, claim: ClaimView, relayChain: ClaimView[], clock: Clock): Promise<ClaimAppearances> {
  const origin = relayChain.at(-1) ?? claim;
  const near = await familyOf(db, origin, clock, claim.id);
  const first = near.members[0] ?? claim;
  const far = first.id === origin.id ? near : await familyOf(db, first, clock, claim.id);
  // How each one came to say it: by relay from the root it is measured against, or in like words.
  const appearance = (c: ClaimView, family: Family, root: number): Appearance => ({
    claimId: c.id,
    text: c.text,
    story: c.storySlug,
    outlet: { slug: c.outlet.slug, name: c.outlet.name },
    document: { id: c.document.id, title: c.document.title, url: c.document.url, publishedAt: c.document.publishedAt },
    assertedAt: c.assertedAt,
    via: c.id === claim.id ? "self" : family.rootOf(c).id === root ? "relay" : "match",
    score: family.scores.get(c.id) ?? near.scores.get(c.id) ?? null,
  });
  const seen = new Map<number, ClaimView>();
  for (const c of [...far.members, ...near.core.filter((c) => isVisible(c, clock) || c.id === claim.id)]) seen.set(c.id, c);
  const byOutlet = new Map<number, ClaimView>();
  // The first appearance's own family may hold claims older than it (likeness is not transitive):
  // those did not repeat it.
  for (const c of [...seen.values()].sort(byTime)) {
    if (byTime(c, first) > 0 && c.outlet.id !== first.outlet.id && !byOutlet.has(c.outlet.id)) byOutlet.set(c.outlet.id, c);
  }
  const repeats = [...byOutlet.values()];
  const last = repeats.at(-1);
  return {
    firstAppearance: appearance(first, near, near.rootOf(claim).id),
    spread: {
      outlets: repeats.length,
      days: last ? Math.max(1, Math.ceil((last.assertedAt.getTime() - first.assertedAt.getTime()) / DAY)) : null,
      repeats: repeats.map((c) => appearance(c, far, far.rootOf(first).id)),
    },
  };
}
