import { endpoint, json } from "@/lib/http";
import { deliveriesQuery } from "@/lib/validation";
import { readDeliveries } from "@/lib/webhooks";
import { webhookParams } from "../params";

export const GET = endpoint(
  { summary: "An endpoint's delivery log (admins), newest first: state, attempts, last answer", auth: "write", params: webhookParams, query: deliveriesQuery },
  async ({ actor, params, query }) => json({ deliveries: await readDeliveries(actor, params.id, query) }),
);
