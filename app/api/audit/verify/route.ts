import { readChainVerdict } from "@/lib/audit";
import { endpoint, json } from "@/lib/http";

export const GET = endpoint({ summary: "Recompute the audit hash chain; 409 names the first event that does not hold" }, async () => {
  const verdict = await readChainVerdict();
  return json(verdict, verdict.ok ? 200 : 409);
});
