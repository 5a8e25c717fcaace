import { jsonText, readQuery, route } from "@/lib/http";
import { timeQuery } from "@/lib/validation";
import { readStoryJson } from "@/lib/views";

export const GET = route(async (req, { params }) => jsonText(await readStoryJson(params.slug!, readQuery(req, timeQuery))));
