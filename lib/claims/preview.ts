import type { Executor } from "@/db";
import { clockFrom } from "@/lib/clock";
import { AppError, notFound } from "@/lib/errors";
import { deriveStatuses, edgeBetween } from "@/lib/status";
import type { LinkInput } from "@/lib/validation";
import { diffClaimTexts } from "./diffs";
import { loadGraph } from "./graph";

/** What a link would do before it is saved: the words it changes and the target's new status. */
export async function previewLink(db: Executor, fromClaimId: number, input: LinkInput) {
  if (fromClaimId === input.targetClaimId) throw new AppError("unprocessable", "A claim cannot be linked to itself.", { targetClaimId: ["Pick another claim."] });
  const clock = clockFrom({});
  const graph = await loadGraph(db, { claimIds: [fromClaimId, input.targetClaimId] }, clock);
  const from = graph.claims.get(fromClaimId);
  const target = graph.claims.get(input.targetClaimId);
  if (!from) throw notFound(`Claim ${fromClaimId}`);
  if (!target) throw notFound(`Claim ${input.targetClaimId}`);
  const edge = edgeBetween(
    { id: -1, kind: input.kind, fromClaimId, toClaimId: target.id, effectiveAt: input.effectiveAt ?? from.assertedAt, createdAt: clock.knownAt, note: input.note ?? null },
    from,
    target,
  );
  const after = deriveStatuses(graph.claims.values(), [...graph.edges, edge], clock).get(target.id)!;
  return {
    from: { id: from.id, text: from.text, outlet: from.outlet.name },
    target: { id: target.id, text: target.text, outlet: target.outlet.name },
    before: target.status,
    after: after.status,
    diff: diffClaimTexts(target, from),
  };
}
