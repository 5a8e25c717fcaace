import { z } from "zod";
import { diffClaims, diffRevisions } from "@/lib/claim-diffs";
import { AppError } from "@/lib/errors";
import { json, readParam, readQuery, route } from "@/lib/http";
import { clockFrom } from "@/lib/read";
import { id } from "@/lib/validation";

const revision = z.coerce.number().int().positive();
const query = z.object({ against: id.optional(), fromRevision: revision.optional(), toRevision: revision.optional() });

export const GET = route(async (req, { params, db }) => {
  const claimId = readParam(params.id, id, "The claim");
  const q = readQuery(req, query);
  if (q.against !== undefined) return json(await diffClaims(db, claimId, q.against, clockFrom({})));
  if (q.fromRevision !== undefined && q.toRevision !== undefined) return json(await diffRevisions(db, claimId, q.fromRevision, q.toRevision));
  throw new AppError("bad_request", "Give ?against=<claimId>, or both ?fromRevision= and ?toRevision=.");
});
