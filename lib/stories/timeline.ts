import type { ClaimView, Graph, LinkView } from "@/lib/claims/graph";
import { timeOf } from "@/lib/time";
import type { StoryView } from "./account";

export type TimelineEvent =
  | { type: "claim"; at: Date; loggedAt: Date; claim: ClaimView }
  | {
      type: "link";
      at: Date;
      loggedAt: Date;
      link: LinkView;
      from: ClaimView;
      to: ClaimView;
      /** The claim the target relays, when it relays one: "its relay of The Wrap". */
      toRelays: ClaimView | null;
    };

/** Dated events of a story, oldest first, each with both clocks: when it happened and when it was logged. */
export function timelineOf(view: StoryView, graph: Pick<Graph, "claims">): TimelineEvent[] {
  const events: TimelineEvent[] = view.claims.map((claim) => ({ type: "claim", at: claim.assertedAt, loggedAt: claim.createdAt, claim }));
  for (const link of view.links) {
    const from = graph.claims.get(link.fromClaimId);
    const to = graph.claims.get(link.toClaimId);
    if (!from || !to) continue;
    const toRelays = to.relaysClaimId == null ? null : (graph.claims.get(to.relaysClaimId) ?? null);
    events.push({ type: "link", at: link.effectiveAt, loggedAt: link.createdAt, link, from, to, toRelays });
  }
  return events.sort((a, b) => timeOf(a.at) - timeOf(b.at) || (a.type === b.type ? 0 : a.type === "claim" ? -1 : 1));
}
