import { getDocument } from "@/lib/documents";
import { json, readParam, route } from "@/lib/http";
import { id } from "@/lib/validation";

export const GET = route(async (_req, { params, db }) => json(await getDocument(db, readParam(params.id, id, "The document"))));
