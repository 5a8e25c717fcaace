import { and, eq, sql } from "drizzle-orm";
import { rows, type Executor } from "@/db";
import { claims, matchDismissals, type MatchDismissal } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { loadGraph, type ClaimView } from "@/lib/claims/graph";
import { reviseClaim, type ClaimWithRevision } from "@/lib/claims/write";
import { clockFrom } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { byTime, pairKey, unrelatedPairs } from "./appearance";
import { matchClaims, REPEAT_AT } from "./similar";

/** A claim worded like an earlier claim of another outlet, and not marked as relaying anything. */
export type LikelyRepeat = { later: ClaimView; earlier: ClaimView; score: number };

export type RepeatsPage = {
  repeats: LikelyRepeat[];
  /** How many of the newest claims were looked at. */
  checked: number;
  /** Claims logged before this id are on the next page; null when none are left. */
  olderThan: number | null;
};

/** Claims looked at per page: each costs one match query. */
export const REPEATS_PAGE = 50;

/** Matches read per claim: older claims of other outlets are wanted, so more than the first are asked for. */
const MATCHES = 10;

/**
 * Likely relays not yet marked: among the newest claims without a relay (logged before `olderThan`
 * when given, in one story when given), each one's best match that is older, from another outlet,
 * and neither dismissed nor linked to it.
 */
export async function findLikelyRepeats(db: Executor, options: { olderThan?: number; storyId?: number } = {}): Promise<RepeatsPage> {
  const recent = await rows<{ id: number; text: string }>(
    db,
    sql`select c.id, r.text from claims c join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
        where r.relays_claim_id is null
          ${options.olderThan === undefined ? sql`` : sql`and c.id < ${options.olderThan}`}
          ${options.storyId === undefined ? sql`` : sql`and c.story_id = ${options.storyId}`}
        order by c.id desc limit ${REPEATS_PAGE + 1}`,
  );
  const page = recent.slice(0, REPEATS_PAGE).map((r) => ({ id: Number(r.id), text: String(r.text) }));
  const found = await Promise.all(page.map((c) => matchClaims(db, c.text, { limit: MATCHES, threshold: REPEAT_AT, exclude: [c.id] })));
  const ids = new Set(page.map((c) => c.id));
  for (const matches of found) for (const m of matches) ids.add(m.claimId);
  const [graph, unrelated] = await Promise.all([loadGraph(db, { claimIds: [...ids] }, clockFrom({})), unrelatedPairs(db, page.map((c) => c.id))]);
  const repeats: LikelyRepeat[] = [];
  page.forEach((c, i) => {
    const later = graph.claims.get(c.id);
    if (!later) return;
    for (const m of found[i]!) {
      const earlier = graph.claims.get(m.claimId);
      if (!earlier || byTime(earlier, later) >= 0 || earlier.outlet.id === later.outlet.id || unrelated.has(pairKey(earlier.id, later.id))) continue;
      repeats.push({ later, earlier, score: m.score });
      return;
    }
  });
  return { repeats, checked: page.length, olderThan: recent.length > REPEATS_PAGE ? page.at(-1)!.id : null };
}

/** Both claims, older first; refused unless both exist and differ. */
async function orderedPair(db: Executor, a: number, b: number): Promise<[number, number]> {
  if (a === b) throw new AppError("unprocessable", "A claim cannot repeat itself.", { earlier: ["Pick two different claims."] });
  const found = await db.select({ id: claims.id, assertedAt: claims.assertedAt }).from(claims).where(sql`${claims.id} in (${a}, ${b})`);
  if (found.length < 2) throw new AppError("unprocessable", `Claim ${found[0]?.id === a ? b : a} does not exist.`, { earlier: ["No such claim."] });
  found.sort(byTime);
  return [found[0]!.id, found[1]!.id];
}

/** An editor's "not a repeat": the pair is not offered again. Saying it twice keeps the first. */
export async function dismissRepeat(db: Executor, actor: Actor, a: number, b: number): Promise<MatchDismissal> {
  return db.transaction(async (tx) => {
    const [earlier, later] = await orderedPair(tx, a, b);
    const [made] = await tx.insert(matchDismissals).values({ earlierClaimId: earlier, laterClaimId: later, editorId: actor.editorId }).onConflictDoNothing().returning();
    if (!made) {
      const [kept] = await tx
        .select()
        .from(matchDismissals)
        .where(and(eq(matchDismissals.earlierClaimId, earlier), eq(matchDismissals.laterClaimId, later)));
      return kept!;
    }
    await appendAudit(tx, actor, [{ action: "create", entity: "match_dismissal", entityId: made.id, after: made }]);
    return made;
  });
}

/** An editor's "yes, it relays that one": the later claim's next revision names the earlier as what it relays. */
export async function confirmRepeat(db: Executor, actor: Actor, a: number, b: number, baseRevision: number): Promise<ClaimWithRevision> {
  const [earlier, later] = await orderedPair(db, a, b);
  return reviseClaim(db, actor, later, { relaysClaimId: earlier, baseRevision, reason: `Marked as relaying claim ${earlier}, which it repeats.` });
}
