import { readDocument } from "@/lib/documents";
import { endpoint, json } from "@/lib/http";
import { documentParams } from "./params";

export const GET = endpoint({ summary: "A document with its versions", params: documentParams }, async ({ params }) => json(await readDocument(params.id)));
