import { createOutlet } from "@/lib/outlets";
import { json, readBody, requireWriter, route } from "@/lib/http";
import { outletInput } from "@/lib/validation";

export const POST = route(async (req, { db }) => {
  const input = await readBody(req, outletInput);
  const { actor } = await requireWriter(req, db);
  const { outlet, created } = await createOutlet(db, actor, input);
  return json(outlet, created ? 201 : 200);
});
