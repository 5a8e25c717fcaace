import { reviseClaim } from "@/lib/claims";
import { json, readBody, readParam, readQuery, requireWriter, route } from "@/lib/http";
import { clockFrom, getClaimDetail } from "@/lib/read";
import { claimPatch, id, timeQuery } from "@/lib/validation";

export const GET = route(async (req, { params, db }) =>
  json(await getClaimDetail(db, readParam(params.id, id, "The claim"), clockFrom(readQuery(req, timeQuery)))),
);

export const PATCH = route(async (req, { params, db }) => {
  const claimId = readParam(params.id, id, "The claim");
  const input = await readBody(req, claimPatch);
  const { actor } = await requireWriter(req, db);
  return json(await reviseClaim(db, actor, claimId, input));
});
