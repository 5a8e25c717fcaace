import { writeBatch } from "@/lib/claims/batch";
import { endpoint, json, ndjson } from "@/lib/http";
import { batchLine, MAX_BATCH_BYTES, MAX_BATCH_LINES } from "@/lib/validation";
import { storyParams } from "../../params";

export const POST = endpoint(
  {
    summary: "Log claims and links in bulk: NDJSON, all or nothing",
    description:
      'One claim or link per line: {"claim": {…}, "ref": "a"} with the fields of a single claim, or {"link": {"from": …, "to": …, "kind": …}}. ' +
      "A number names a stored claim; a string names the claim of an earlier line by its ref (a claim's relaysClaimId, a link's from and to). " +
      "If any line cannot be written, nothing is: the 422 lists every bad line by its number, from 1. " +
      "The answer lists the claims made (line, ref, id) and the links.",
    auth: "write",
    params: storyParams,
    body: ndjson(batchLine, { maxLines: MAX_BATCH_LINES, maxBytes: MAX_BATCH_BYTES }),
    status: 201,
  },
  async ({ db, actor, params, body }) => json(await writeBatch(db, actor, params.slug, body), 201),
);
