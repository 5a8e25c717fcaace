import { readClaim, reviseClaim } from "@/lib/claims";
import { endpoint, json } from "@/lib/http";
import { claimPatch, timeQuery } from "@/lib/validation";
import { claimParams } from "./params";

export const GET = endpoint({ summary: "A claim: status, relay chain, links, revisions", params: claimParams, query: timeQuery }, async ({ params, query }) =>
  json(await readClaim(params.id, query)),
);

export const PATCH = endpoint({ summary: "Edit a claim (a new revision)", auth: "write", params: claimParams, body: claimPatch }, async ({ db, actor, params, body }) =>
  json(await reviseClaim(db, actor, params.id, body)),
);
