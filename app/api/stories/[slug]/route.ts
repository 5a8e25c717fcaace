import { json, readQuery, route } from "@/lib/http";
import { clockFrom, getStoryView } from "@/lib/read";
import { timeQuery } from "@/lib/validation";

export const GET = route(async (req, { params, db }) => json(await getStoryView(db, params.slug!, clockFrom(readQuery(req, timeQuery)))));
