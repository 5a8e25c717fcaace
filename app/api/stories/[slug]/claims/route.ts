import { createClaim } from "@/lib/claims";
import { endpoint, json } from "@/lib/http";
import { claimInput } from "@/lib/validation";
import { storyParams } from "../params";

export const POST = endpoint({ summary: "Log a claim", auth: "write", params: storyParams, body: claimInput, status: 201 }, async ({ db, actor, params, body }) =>
  json(await createClaim(db, actor, params.slug, body), 201),
);
