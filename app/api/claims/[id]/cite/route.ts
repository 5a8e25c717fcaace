import { CITATION_TYPES, readCitation } from "@/lib/claims";
import { endpoint } from "@/lib/http";
import { publicOrigin } from "@/lib/origin";
import { citeQuery } from "@/lib/validation";
import { claimParams } from "../params";

export const GET = endpoint({ summary: "A claim as a citation: CSL-JSON, BibTeX or RIS", params: claimParams, query: citeQuery }, async ({ req, params, query }) => {
  const { contentType, extension } = CITATION_TYPES[query.format];
  return new Response(await readCitation(params.id, publicOrigin(req.headers, req.url), query.format), {
    headers: { "Content-Type": contentType, "Content-Disposition": `inline; filename="claim-${params.id}.${extension}"` },
  });
});
