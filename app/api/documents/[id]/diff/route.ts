import { z } from "zod";
import { diffDocumentVersions } from "@/lib/documents";
import { json, readParam, readQuery, route } from "@/lib/http";
import { id } from "@/lib/validation";

const query = z.object({ from: id, to: id });

export const GET = route(async (req, { params, db }) => {
  const documentId = readParam(params.id, id, "The document");
  const { from, to } = readQuery(req, query);
  const { from: a, to: b, ops } = await diffDocumentVersions(db, documentId, from, to);
  return json({ from: { id: a.id, seenAt: a.seenAt, note: a.note }, to: { id: b.id, seenAt: b.seenAt, note: b.note }, ops });
});
