import { claimParams } from "@/app/api/claims/[id]/params";
import { claimCard, pngResponse } from "@/lib/cards";
import { endpoint } from "@/lib/http";

export const GET = endpoint({ summary: "A claim's share card (PNG, 1200×630)", params: claimParams }, async ({ params }) => pngResponse(await claimCard(params.id)));
