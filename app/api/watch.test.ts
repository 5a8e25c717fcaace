import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase } from "@/db";
import { call } from "@/lib/testing/http";
import { makeEditor, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { articlePage, fixtureSite, type FixtureSite } from "@/lib/testing/site";
import * as captures from "./documents/[id]/captures/route";
import * as watch from "./documents/[id]/watch/route";
import * as documents from "./documents/route";
import * as outletWatch from "./outlets/[slug]/watch/route";
import * as outlets from "./outlets/route";

// The fixture site is on 127.0.0.1, which the watcher may reach here only because it is named.
process.env.CAPTURE_ALLOW_PRIVATE_HOSTS = "127.0.0.1";
process.env.CAPTURE_HOST_INTERVAL_MS = "0";

let database: TestDatabase;
let site: FixtureSite;
let token: string;

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  token = (await makeEditor(database.db)).token;
  site = await fixtureSite();
});
afterAll(async () => {
  await site.close();
  await database.close();
});

const PARAGRAPHS = [
  "The studio confirmed that the additional photography took place in Budapest over several weeks this summer, with the original director leading it.",
  "A spokesperson said the producer helped design new action scenes and covered a few days of shooting while the director was unwell.",
  "The film is due in cinemas next June, a year later than first planned, after the studio decided to expand several of its action sequences.",
];

async function document(path: string) {
  const res = await call(documents.POST, { token, body: { url: site.url(path), outlet: { name: "Fixture News" }, title: "Report", publishedAt: "2024-10-15" } });
  expect(res.status).toBe(201);
  return res.body as { id: number };
}

describe(`the watcher's API on ${testEngine()}`, () => {
  it("watches a document, and answers in the documented shape", async () => {
    const doc = await document("/api/watched");
    const res = await call(watch.POST, { token, params: { id: doc.id }, body: { enabled: true, everyMinutes: 30 } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["watch"]);
    expect(Object.keys(res.body.watch).sort()).toEqual(["documentId", "enabled", "failures", "nextCheckAt", "pausedReason"]);
    expect(res.body.watch).toMatchObject({ documentId: doc.id, enabled: true, failures: 0, pausedReason: null });
    expect(Date.parse(res.body.watch.nextCheckAt)).toBeLessThanOrEqual(Date.now());

    const paused = await call(watch.POST, { token, params: { id: doc.id }, body: { enabled: false } });
    expect(paused.body.watch).toMatchObject({ enabled: false, nextCheckAt: null, pausedReason: expect.stringMatching(/^Paused by editor-/) });
  });

  it("captures now and answers with the capture; lists captures newest first, a page at a time", async () => {
    const doc = await document("/api/captured");
    site.set("/api/captured", { body: articlePage(PARAGRAPHS) });
    const first = await call(captures.POST, { token, params: { id: doc.id } });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body)).toEqual(["capture"]);
    expect(Object.keys(first.body.capture).sort()).toEqual(["at", "documentId", "httpStatus", "id", "outcome", "reason", "versionId"]);
    expect(first.body.capture).toMatchObject({ documentId: doc.id, outcome: "new-version", httpStatus: 200, versionId: expect.any(Number) });
    const second = await call(captures.POST, { token, params: { id: doc.id } });
    expect(second.body.capture).toMatchObject({ outcome: "unchanged", versionId: null });
    const third = await call(captures.POST, { token, params: { id: doc.id } });

    const page1 = await call(captures.GET, { url: "/?limit=2", params: { id: doc.id } });
    expect(page1.status).toBe(200);
    expect(page1.body.captures.map((c: { id: number }) => c.id)).toEqual([third.body.capture.id, second.body.capture.id]);
    const page2 = await call(captures.GET, { url: `/?limit=2&before=${second.body.capture.id}`, params: { id: doc.id } });
    expect(page2.body.captures.map((c: { id: number }) => c.id)).toEqual([first.body.capture.id]);
  });

  it("watches an outlet's feed", async () => {
    const outlet = (await call(outlets.POST, { token, body: { name: "Feed Gazette" } })).body as { slug: string };
    const res = await call(outletWatch.POST, { token, params: { slug: outlet.slug }, body: { feedUrl: site.url("/feed.xml?utm_source=x") } });
    expect(res.status).toBe(200);
    expect(res.body.watch).toMatchObject({ outlet: outlet.slug, feedUrl: site.url("/feed.xml"), enabled: true, documentId: null, failures: 0 });
  });

  it("refuses what cannot be watched, with the reason, and writes nothing without a write token", async () => {
    const noUrl = (await call(documents.POST, { token, body: { outlet: { name: "Print Only" }, title: "On paper", publishedAt: "2024-10-15" } })).body as { id: number };
    const refused = await call(watch.POST, { token, params: { id: noUrl.id }, body: { enabled: true } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual({ documentId: ["This document has no URL."] });
    expect((await call(watch.POST, { token, params: { id: 2147483647 }, body: { enabled: true } })).status).toBe(404);
    expect((await call(watch.POST, { token, params: { id: noUrl.id }, body: { enabled: "yes" } })).status).toBe(422);
    expect((await call(watch.POST, { token, params: { id: noUrl.id }, body: { enabled: true, everyMinutes: 1 } })).body.error.fields.everyMinutes).toEqual(["At least every 5 minutes."]);
    expect((await call(watch.POST, { params: { id: noUrl.id }, body: { enabled: true } })).status).toBe(401);
    expect((await call(captures.POST, { params: { id: noUrl.id } })).status).toBe(401);
    expect((await call(outletWatch.POST, { token, params: { slug: "no-such-outlet" }, body: { feedUrl: "https://example.com/feed" } })).status).toBe(404);
    expect((await call(outletWatch.POST, { token, params: { slug: "no-such-outlet" }, body: { feedUrl: "javascript:alert(1)" } })).status).toBe(422);
  });
});
