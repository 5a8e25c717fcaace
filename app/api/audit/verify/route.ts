import { verifyAuditChain } from "@/lib/audit";
import { json, route } from "@/lib/http";

export const GET = route(async (_req, { db }) => {
  const verdict = await verifyAuditChain(db);
  return json(verdict, verdict.ok ? 200 : 409);
});
