import { sql } from "drizzle-orm";
import { rows, type Executor } from "@/db";
import { statusEvents, type Link, type StatusEvent } from "@/db/schema";
import { statusLabel } from "@/lib/format";
import { linkVerb } from "@/lib/links";
import { deriveStatuses, type StatusInfo } from "@/lib/status";
import { enqueueWebhookEvents } from "@/lib/webhooks";
import { loadGraph, relaysOf } from "./graph";

/**
 * The claims a new link can change the status of: its target, the claims the target contradicts
 * (a fallen claim no longer disputes them), and every claim relaying any of those, to any depth
 * and in any story.
 */
async function reach(tx: Executor, targetId: number): Promise<number[]> {
  const found = await rows<{ id: number }>(
    tx,
    sql`with recursive seeds(id) as (
          select ${targetId}::int
          union select l.to_claim_id from links l where l.from_claim_id = ${targetId} and l.kind = 'contradicts'
        ), down(id) as (
          select id from seeds
          union
          select c.id from claims c join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
          join down on r.relays_claim_id = down.id
        )
        select distinct id from down`,
  );
  // The target first, then the rest in the order they were logged.
  const rest = found.map((r) => Number(r.id)).filter((id) => id !== targetId);
  return [targetId, ...rest.sort((a, b) => a - b)];
}

// Later than any date a claim or link can carry, and still a date PostgreSQL reads.
const END_OF_TIME = new Date("9999-12-31T23:59:59Z");

/** A claim's standing in one phrase: its status, and the fall of a claim it relays if one fell ("standing; relays a disputed claim"). */
export const standingOf = (info: Pick<StatusInfo, "status" | "relayOf">): string => (info.relayOf ? `${info.status}; relays a ${info.relayOf.status} claim` : info.status);

/**
 * Records, for each claim whose derived status the new link changes, one status event: before
 * and after, and why. Before is the same graph without this link, so links made together (an
 * import, the demo story) each get their own effect. `later` names links written in the same
 * statement after this one (a batch's): they are left out of both sides, so each link of a batch
 * has the effect it would have had written alone, in turn.
 */
export async function recordStatusChanges(tx: Executor, link: Link, later: ReadonlySet<number> = new Set()): Promise<StatusEvent[]> {
  const ids = await reach(tx, link.toClaimId);
  // Everything this transaction sees, whenever published: the standing once the link is in force.
  // (Its own created_at, read back to the millisecond, would fall before rows written with it.)
  const clock = { asOf: END_OF_TIME, knownAt: END_OF_TIME };
  const graph = await loadGraph(tx, { claimIds: [...new Set([...ids, link.fromClaimId])] }, clock);
  const inForce = later.size ? graph.edges.filter((e) => !later.has(e.id)) : graph.edges;
  const after = later.size ? deriveStatuses(graph.claims.values(), inForce, clock) : null;
  const before = deriveStatuses(graph.claims.values(), inForce.filter((e) => e.id !== link.id), clock);
  const statusOf = (id: number): StatusInfo | undefined => after?.get(id) ?? graph.claims.get(id);
  const from = graph.claims.get(link.fromClaimId);
  const changes: (typeof statusEvents.$inferInsert)[] = [];
  for (const id of ids) {
    const claim = statusOf(id);
    const was = before.get(id);
    if (!claim || !was) continue;
    const fellNow = claim.relayOf?.status ?? null;
    if (standingOf(claim) === standingOf(was)) continue;
    const origin = claim.relayOf ? graph.claims.get(claim.relayOf.claimId) : undefined;
    const reason =
      id === link.toClaimId
        ? `${from?.outlet.name ?? "Another claim"} ${linkVerb[link.kind]} it`
        : claim.status !== was.status
          ? `a claim contradicting it was ${statusLabel[statusOf(link.toClaimId)?.status ?? "corrected"].toLowerCase()}`
          : origin && fellNow
            ? `it relays ${origin.outlet.name}, whose claim is now ${statusLabel[fellNow].toLowerCase()}`
            : "the claim it relays is no longer in question";
    changes.push({
      claimId: id,
      before: standingOf(was),
      after: standingOf(claim),
      reason,
      linkId: link.id,
      effectiveAt: link.effectiveAt,
    });
  }
  return saveStatusEvents(tx, changes);
}

/** Status events as rows, each told to the webhooks subscribed to its claim. */
async function saveStatusEvents(tx: Executor, changes: (typeof statusEvents.$inferInsert)[]): Promise<StatusEvent[]> {
  if (!changes.length) return [];
  const made = await tx.insert(statusEvents).values(changes).returning();
  await enqueueWebhookEvents(
    tx,
    made.map((e) => ({
      id: `urn:claimtrail:status:${e.id}`,
      type: "status",
      claimIds: [e.claimId],
      documentIds: [],
      data: { statusEventId: e.id, claimId: e.claimId, before: e.before, after: e.after, reason: e.reason, linkId: e.linkId, effectiveAt: e.effectiveAt },
    })),
  );
  return made;
}

/** The standing of a claim and of every claim relaying it, to any depth, as this transaction sees them. */
export async function standingsBelow(tx: Executor, claimId: number): Promise<Map<number, string>> {
  const clock = { asOf: END_OF_TIME, knownAt: END_OF_TIME };
  const graph = await loadGraph(tx, { claimIds: await relaysOf(tx, [claimId]) }, clock);
  return new Map([...graph.claims.values()].map((c) => [c.id, standingOf(c)]));
}

/**
 * After a claim was marked as relaying another: one status event for each claim whose standing
 * that changed (the claim and its own relays), against `before`, read before the change.
 */
export async function recordRelayChange(tx: Executor, claimId: number, before: Map<number, string>, effectiveAt: Date): Promise<StatusEvent[]> {
  const clock = { asOf: END_OF_TIME, knownAt: END_OF_TIME };
  const graph = await loadGraph(tx, { claimIds: [...before.keys()] }, clock);
  const claim = graph.claims.get(claimId);
  const origin = claim?.relaysClaimId == null ? undefined : graph.claims.get(claim.relaysClaimId);
  const changes: (typeof statusEvents.$inferInsert)[] = [];
  for (const [id, was] of before) {
    const now = graph.claims.get(id);
    if (!now || standingOf(now) === was) continue;
    const fell = now.relayOf?.status;
    changes.push({
      claimId: id,
      before: was,
      after: standingOf(now),
      reason: fell
        ? `it ${id === claimId ? "was marked as relaying" : "relays a claim now marked as relaying"} ${origin?.outlet.name ?? "another outlet"}, whose claim is ${statusLabel[fell].toLowerCase()}`
        : "the claim it now relays is not in question",
      linkId: null,
      effectiveAt,
    });
  }
  return saveStatusEvents(tx, changes);
}
