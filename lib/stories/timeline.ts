import type { ClaimOutline, ClaimView, Graph, LinkView, SourceEdit } from "@/lib/claims/graph";
import { timeOf } from "@/lib/time";
import type { StoryView } from "./account";

export type TimelineEvent<C extends ClaimOutline = ClaimView> =
  | { type: "claim"; at: Date; loggedAt: Date; claim: C }
  | {
      type: "link";
      at: Date;
      loggedAt: Date;
      link: LinkView;
      from: C;
      to: C;
      /** The claim the target relays, when it relays one: "its relay of The Wrap". */
      toRelays: C | null;
    }
  /** A silent edit: the source of a claim removed or reworded what it quotes, seen at `at`. */
  | { type: "source-edit"; at: Date; loggedAt: Date; claim: C; edit: SourceEdit };

const ORDER: Record<TimelineEvent["type"], number> = { claim: 0, link: 1, "source-edit": 2 };

/** Dated events of a story, oldest first, each with both clocks: when it happened and when it was logged. */
export function timelineOf<C extends ClaimOutline>(view: StoryView<C>, graph: Pick<Graph<C>, "claims">): TimelineEvent<C>[] {
  const events: TimelineEvent<C>[] = view.claims.map((claim) => ({ type: "claim", at: claim.assertedAt, loggedAt: claim.createdAt, claim }));
  for (const link of view.links) {
    const from = graph.claims.get(link.fromClaimId);
    const to = graph.claims.get(link.toClaimId);
    if (!from || !to) continue;
    const toRelays = to.relaysClaimId == null ? null : (graph.claims.get(to.relaysClaimId) ?? null);
    events.push({ type: "link", at: link.effectiveAt, loggedAt: link.createdAt, link, from, to, toRelays });
  }
  // The claims' edits came with them, filtered by the view's clock already.
  for (const claim of view.claims) for (const edit of claim.sourceEdits) events.push({ type: "source-edit", at: edit.seenAt, loggedAt: edit.recordedAt, claim, edit });
  // Sorted by keys read once per event: a large story's sort compares tens of thousands of pairs.
  const keyed = events.map((event) => ({ at: timeOf(event.at), order: ORDER[event.type], event }));
  keyed.sort((a, b) => a.at - b.at || a.order - b.order);
  return keyed.map((k) => k.event);
}
