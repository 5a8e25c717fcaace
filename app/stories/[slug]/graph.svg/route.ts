import { storyParams } from "@/app/api/stories/[slug]/params";
import { endpoint } from "@/lib/http";
import { storyPictureFile } from "@/lib/provenance";
import { timeQuery } from "@/lib/validation";

export const GET = endpoint({ summary: "A story's relays and links as an SVG picture", params: storyParams, query: timeQuery }, async ({ params, query }) =>
  new Response(await storyPictureFile(params.slug, query), { headers: { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-cache" } }),
);
