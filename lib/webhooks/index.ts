import { randomBytes } from "node:crypto";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { getDb, jsonRecords, rows, type Db, type Executor } from "@/db";
import { claims, outlets, stories, webhookDeliveries, webhooks, type Webhook as WebhookRow, type WebhookDelivery, type WebhookEvent } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { AppError, notFound } from "@/lib/errors";
import type { WebhookInput } from "@/lib/validation";
import { refusedEndpoint, safePost, type FetchLimits } from "@/lib/watch/fetch";

// Signed webhooks, per the Standard Webhooks specification: an admin registers an endpoint for the
// whole site, a story, an outlet or a claim, choosing kinds of event. Each event reaches each
// matching endpoint once: a delivery row is written in the same transaction as the event (one per
// endpoint, unique), and sent from the job queue with back-off for about a day.

/** The retries after a failed attempt, as Standard Webhooks suggests: about a day and a quarter in all. */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000];

/** How long an instance holds a delivery it is sending; a crashed one's lapses. */
const CLAIM_MS = 2 * 60_000;

export type WebhookView = { id: number; url: string; scope: { story?: string; outlet?: string; claim?: number }; events: WebhookEvent[]; disabled: boolean };

async function viewOf(db: Executor, w: WebhookRow): Promise<WebhookView> {
  const [story] = w.storyId ? await db.select({ slug: stories.slug }).from(stories).where(eq(stories.id, w.storyId)) : [];
  const [outlet] = w.outletId ? await db.select({ slug: outlets.slug }).from(outlets).where(eq(outlets.id, w.outletId)) : [];
  return {
    id: w.id,
    url: w.url,
    scope: { ...(story && { story: story.slug }), ...(outlet && { outlet: outlet.slug }), ...(w.claimId && { claim: w.claimId }) },
    events: w.events,
    disabled: w.disabledAt !== null,
  };
}

const adminsOnly = (actor: Actor) => {
  if (!actor.admin) throw new AppError("forbidden", "Only an admin may register or remove webhooks.");
};

/** What registering answers: the endpoint as it was asked for (a new one is never disabled), and its secret, this once. */
export type RegisteredWebhook = { webhook: Omit<WebhookView, "disabled">; secret: string };

export async function registerWebhook(db: Db, actor: Actor, input: WebhookInput, limits: FetchLimits): Promise<RegisteredWebhook> {
  adminsOnly(actor);
  const refused = refusedEndpoint(input.url, limits);
  if (refused) throw new AppError("unprocessable", `Deliveries cannot go to that address: ${refused}.`, { url: [`Refused: ${refused}.`] });
  return db.transaction(async (tx) => {
    const scope = { storyId: null as number | null, outletId: null as number | null, claimId: null as number | null };
    if (input.scope.story) {
      const [story] = await tx.select({ id: stories.id }).from(stories).where(eq(stories.slug, input.scope.story));
      if (!story) throw new AppError("unprocessable", `The story "${input.scope.story}" does not exist.`, { "scope.story": ["No such story."] });
      scope.storyId = story.id;
    }
    if (input.scope.outlet) {
      const [outlet] = await tx.select({ id: outlets.id }).from(outlets).where(eq(outlets.slug, input.scope.outlet));
      if (!outlet) throw new AppError("unprocessable", `The outlet "${input.scope.outlet}" does not exist.`, { "scope.outlet": ["No such outlet."] });
      scope.outletId = outlet.id;
    }
    if (input.scope.claim) {
      const [claim] = await tx.select({ id: claims.id }).from(claims).where(eq(claims.id, input.scope.claim));
      if (!claim) throw new AppError("unprocessable", `Claim ${input.scope.claim} does not exist.`, { "scope.claim": ["No such claim."] });
      scope.claimId = claim.id;
    }
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const [made] = await tx.insert(webhooks).values({ url: input.url, ...scope, events: input.events, secret, editorId: actor.editorId }).returning();
    const { disabled: _, ...webhook } = await viewOf(tx, made!);
    await appendAudit(tx, actor, [{ action: "create", entity: "webhook", entityId: made!.id, after: webhook }]);
    return { webhook, secret };
  });
}

/** Disables an endpoint: nothing more is sent to it, from the next attempt on. */
export async function disableWebhook(db: Db, actor: Actor, id: number): Promise<WebhookView> {
  adminsOnly(actor);
  return db.transaction(async (tx) => {
    const [done] = await tx.update(webhooks).set({ disabledAt: sql`coalesce(${webhooks.disabledAt}, now())` }).where(eq(webhooks.id, id)).returning();
    if (!done) throw notFound(`Webhook ${id}`);
    const webhook = await viewOf(tx, done);
    await appendAudit(tx, actor, [{ action: "disable", entity: "webhook", entityId: id, after: webhook }]);
    return webhook;
  });
}

export type WebhookPayload = { id: string; type: WebhookEvent; occurredAt: string; data: Record<string, unknown> };

export type WebhookEventInput = { id: string; type: WebhookEvent; claimIds: number[]; documentIds: number[]; data: Record<string, unknown> };

/**
 * Writes, inside the transaction that makes an event, one delivery for each endpoint that wants
 * it: its kind chosen, and its scope (site, story, outlet or claim) among the event's claims and
 * documents. The event's id is its feed item's id.
 */
export const enqueueWebhookEvent = (tx: Executor, event: WebhookEventInput): Promise<void> => enqueueWebhookEvents(tx, [event]);

/** The deliveries of many events (a batch's), in one statement. */
export async function enqueueWebhookEvents(tx: Executor, events: WebhookEventInput[]): Promise<void> {
  if (!events.length) return;
  // Many events (a batch's) are made into text and sent only once an endpoint is known to be
  // live, and most sites have none: for batches of 5,000 claims, building and sending them took a
  // fifth of the server's time. A few go at once, in the statement below, which checks the same
  // thing first, so that a single write waits for no extra answer before its commit.
  if (events.length > EVENTS_SENT_UNASKED && !(await anyLiveWebhook(tx))) return;
  const occurredAt = new Date().toISOString();
  const input = events.map((e) => ({
    id: e.id,
    kind: e.type,
    claim_ids: e.claimIds,
    document_ids: e.documentIds,
    payload: { id: e.id, type: e.type, occurredAt, data: e.data } satisfies WebhookPayload,
  }));
  // An event's scope: the claims it names or that cite its documents, their stories, and the
  // outlets of its documents and of those claims' documents. With no live endpoint the events
  // are not even parsed: the condition on them is checked once, first.
  await tx.execute(sql`
    with events as (
      select e.* from ${jsonRecords(input, sql`e(id text, kind webhook_event, claim_ids int[], document_ids int[], payload jsonb)`)}
      where exists (select 1 from webhooks where disabled_at is null)
    )
    insert into webhook_deliveries (webhook_id, event_id, event_kind, payload)
    select w.id, e.id, e.kind, e.payload
    from events e
    join webhooks w on w.disabled_at is null and e.kind = any(w.events)
    cross join lateral (
      select array_agg(c.id) as ids, array_agg(c.story_id) as stories, array_agg(c.document_id) as documents
      from claims c where c.id = any(e.claim_ids) or c.document_id = any(e.document_ids)
    ) scope
    where (w.claim_id is null or w.claim_id = any(scope.ids))
      and (w.story_id is null or w.story_id = any(scope.stories))
      and (w.outlet_id is null or exists (select 1 from documents d where d.outlet_id = w.outlet_id and (d.id = any(e.document_ids) or d.id = any(scope.documents))))
    on conflict (webhook_id, event_id) do nothing`);
}

/** Up to this many events are sent without asking whether any endpoint is live. */
const EVENTS_SENT_UNASKED = 16;

async function anyLiveWebhook(tx: Executor): Promise<boolean> {
  const [found] = await rows<{ live: boolean }>(tx, sql`select exists (select 1 from webhooks where disabled_at is null) as live`);
  return found?.live === true;
}

/**
 * Sends the deliveries that are due, each by one instance (taken with SKIP LOCKED and held while
 * it is sent), signed with its endpoint's secret. A 2xx ends it; anything else is tried again on
 * the retry schedule, then given up as failed. An endpoint disabled meanwhile gets nothing more.
 */
export async function deliverDue(db: Db, limits: FetchLimits, now = new Date(), limit = 50): Promise<number> {
  const at = now.toISOString();
  const due = await rows<Record<string, unknown>>(
    db,
    sql`update webhook_deliveries d set claimed_until = ${at}::timestamptz + make_interval(secs => ${CLAIM_MS / 1000})
        from webhooks w
        where w.id = d.webhook_id and d.id in (
          select id from webhook_deliveries where state = 'pending' and next_attempt_at <= ${at}::timestamptz
            and (claimed_until is null or claimed_until <= ${at}::timestamptz)
          order by id limit ${limit} for update skip locked)
        returning d.id, d.event_id, d.payload, d.attempts, w.url, w.secret, w.disabled_at`,
  );
  await Promise.all(
    due.map(async (d) => {
      const id = Number(d.id);
      if (d.disabled_at != null) {
        await db.update(webhookDeliveries).set({ state: "cancelled", claimedUntil: null, lastError: "the endpoint was disabled" }).where(eq(webhookDeliveries.id, id));
        return;
      }
      const body = typeof d.payload === "string" ? d.payload : JSON.stringify(d.payload);
      const signedAt = new Date();
      const signature = new Webhook(String(d.secret)).sign(String(d.event_id), signedAt, body);
      const answer = await safePost(String(d.url), body, { "webhook-id": String(d.event_id), "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)), "webhook-signature": signature }, limits);
      const attempts = Number(d.attempts) + 1;
      if (answer.reason === null) {
        await db.update(webhookDeliveries).set({ state: "delivered", attempts, lastStatus: answer.status, lastError: null, deliveredAt: new Date(), claimedUntil: null }).where(eq(webhookDeliveries.id, id));
        return;
      }
      const retry = RETRY_SCHEDULE_MS[attempts - 1];
      await db
        .update(webhookDeliveries)
        .set({
          attempts,
          lastStatus: answer.status,
          lastError: answer.reason.slice(0, 500),
          claimedUntil: null,
          ...(retry === undefined ? { state: "failed" } : { nextAttemptAt: new Date(now.getTime() + retry) }),
        })
        .where(eq(webhookDeliveries.id, id));
    }),
  );
  return due.length;
}

export type DeliveryView = Pick<WebhookDelivery, "id" | "eventId" | "eventKind" | "state" | "attempts" | "lastStatus" | "lastError" | "createdAt" | "deliveredAt" | "nextAttemptAt">;

/** An endpoint's delivery log, newest first, a page at a time. */
export async function readDeliveries(actor: Actor, webhookId: number, page: { before?: number; limit: number }): Promise<DeliveryView[]> {
  adminsOnly(actor);
  const db = await getDb();
  const [webhook] = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, webhookId));
  if (!webhook) throw notFound(`Webhook ${webhookId}`);
  return db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventKind: webhookDeliveries.eventKind,
      state: webhookDeliveries.state,
      attempts: webhookDeliveries.attempts,
      lastStatus: webhookDeliveries.lastStatus,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), page.before === undefined ? undefined : lt(webhookDeliveries.id, page.before)))
    .orderBy(desc(webhookDeliveries.id))
    .limit(page.limit);
}

/** Every endpoint, for the editors' page. */
export async function readWebhooks(): Promise<WebhookView[]> {
  const db = await getDb();
  const all = await db.select().from(webhooks).orderBy(desc(webhooks.id));
  return Promise.all(all.map((w) => viewOf(db, w)));
}
