import { endpoint, json } from "@/lib/http";
import { disableWebhook } from "@/lib/webhooks";
import { webhookParams } from "./params";

export const DELETE = endpoint({ summary: "Disable a webhook endpoint (admins): nothing more is sent to it", auth: "write", params: webhookParams }, async ({ db, actor, params }) =>
  json({ webhook: await disableWebhook(db, actor, params.id) }),
);
