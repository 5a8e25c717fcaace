import { createDocument } from "@/lib/documents";
import { json, readBody, requireWriter, route } from "@/lib/http";
import { documentInput } from "@/lib/validation";

export const POST = route(async (req, { db }) => {
  const input = await readBody(req, documentInput);
  const { actor } = await requireWriter(req, db);
  const { document, created } = await createDocument(db, actor, input);
  return json(document, created ? 201 : 200);
});
