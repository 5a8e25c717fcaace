import type { LinkKind } from "@/db/schema";
import type { Clock } from "@/lib/clock";
import { timeOf } from "@/lib/time";

export type Status = "standing" | "confirmed" | "disputed" | "corrected" | "retracted";

export type ClaimTimes = { id: number; assertedAt: Date; createdAt: Date; relaysClaimId: number | null; questionId: number | null };
export type Edge = {
  id: number;
  kind: LinkKind;
  fromClaimId: number;
  toClaimId: number;
  effectiveAt: Date;
  createdAt: Date;
  fromAssertedAt: Date;
  fromCreatedAt: Date;
  toAssertedAt: Date;
  toCreatedAt: Date;
  note: string | null;
};

/**
 * A link with the dates of its two ends, which decide from when it is in force. Spelled out field
 * by field: a spread of the link made objects whose fields V8 read several times slower, and a
 * large story reads them for each of its thousands of links several times per load.
 */
export const edgeBetween = (
  link: Omit<Edge, "fromAssertedAt" | "fromCreatedAt" | "toAssertedAt" | "toCreatedAt">,
  from: { assertedAt: Date; createdAt: Date },
  to: { assertedAt: Date; createdAt: Date },
): Edge => ({
  id: link.id,
  kind: link.kind,
  fromClaimId: link.fromClaimId,
  toClaimId: link.toClaimId,
  effectiveAt: link.effectiveAt,
  createdAt: link.createdAt,
  note: link.note,
  fromAssertedAt: from.assertedAt,
  fromCreatedAt: from.createdAt,
  toAssertedAt: to.assertedAt,
  toCreatedAt: to.createdAt,
});

export type StatusInfo = {
  status: Status;
  /** The links that gave the status, newest first. */
  causes: Edge[];
  /** Set when a claim up the relay chain fell: readers of the relay must learn of it. */
  relayOf: { claimId: number; status: Status } | null;
};

// Whether something published at `at` and logged at `logged` is in view at the clock. It runs for
// every claim and link of a story, several times per view: comparing the dates' numbers is many
// times faster than comparing the Date objects themselves.
const inView = (at: Date, logged: Date, clock: Clock) => timeOf(at) <= timeOf(clock.asOf) && timeOf(logged) <= timeOf(clock.knownAt);

export const isVisible = (c: { assertedAt: Date; createdAt: Date }, clock: Clock) => inView(c.assertedAt, c.createdAt, clock);

/** A link is in force once it takes effect and both its ends are out, as far as was known then. */
export const isEdgeVisible = (e: Edge, clock: Clock) =>
  inView(e.effectiveAt, e.createdAt, clock) && inView(e.fromAssertedAt, e.fromCreatedAt, clock) && inView(e.toAssertedAt, e.toCreatedAt, clock);

const newestFirst = (a: Edge, b: Edge) => timeOf(b.effectiveAt) - timeOf(a.effectiveAt) || b.id - a.id;

// Most claims have no link into them: they share one answer rather than each allocating its own.
const STANDING: StatusInfo = Object.freeze({ status: "standing", causes: Object.freeze([]) as unknown as Edge[], relayOf: null });

/**
 * Derives every claim's status at the clock from the links in force then. `edges` must hold every
 * link into the claims asked about and into the claims that contradict them.
 */
export function deriveStatuses(claims: Iterable<ClaimTimes>, edges: Edge[], clock: Clock): Map<number, StatusInfo> {
  // Each claim's incoming links in force, by what they do to it, newest first.
  type Incoming = { retracts: Edge[]; corrects: Edge[]; contradicts: Edge[]; confirms: Edge[] };
  const incoming = new Map<number, Incoming>();
  for (const e of edges) {
    if (!isEdgeVisible(e, clock)) continue;
    let into = incoming.get(e.toClaimId);
    if (!into) incoming.set(e.toClaimId, (into = { retracts: [], corrects: [], contradicts: [], confirms: [] }));
    into[e.kind === "supersedes" ? "corrects" : e.kind].push(e);
  }
  for (const into of incoming.values()) for (const list of Object.values(into)) list.sort(newestFirst);
  // Retraction and correction depend on a claim's own incoming links only, so they come first.
  const fallen = (id: number) => {
    const into = incoming.get(id);
    return into !== undefined && (into.retracts.length > 0 || into.corrects.length > 0);
  };

  const result = new Map<number, StatusInfo>();
  const byId = new Map<number, ClaimTimes>();
  for (const claim of claims) {
    byId.set(claim.id, claim);
    const into = incoming.get(claim.id);
    if (!into) {
      result.set(claim.id, STANDING);
      continue;
    }
    const contradicts = into.contradicts.filter((e) => !fallen(e.fromClaimId));
    const [status, causes]: [Status, Edge[]] = into.retracts.length
      ? ["retracted", into.retracts]
      : into.corrects.length
        ? ["corrected", into.corrects]
        : contradicts.length
          ? ["disputed", contradicts]
          : into.confirms.length
            ? ["confirmed", into.confirms]
            : ["standing", []];
    result.set(claim.id, { status, causes, relayOf: null });
  }
  for (const [id, info] of result) {
    const first = byId.get(id)?.relaysClaimId;
    if (first == null) continue;
    const seen = new Set([id]);
    for (let next: number | null | undefined = first; next != null && !seen.has(next); next = byId.get(next)?.relaysClaimId) {
      seen.add(next);
      const origin = byId.get(next);
      if (!origin || !isVisible(origin, clock)) break;
      const status = result.get(next)?.status;
      if (status === "corrected" || status === "retracted" || status === "disputed") {
        result.set(id, { ...info, relayOf: { claimId: next, status } });
        break;
      }
    }
  }
  return result;
}

const rank: Record<Status, number> = { confirmed: 0, standing: 1, disputed: 2, corrected: 3, retracted: 4 };

export type Answerable = { id: number; assertedAt: Date; status: Status };

/** Claims that still answer a question, best first: confirmed, standing, disputed; newest first among equals. */
export function rankAnswers<T extends Answerable>(candidates: T[]): T[] {
  return candidates
    .filter((c) => c.status !== "corrected" && c.status !== "retracted")
    .sort((a, b) => rank[a.status] - rank[b.status] || timeOf(b.assertedAt) - timeOf(a.assertedAt) || b.id - a.id);
}

/** A question is contested when two claims that still stand contradict each other. */
export function isContested(remainingIds: Set<number>, edges: Edge[], clock: Clock): boolean {
  return edges.some((e) => e.kind === "contradicts" && isEdgeVisible(e, clock) && remainingIds.has(e.fromClaimId) && remainingIds.has(e.toClaimId));
}
