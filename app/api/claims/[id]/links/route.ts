import { linkClaims } from "@/lib/claims";
import { endpoint, json } from "@/lib/http";
import { linkInput } from "@/lib/validation";
import { claimParams } from "../params";

export const POST = endpoint(
  { summary: "Link this (newer) claim to an older one", auth: "write", params: claimParams, body: linkInput, status: 201 },
  async ({ db, actor, params, body }) => json(await linkClaims(db, actor, params.id, body), 201),
);
