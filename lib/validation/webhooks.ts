import { z } from "zod";
import { webhookEventEnum } from "@/db/schema";
import { id, slug } from "./common";

/** An endpoint to register: where, for which story, outlet or claim (or the whole site), and which kinds of event. */
export const webhookInput = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "An http or https address." }).max(2000),
  scope: z.strictObject({ story: slug.optional(), outlet: slug.optional(), claim: id.optional() }).default({}),
  events: z
    .array(z.enum(webhookEventEnum.enumValues, { error: `A kind of event: ${webhookEventEnum.enumValues.join(", ")}.` }))
    .min(1, "Choose at least one kind of event.")
    .max(webhookEventEnum.enumValues.length)
    .transform((events) => [...new Set(events)]),
});

export const deliveriesQuery = z.object({
  before: id.optional().describe("Deliveries older than this one"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("How many, newest first (default 50)"),
});

/** The editors' form: the same input, its events as checkboxes and its scope as fields. */
export const webhookForm = z.preprocess(
  (raw) => {
    const f = (raw ?? {}) as Record<string, string>;
    return {
      url: f.url,
      scope: Object.fromEntries(Object.entries({ story: f["scope.story"], outlet: f["scope.outlet"], claim: f["scope.claim"] }).filter(([, v]) => v)),
      events: webhookEventEnum.enumValues.filter((e) => f[`event_${e}`] === "on"),
    };
  },
  webhookInput,
);

export const webhookDisable = z.strictObject({ _webhook: id });

export type WebhookInput = z.infer<typeof webhookInput>;
