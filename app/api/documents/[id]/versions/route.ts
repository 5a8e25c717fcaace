import { addVersion } from "@/lib/documents";
import { endpoint, json } from "@/lib/http";
import { versionInput } from "@/lib/validation";
import { documentParams } from "../params";

export const POST = endpoint(
  { summary: "Append a version of the document's text", auth: "write", params: documentParams, body: versionInput, status: 201 },
  async ({ db, actor, params, body }) => json(await addVersion(db, actor, params.id, body), 201),
);
