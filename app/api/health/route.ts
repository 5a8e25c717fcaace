import { checkHealth } from "@/lib/health";
import { endpoint, json } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = endpoint({ summary: "Liveness and database state; 503 while the database is unreachable" }, async () => {
  const health = await checkHealth();
  return health.ok ? json(health) : json(health, 503, { "Retry-After": "5" });
});
