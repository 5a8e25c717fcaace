import { json, readQuery, route } from "@/lib/http";
import { timeQuery } from "@/lib/validation";
import { readTimeline } from "@/lib/views";

export const GET = route(async (req, { params }) => json(await readTimeline(params.slug!, readQuery(req, timeQuery))));
