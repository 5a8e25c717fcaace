import { ANNOTATION_PROFILE, readAnnotation } from "@/lib/claims";
import { endpoint, json } from "@/lib/http";
import { publicOrigin } from "@/lib/origin";
import { timeQuery } from "@/lib/validation";
import { claimParams } from "../params";

export const GET = endpoint(
  { summary: "A claim's quote as a W3C Web Annotation (TextQuoteSelector on its source version)", params: claimParams, query: timeQuery },
  async ({ req, params, query }) => json(await readAnnotation(params.id, publicOrigin(req.headers, req.url), query), 200, { "Content-Type": ANNOTATION_PROFILE }),
);
