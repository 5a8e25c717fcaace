import { createDocument } from "@/lib/documents";
import { endpoint, json } from "@/lib/http";
import { documentInput } from "@/lib/validation";

export const POST = endpoint(
  { summary: "Create a document, or return the one with the same normalised URL (200)", auth: "write", body: documentInput, status: 201 },
  async ({ db, actor, body }) => {
    const { document, created } = await createDocument(db, actor, body);
    return json(document, created ? 201 : 200);
  },
);
