import { readClaimDiff, readRevisionDiff } from "@/lib/claims";
import { AppError } from "@/lib/errors";
import { endpoint, json } from "@/lib/http";
import { claimDiffQuery } from "@/lib/validation";
import { claimParams } from "../params";

export const GET = endpoint({ summary: "Diff against another claim, or between two revisions", params: claimParams, query: claimDiffQuery }, async ({ params, query }) => {
  if (query.against !== undefined) return json(await readClaimDiff(params.id, query.against));
  if (query.fromRevision !== undefined && query.toRevision !== undefined) return json(await readRevisionDiff(params.id, query.fromRevision, query.toRevision));
  throw new AppError("bad_request", "Give ?against=<claimId>, or both ?fromRevision= and ?toRevision=.");
});
