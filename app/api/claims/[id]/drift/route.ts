import { readRelayDrift } from "@/lib/claims";
import { endpoint, json } from "@/lib/http";
import { timeQuery } from "@/lib/validation";
import { claimParams } from "../params";

export const GET = endpoint({ summary: "A relay's words against its origin's", params: claimParams, query: timeQuery }, async ({ params, query }) =>
  json(await readRelayDrift(params.id, query)),
);
