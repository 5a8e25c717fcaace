import { json, route } from "@/lib/http";
import { getOutletRecord } from "@/lib/outlets";

export const GET = route(async (_req, { params, db }) => json(await getOutletRecord(db, params.slug!)));
