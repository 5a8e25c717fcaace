import type { Metadata } from "next";
import { webhookEventEnum } from "@/db/schema";
import { actorOf } from "@/lib/auth/editors";
import { editorOrSignIn } from "@/lib/auth/web";
import { formatInstant } from "@/lib/format";
import { readDeliveries, readWebhooks, type DeliveryView, type WebhookView } from "@/lib/webhooks";
import { disableWebhookAction, registerWebhookAction } from "../actions";
import { ActionForm, Checkboxes, Field } from "../components/form";

export const metadata: Metadata = { title: "Webhooks" };

const EVENT_LABEL: Record<(typeof webhookEventEnum.enumValues)[number], string> = {
  claim: "New claims",
  link: "Links between claims",
  version: "New versions of documents",
  quote: "Quotes a source removed or reworded",
  status: "Status changes",
};

function scopeOf(w: WebhookView): string {
  if (w.scope.claim) return `claim ${w.scope.claim}`;
  const parts = [w.scope.story && `story ${w.scope.story}`, w.scope.outlet && `outlet ${w.scope.outlet}`].filter(Boolean);
  return parts.length ? parts.join(", ") : "the whole site";
}

function deliveryState(d: DeliveryView): string {
  if (d.state === "delivered") return `delivered ${d.deliveredAt ? formatInstant(d.deliveredAt) : ""}`;
  if (d.state === "pending") return d.attempts ? `retrying ${formatInstant(d.nextAttemptAt)}` : "due";
  return d.state;
}

function Deliveries({ list }: { list: DeliveryView[] }) {
  if (list.length === 0) return <p className="meta">Nothing sent yet.</p>;
  return (
    <table className="audit">
      <caption className="meta">Latest deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Made</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
        </tr>
      </thead>
      <tbody>
        {list.map((d) => (
          <tr key={d.id}>
            <td>
              {d.eventKind} <code>{d.eventId}</code>
            </td>
            <td>{formatInstant(d.createdAt)}</td>
            <td>{deliveryState(d)}</td>
            <td>{d.attempts}</td>
            <td>{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function Webhooks() {
  const editor = await editorOrSignIn("/editor/webhooks", "admin");
  const actor = actorOf(editor);
  const hooks = await readWebhooks();
  const logs = await Promise.all(hooks.map((w) => readDeliveries(actor, w.id, { limit: 10 })));
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Each event is sent once to each endpoint that asks for it, as a signed POST (Standard Webhooks: headers <code>webhook-id</code>, <code>webhook-timestamp</code>,{" "}
        <code>webhook-signature</code>). A failed delivery is tried again with growing delays for about a day, then marked failed.
      </p>
      <ActionForm action={registerWebhookAction} submit="Register webhook" label="Register a webhook">
        <Field name="url" label="Endpoint address" type="url" required hint="Where deliveries are posted: a public http or https address." />
        <Checkboxes name="events" legend="Events" options={webhookEventEnum.enumValues.map((e) => ({ name: `event_${e}`, label: EVENT_LABEL[e], checked: true }))} />
        <Field name="scope.story" label="Only for the story" hint="Its slug; leave the scope fields empty for the whole site." />
        <Field name="scope.outlet" label="Only for the outlet" hint="Its slug." />
        <Field name="scope.claim" label="Only for the claim" hint="Its number." />
      </ActionForm>
      <h2>Endpoints</h2>
      {hooks.length === 0 && <p className="meta">No webhooks yet.</p>}
      {hooks.map((w, i) => (
        <section key={w.id} aria-labelledby={`webhook-${w.id}`} className="card">
          <h3 id={`webhook-${w.id}`}>
            Webhook {w.id}: <code>{w.url}</code>
          </h3>
          <p className="meta">
            {w.events.map((e) => EVENT_LABEL[e]).join(", ")} · {scopeOf(w)} · {w.disabled ? "disabled" : "active"}
          </p>
          {!w.disabled && <ActionForm action={disableWebhookAction} submit={`Disable webhook ${w.id}`} hidden={{ _webhook: w.id }} label={`Disable webhook ${w.id}`} />}
          <Deliveries list={logs[i]!} />
        </section>
      ))}
    </>
  );
}
