import { linkClaims } from "@/lib/claims";
import { json, readBody, readParam, requireWriter, route } from "@/lib/http";
import { id, linkInput } from "@/lib/validation";

export const POST = route(async (req, { params, db }) => {
  const claimId = readParam(params.id, id, "The claim");
  const input = await readBody(req, linkInput);
  const { actor } = await requireWriter(req, db);
  return json(await linkClaims(db, actor, claimId, input), 201);
});
