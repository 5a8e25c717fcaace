import type { IncomingHttpHeaders } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase } from "@/db";
import * as storyFeed from "@/app/stories/[slug]/feed.json/route";
import { readStory } from "@/lib/stories";
import { call } from "@/lib/testing/http";
import { makeEditor, seededTestDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { fixtureSite, type FixtureSite } from "@/lib/testing/site";
import { DEMO_VERSIONS } from "@/lib/seed/demo";
import { addressPolicy } from "@/lib/watch/address";
import { userAgent, watcherSettings } from "@/lib/watch/settings";
import { deliverDue, RETRY_SCHEDULE_MS } from "@/lib/webhooks";
import { startWorker } from "@/lib/worker";
import * as storyClaims from "./stories/[slug]/claims/route";
import * as versions from "./documents/[id]/versions/route";
import * as claimLinks from "./claims/[id]/links/route";
import * as deliveries from "./webhooks/[id]/deliveries/route";
import * as webhook from "./webhooks/[id]/route";
import * as webhooks from "./webhooks/route";

// Receivers are on 127.0.0.1, which deliveries may reach here only because it is named.
process.env.CAPTURE_ALLOW_PRIVATE_HOSTS = "127.0.0.1";
const limits = { policy: addressPolicy("127.0.0.1"), userAgent: userAgent(undefined), totalMs: 5000, connectMs: 1000, maxBytes: 1_000_000 };

type Received = { headers: IncomingHttpHeaders; body: string; answered: number };

/** A receiver that answers with the statuses given in turn (then 200), and keeps what it got. */
async function receiver(statuses: number[] = []) {
  const site = await fixtureSite();
  const got: Received[] = [];
  site.set("/hook", (req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const answered = statuses.shift() ?? 200;
      got.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  return { site, got, url: site.url("/hook") };
}

let database: TestDatabase;
let admin: string;
let editor: string;
let site: FixtureSite;
beforeAll(async () => {
  database = await seededTestDatabase();
  useDatabase(database);
  admin = (await makeEditor(database.db, "admin")).token;
  editor = (await makeEditor(database.db, "editor")).token;
});
afterAll(async () => {
  await site?.close();
  await database.close();
});

describe(`signed webhooks on ${testEngine()}`, () => {
  it("registers an endpoint for a story and shows its secret once; only admins may", async () => {
    const hook = await receiver();
    site = hook.site;
    const refused = await call(webhooks.POST, { token: editor, body: { url: hook.url, events: ["claim"] } });
    expect(refused.status).toBe(403);
    const made = await call(webhooks.POST, { token: admin, body: { url: hook.url, scope: { story: "who-reshot-ballerina" }, events: ["quote", "status", "quote"] } });
    expect(made.status).toBe(201);
    expect(Object.keys(made.body).sort()).toEqual(["secret", "webhook"]);
    expect(made.body.webhook).toEqual({ id: expect.any(Number), url: hook.url, scope: { story: "who-reshot-ballerina" }, events: ["quote", "status"] });
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(JSON.stringify((await call(deliveries.GET, { token: admin, params: { id: made.body.webhook.id } })).body)).not.toContain(made.body.secret);
  });

  it("delivers a silent edit once, signed per Standard Webhooks, with the feed item's id", async () => {
    const hook = await receiver();
    const { body } = await call(webhooks.POST, { token: admin, body: { url: hook.url, scope: { story: "who-reshot-ballerina" }, events: ["quote"] } });
    const story = await readStory("who-reshot-ballerina");
    const relay = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina, The Wrap reports.")!;
    const third = await call(versions.POST, { token: admin, params: { id: relay.document.id }, body: { text: DEMO_VERSIONS.updated.replace("reshooting “most of the movie,” after", "reshooting after"), seenAt: "2024-10-16" } });
    expect(third.status).toBe(201);

    expect(await deliverDue(database.db, limits)).toBeGreaterThanOrEqual(1);
    expect(hook.got).toHaveLength(1);
    const [received] = hook.got;
    // The receiver's own check, with the library the specification names.
    const verified = new Webhook(body.secret).verify(received!.body, received!.headers as Record<string, string>) as { id: string; type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({ type: "quote", data: { claimId: relay.id, state: "removed", versionId: third.body.id } });
    expect(received!.headers["webhook-id"]).toBe(verified.id);
    const feed = await call(storyFeed.GET, { url: "/stories/who-reshot-ballerina/feed.json?kinds=quotes", params: { slug: "who-reshot-ballerina" } });
    expect(feed.body.items.map((i: { id: string }) => i.id)).toEqual([verified.id]);
    // Another secret does not verify it.
    expect(() => new Webhook(`whsec_${Buffer.from("another secret of 32 bytes......").toString("base64")}`).verify(received!.body, received!.headers as Record<string, string>)).toThrow();

    // Sending again finds nothing due: once is once.
    await deliverDue(database.db, limits);
    expect(hook.got).toHaveLength(1);
    const log = await call(deliveries.GET, { token: admin, params: { id: body.webhook.id } });
    expect(log.body.deliveries).toEqual([expect.objectContaining({ eventId: verified.id, eventKind: "quote", state: "delivered", attempts: 1, lastStatus: 200 })]);
  });

  it("retries a receiver that fails three times on the back-off schedule, and it gets the event exactly once, even with two instances sending", async () => {
    const hook = await receiver([500, 503, 502]);
    const { body } = await call(webhooks.POST, { token: admin, body: { url: hook.url, events: ["status"] } });
    const story = await readStory("who-reshot-ballerina");
    const wrapHowLong = story.claims.find((c) => c.text === "The reshoot was a two-to-three-month overseas shoot.")!;
    const update = story.claims.find((c) => c.text.startsWith("The additional photography lasted"))!;
    // The update retracting The Wrap's claim changes its status and its relay's: two events.
    expect((await call(claimLinks.POST, { token: admin, params: { id: update.id }, body: { kind: "retracts", targetClaimId: wrapHowLong.id } })).status).toBe(201);

    let now = Date.now();
    const both = () => Promise.all([deliverDue(database.db, limits, new Date(now)), deliverDue(database.db, limits, new Date(now))]);
    await both();
    for (const wait of RETRY_SCHEDULE_MS.slice(0, 3)) {
      now += wait;
      await both();
    }
    const log = (await call(deliveries.GET, { token: admin, params: { id: body.webhook.id } })).body.deliveries as { eventId: string; state: string; attempts: number }[];
    expect(log).toHaveLength(2);
    expect(log.every((d) => d.state === "delivered")).toBe(true);
    // Three attempts failed, shared between the two events as they came; each event then got through once.
    expect(hook.got.filter((g) => g.answered !== 200)).toHaveLength(3);
    const succeeded = hook.got.filter((g) => g.answered === 200).map((g) => g.headers["webhook-id"]);
    expect(succeeded.sort()).toEqual(log.map((d) => d.eventId).sort());
    expect(hook.got).toHaveLength(5);
    expect(log.reduce((sum, d) => sum + d.attempts, 0)).toBe(5);
  });

  it("refuses an endpoint on a private address, and fails a delivery to a name that resolves to one", async () => {
    const refused = await call(webhooks.POST, { token: admin, body: { url: "http://10.0.0.1/hook", events: ["claim"] } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields.url[0]).toMatch(/10\.0\.0\.1 is a private address/);
    const port = new URL(site.origin).port;
    const { body } = await call(webhooks.POST, { token: admin, body: { url: `http://localhost:${port}/hook`, events: ["link"] } });
    const story = await readStory("who-reshot-ballerina");
    const wrapWhy = story.claims.find((c) => c.text.startsWith("Stahelski stepped in because"))!;
    const upWhy = story.claims.find((c) => c.text.startsWith("Stahelski covered some scenes"))!;
    await call(claimLinks.POST, { token: admin, params: { id: upWhy.id }, body: { kind: "supersedes", targetClaimId: wrapWhy.id } });
    await deliverDue(database.db, limits);
    const [delivery] = (await call(deliveries.GET, { token: admin, params: { id: body.webhook.id } })).body.deliveries;
    expect(delivery).toMatchObject({ state: "pending", attempts: 1, lastError: expect.stringMatching(/localhost resolves to 127\.0\.0\.1 is a loopback address/) });
  });

  it("stops at once for a disabled endpoint", async () => {
    const hook = await receiver();
    const { body } = await call(webhooks.POST, { token: admin, body: { url: hook.url, events: ["claim", "link", "status"] } });
    const story = await readStory("who-reshot-ballerina");
    const wrapWho = story.claims.find((c) => c.text === "Chad Stahelski reshot most of Ballerina.")!;
    const upWho = story.claims.find((c) => c.text.startsWith("Len Wiseman led"))!;
    await call(claimLinks.POST, { token: admin, params: { id: upWho.id }, body: { kind: "supersedes", targetClaimId: wrapWho.id } });
    const disabled = await call(webhook.DELETE, { method: "DELETE", token: admin, params: { id: body.webhook.id } });
    expect(disabled.body.webhook).toMatchObject({ id: body.webhook.id, disabled: true });
    await deliverDue(database.db, limits);
    expect(hook.got).toEqual([]);
    const log = (await call(deliveries.GET, { token: admin, params: { id: body.webhook.id } })).body.deliveries as { state: string }[];
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((d) => d.state === "cancelled")).toBe(true);
  });

  it("with the worker running, sends a write's delivery without a sweep, and one for a write just after it", async () => {
    const hook = await receiver();
    await call(webhooks.POST, { token: admin, body: { url: hook.url, scope: { story: "who-reshot-ballerina" }, events: ["claim"] } });
    const documentId = (await readStory("who-reshot-ballerina")).claims[0]!.document.id;
    const worker = await startWorker(database, { settings: { ...watcherSettings(), limits }, cron: false, pollingIntervalSeconds: 0.5 });
    const texts = () => hook.got.map((g) => (JSON.parse(g.body) as { data: { text: string } }).data.text);
    const arrives = async (text: string) => {
      for (const deadline = Date.now() + 15_000; !texts().includes(text) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
      return texts();
    };
    try {
      for (const text of ["A claim the running worker announces.", "Another, logged as soon as the first was announced."]) {
        const written = await call(storyClaims.POST, { token: admin, params: { slug: "who-reshot-ballerina" }, body: { documentId, text } });
        expect(written.status).toBe(201);
        expect(await arrives(text)).toContain(text);
      }
      expect(texts()).toHaveLength(2);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
