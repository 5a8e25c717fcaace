import { endpoint, json } from "@/lib/http";
import { webhookInput } from "@/lib/validation";
import { watcherSettings } from "@/lib/watch/settings";
import { registerWebhook } from "@/lib/webhooks";

export const POST = endpoint(
  { summary: "Register a webhook endpoint (admins): events of the kinds chosen, in the scope given; the signing secret is shown once", auth: "write", body: webhookInput, status: 201 },
  async ({ db, actor, body }) => json(await registerWebhook(db, actor, body, watcherSettings().limits), 201),
);
