import { createClaim } from "@/lib/claims";
import { json, readBody, requireWriter, route } from "@/lib/http";
import { claimInput } from "@/lib/validation";

export const POST = route(async (req, { params, db }) => {
  const input = await readBody(req, claimInput);
  const { actor } = await requireWriter(req, db);
  return json(await createClaim(db, actor, params.slug!, input), 201);
});
