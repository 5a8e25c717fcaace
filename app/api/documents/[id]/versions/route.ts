import { addVersion } from "@/lib/documents";
import { json, readBody, readParam, requireWriter, route } from "@/lib/http";
import { id, versionInput } from "@/lib/validation";

export const POST = route(async (req, { params, db }) => {
  const documentId = readParam(params.id, id, "The document");
  const input = await readBody(req, versionInput);
  const { actor } = await requireWriter(req, db);
  return json(await addVersion(db, actor, documentId, input), 201);
});
