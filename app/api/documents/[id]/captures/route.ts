import { endpoint, json } from "@/lib/http";
import { capturesQuery } from "@/lib/validation";
import { captureNow, captureView, readCaptures } from "@/lib/watch";
import { documentParams } from "../params";

export const GET = endpoint({ summary: "The watcher's captures of the document, newest first, a page at a time", params: documentParams, query: capturesQuery }, async ({ params, query }) =>
  json({ captures: await readCaptures(params.id, query) }),
);

export const POST = endpoint(
  { summary: "Check the document now; answers with the capture once it is done", auth: "write", params: documentParams, status: 201 },
  async ({ db, actor, params }) => json({ capture: captureView(await captureNow(db, actor, params.id)) }, 201),
);
