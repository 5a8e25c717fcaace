import { endpoint, json } from "@/lib/http";
import { watchInput } from "@/lib/validation";
import { watchDocument, watchView } from "@/lib/watch";
import { documentParams } from "../params";

export const POST = endpoint(
  { summary: "Watch the document's address (enabled: true), or pause watching it; everyMinutes fixes the interval", auth: "write", params: documentParams, body: watchInput },
  async ({ db, actor, params, body }) => json({ watch: watchView(await watchDocument(db, actor, params.id, body)) }),
);
