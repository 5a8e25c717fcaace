import { storyParams } from "@/app/api/stories/[slug]/params";
import { pngResponse, storyCard } from "@/lib/cards";
import { endpoint } from "@/lib/http";

export const GET = endpoint({ summary: "A story's share card (PNG, 1200×630)", params: storyParams }, async ({ params }) => pngResponse(await storyCard(params.slug)));
