import { relayDrift } from "@/lib/claim-diffs";
import { json, readParam, readQuery, route } from "@/lib/http";
import { clockFrom } from "@/lib/read";
import { id, timeQuery } from "@/lib/validation";

export const GET = route(async (req, { params, db }) =>
  json(await relayDrift(db, readParam(params.id, id, "The claim"), clockFrom(readQuery(req, timeQuery)))),
);
