import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { openDatabase, useDatabase, type Database } from "@/db";
import { captures, documents, documentVersions, outlets, watches } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { createDocument } from "@/lib/documents";
import { diffWords } from "@/lib/diff/words";
import { fixtureSite, articlePage, type FixtureSite } from "@/lib/testing/site";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { documentInput } from "@/lib/validation";
import { addressPolicy } from "./address";
import { cadenceFor, nextCheckAt } from "./cadence";
import { runCapture } from "./capture";
import { claimDueWatches, startWorker } from "@/lib/worker";
import { captureNow, watchDocument, watchOutletFeed } from "./index";
import { userAgent, type WatcherSettings } from "./settings";

const actor = systemActor("test");
const MINUTE = 60_000;

// Private addresses are allowed for the fixture site's own host only: every other private,
// loopback or metadata address stays refused, as in production.
const settings: WatcherSettings = {
  limits: { policy: addressPolicy("127.0.0.1"), userAgent: userAgent("https://claimtrail.test"), totalMs: 3000, connectMs: 1000, maxBytes: 5_000_000 },
  hostIntervalMs: 0,
  concurrency: 4,
};

const STORY = [
  "Len Wiseman led the additional photography for the film, with producer Chad Stahelski on hand to help design new action scenes for the spin-off.",
  "Stahelski covered some scenes while Wiseman was briefly in hospital with a serious health issue, according to people who worked on the production.",
  "This additional photography lasted less than one month, and the director has since recovered and is finishing the film for its release next summer.",
  "The first trailer arrived earlier this fall and showed the lead in a series of fights set in the world of the John Wick films.",
];

let database: TestDatabase;
let site: FixtureSite;

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  site = await fixtureSite();
});
afterAll(async () => {
  await site.close();
  await database.close();
});

let pages = 0;
/** A document at a new path of the fixture site, watched. */
async function watched(options: { path?: string; publishedAt?: string } = {}) {
  const path = options.path ?? `/news/${++pages}`;
  const { document } = await createDocument(
    database.db,
    actor,
    documentInput.parse({ url: site.url(path), outlet: { name: "Fixture News" }, title: `Report ${path}`, publishedAt: options.publishedAt ?? new Date().toISOString() }),
  );
  const watch = await watchDocument(database.db, actor, document.id, { enabled: true });
  return { path, document, watch };
}

async function check(watchId: number, now?: Date) {
  const run = await runCapture(database.db, settings, watchId, null, now);
  if (!("capture" in run)) throw new Error(`not captured: ${JSON.stringify(run)}`);
  return run.capture;
}

const versionsOf = (documentId: number) =>
  database.db.select().from(documentVersions).where(eq(documentVersions.documentId, documentId)).orderBy(asc(documentVersions.id));
const watchOf = async (id: number) => (await database.db.select().from(watches).where(eq(watches.id, id)))[0]!;

describe(`the watcher on ${testEngine()}`, () => {
  it("makes version 1 from the first capture, then sends the ETag and records a 304 as not-modified", async () => {
    const { path, document, watch } = await watched();
    site.set(path, (req, res) => {
      if (req.headers["if-none-match"] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", etag: '"v1"' }).end(articlePage(STORY));
    });
    const first = await check(watch.id);
    expect(first).toMatchObject({ outcome: "new-version", httpStatus: 200, documentId: document.id });
    const [version] = await versionsOf(document.id);
    expect(version!.text).toBe(STORY.join("\n\n"));
    expect(version!.captureId).toBe(first.id);
    expect(version!.note).toBe(`Found by the watcher (capture ${first.id})`);
    expect(first.versionId).toBe(version!.id);

    const second = await check(watch.id);
    expect(second).toMatchObject({ outcome: "not-modified", httpStatus: 304, versionId: null });
    const [, conditional] = site.requests(path);
    expect(conditional!.headers["if-none-match"]).toBe('"v1"');
    expect(conditional!.headers["user-agent"]).toMatch(/^Claimtrail\/1\.0 .*https:\/\/claimtrail\.test\/watcher/);
    // The evidence is kept: the final address, the headers that matter, the body's hash and the body.
    const [kept] = await database.db.select().from(captures).where(eq(captures.id, first.id));
    expect(kept).toMatchObject({ finalUrl: site.url(path), headers: { etag: '"v1"', "content-type": "text/html; charset=utf-8" }, extractor: expect.stringMatching(/^readability/) });
    expect(kept!.body!.byteLength).toBeGreaterThan(0);
    expect(kept!.bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sees the same text, a timestamp, typography and a flip-flop for what they are, and a substantive change as version 2", async () => {
    const { path, document, watch } = await watched();
    const serve = (paragraphs: string[], stamp: string) => site.set(path, { body: articlePage(paragraphs, { stamp }) });
    serve(STORY, "Updated 3 minutes ago");
    expect((await check(watch.id)).outcome).toBe("new-version");
    expect((await check(watch.id)).outcome).toBe("unchanged");
    serve(STORY, "Updated Oct. 15, 2024 10:32 AM ET");
    expect(await check(watch.id)).toMatchObject({ outcome: "timestamp-only", versionId: null });
    const typographic = STORY.map((p) => p.replace("spin-off", "spin\u2011off").replace(/, /g, " , ").replace("John Wick", "“John Wick”"));
    serve(typographic, "Updated 3 minutes ago");
    expect(await check(watch.id)).toMatchObject({ outcome: "cosmetic", versionId: null });

    const changed = [...STORY];
    changed[2] = "This additional photography lasted about six weeks, and the director has since recovered and is finishing the film for its release next summer.";
    serve(changed, "Updated 3 minutes ago");
    const substantive = await check(watch.id);
    expect(substantive.outcome).toBe("new-version");
    const [v1, v2] = await versionsOf(document.id);
    expect(v2!.id).toBe(substantive.versionId);
    const ops = diffWords(v1!.text, v2!.text).filter((op) => op.op !== "equal");
    expect(ops).toEqual([
      { op: "delete", text: "less than one month" },
      { op: "insert", text: "about six weeks" },
    ]);

    // Back to the first text, as an A/B test might: recorded, no version.
    serve(STORY, "Updated 3 minutes ago");
    const back = await check(watch.id);
    expect(back).toMatchObject({ outcome: "flip-flop", versionId: null, reason: `identical to version ${v1!.id}, an earlier one` });
    expect(await versionsOf(document.id)).toHaveLength(2);
    // A number changed is never typography.
    serve(STORY.map((p) => p.replace("one month", "two months")), "Updated 3 minutes ago");
    expect((await check(watch.id)).outcome).toBe("new-version");
  });

  it("keeps out of what robots.txt disallows, and spaces requests by its Crawl-delay", async () => {
    const robots = await fixtureSite();
    try {
      robots.set("/robots.txt", { headers: { "content-type": "text/plain" }, body: "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n" });
      robots.set("/private/story", { body: articlePage(STORY) });
      robots.set("/public/story", { body: articlePage(STORY) });
      const make = async (path: string) => {
        const { document } = await createDocument(database.db, actor, documentInput.parse({ url: robots.url(path), outlet: { name: "Robots News" }, title: path, publishedAt: "2024-10-15" }));
        return (await watchDocument(database.db, actor, document.id, { enabled: true })).id;
      };
      const refused = await check(await make("/private/story"));
      expect(refused).toMatchObject({ outcome: "refused", reason: "robots.txt disallows /private/story for Claimtrail" });
      expect(robots.requests("/private/story")).toHaveLength(0);
      // The host's next turn waits out the Crawl-delay: asked at once, the watcher defers.
      const publicWatch = await make("/public/story");
      const deferred = await runCapture(database.db, settings, publicWatch, null);
      expect(deferred).toMatchObject({ deferredMs: expect.any(Number) });
      expect((deferred as { deferredMs: number }).deferredMs).toBeGreaterThan(500);
      const done = await captureNow(database.db, actor, (await watchOf(publicWatch)).documentId!, settings);
      expect(done.outcome).toBe("new-version");
      // robots.txt was read once for both.
      expect(robots.requests("/robots.txt")).toHaveLength(1);
    } finally {
      await robots.close();
    }
  });

  it("treats a robots.txt that answers 4xx as allowing everything, and one that answers 5xx as forbidding everything", async () => {
    for (const [status, outcome] of [
      [404, "new-version"],
      [503, "refused"],
    ] as const) {
      const other = await fixtureSite();
      try {
        other.set("/robots.txt", { status, headers: { "content-type": "text/plain" }, body: "" });
        other.set("/story", { body: articlePage(STORY) });
        const { document } = await createDocument(database.db, actor, documentInput.parse({ url: other.url("/story"), outlet: { name: "Robots News" }, title: "A story", publishedAt: "2024-10-15" }));
        const watch = await watchDocument(database.db, actor, document.id, { enabled: true });
        const capture = await check(watch.id);
        expect([status, capture.outcome]).toEqual([status, outcome]);
        if (outcome === "refused") expect(capture.reason).toMatch(/robots\.txt answered HTTP 503/);
      } finally {
        await other.close();
      }
    }
  });

  it("waits out a 429's Retry-After before asking the host again", async () => {
    const { path, watch } = await watched();
    let asked = 0;
    site.set(path, (_req, res) => {
      if (asked++ === 0) return void res.writeHead(429, { "retry-after": "1", "content-type": "text/plain" }).end("slow down");
      res.writeHead(200, { "content-type": "text/html" }).end(articlePage(STORY));
    });
    const refused = await check(watch.id);
    expect(refused).toMatchObject({ outcome: "failed", httpStatus: 429, reason: "HTTP 429" });
    const after429 = await watchOf(watch.id);
    expect(after429.failures).toBe(1);
    expect(after429.nextCheckAt!.getTime()).toBeGreaterThanOrEqual(refused.at.getTime() + 1000);
    const done = await captureNow(database.db, actor, watch.documentId!, settings);
    expect(done.outcome).toBe("new-version");
    const [first, second] = site.requests(path);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect((await watchOf(watch.id)).failures).toBe(0);
  });

  it("backs off after failures, doubling the wait, and pauses itself after five in a row, saying why", async () => {
    const { path, watch } = await watched();
    site.set(path, { status: 500, body: "broken" });
    const waits: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const capture = await check(watch.id);
      expect(capture).toMatchObject({ outcome: "failed", httpStatus: 500 });
      const state = await watchOf(watch.id);
      expect(state.failures).toBe(i);
      if (i < 5) waits.push(state.nextCheckAt!.getTime() - capture.at.getTime());
    }
    expect(waits).toEqual([1, 2, 4, 8].map((m) => m * MINUTE));
    const paused = await watchOf(watch.id);
    expect(paused).toMatchObject({ enabled: false, nextCheckAt: null, failures: 5 });
    expect(paused.pausedReason).toBe("Paused after 5 failed checks in a row; the last: HTTP 500.");
    // Watching it again forgets the failures.
    const resumed = await watchDocument(database.db, actor, watch.documentId!, { enabled: true });
    expect(resumed).toMatchObject({ enabled: true, failures: 0, pausedReason: null });
  });

  it("refuses addresses that lead to private, loopback or metadata addresses, directly or by redirect, and long redirect chains", async () => {
    const { path, watch } = await watched();
    const port = new URL(site.origin).port;
    const cases: [string, RegExp][] = [
      [`http://localhost:${port}/news/1`, /localhost resolves to 127\.0\.0\.1 is a loopback address/],
      ["http://10.0.0.1/story", /10\.0\.0\.1 is a private address/],
      ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254 is a cloud metadata address/],
      ["http://[::1]/story", /::1 is a loopback address/],
      ["ftp://127.0.0.1/story", /ftp addresses are not fetched/],
    ];
    for (const [target, reason] of cases) {
      site.set(path, { status: 302, headers: { location: target }, body: "" });
      const capture = await check(watch.id);
      expect([target, capture.outcome]).toEqual([target, "refused"]);
      expect(capture.reason).toMatch(reason);
    }
    // With the rule in force for every host, as in production, the fixture site itself is refused.
    site.set(path, { body: articlePage(STORY) });
    const strict = { ...settings, limits: { ...settings.limits, policy: addressPolicy("0") } };
    const refused = await runCapture(database.db, strict, watch.id, null);
    expect(refused).toMatchObject({ capture: { outcome: "refused", reason: "127.0.0.1 is a loopback address" } });
    for (let i = 0; i < 7; i++) site.set(`/hop/${i}`, { status: 301, headers: { location: `/hop/${i + 1}` } });
    site.set(path, { status: 301, headers: { location: "/hop/0" } });
    expect(await check(watch.id)).toMatchObject({ outcome: "refused", reason: "more than 5 redirects" });
  });

  it("cuts a 50 MB body at the cap and refuses it, without reading the rest", async () => {
    const { path, watch } = await watched();
    let sent = 0;
    site.set(path, (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      const pump = () => {
        while (sent < 50_000_000 && !res.destroyed) {
          sent += chunk.byteLength;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const capture = await check(watch.id);
    expect(capture).toMatchObject({ outcome: "refused", reason: "the body is over the 5,000,000 bytes kept" });
    await new Promise((r) => setTimeout(r, 200));
    expect(sent).toBeLessThan(20_000_000);
  });

  it("gives up on a body that drips in slowly, and refuses what is not HTML", async () => {
    const { path, watch } = await watched();
    site.set(path, (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write("<p>drip</p>")), 400);
      res.on("close", () => clearInterval(timer));
    });
    const slow = await check(watch.id);
    expect(slow).toMatchObject({ outcome: "failed", reason: "no complete answer within 3 s" });
    site.set(path, { headers: { "content-type": "application/pdf" }, body: Buffer.from("%PDF-1.7 fixture") });
    expect(await check(watch.id)).toMatchObject({ outcome: "refused", reason: "application/pdf is not an HTML page" });
  });

  it("decodes a windows-1252 page by its header or its meta declaration", async () => {
    const paragraphs = STORY.map((p, i) => (i === 0 ? `${p} “Of course Chad had to clean up someone else’s mess” — an insider, café owner.` : p));
    for (const declared of ["header", "meta"] as const) {
      const { path, document, watch } = await watched();
      const html = articlePage(paragraphs, declared === "meta" ? { charset: "windows-1252" } : {});
      const bytes = Buffer.from(html.replace(/[“”’—é]/g, (c) => String.fromCharCode({ "“": 0x93, "”": 0x94, "’": 0x92, "—": 0x97, "é": 0xe9 }[c]!)), "latin1");
      site.set(path, { headers: { "content-type": declared === "header" ? "text/html; charset=windows-1252" : "text/html" }, body: bytes });
      expect((await check(watch.id)).outcome).toBe("new-version");
      const [version] = await versionsOf(document.id);
      expect(version!.text).toContain("“Of course Chad had to clean up someone else’s mess” — an insider, café owner.");
    }
  });

  it("marks a page that reads like a paywall, or is cut short, as extraction-suspect and makes no version of it", async () => {
    const { path, document, watch } = await watched();
    site.set(path, { body: articlePage(STORY) });
    await check(watch.id);
    site.set(path, { body: articlePage([STORY[0]!]) });
    const short = await check(watch.id);
    expect(short.outcome).toBe("extraction-suspect");
    expect(short.reason).toMatch(/under half of the last version's/);
    site.set(path, { body: articlePage([`${STORY[0]} Subscribe now to continue reading this story and all of our journalism.`, STORY[1]!, STORY[2]!]) });
    expect((await check(watch.id)).outcome).toBe("extraction-suspect");
    expect(await versionsOf(document.id)).toHaveLength(1);
  });

  it("follows the cadence of an article's age under a fake clock; a change makes it young again, and it stops after a year", async () => {
    expect([0, 2, 3, 23, 24, 24 * 6, 24 * 8, 24 * 40, 24 * 366].map((h) => cadenceFor(h * 3600_000))).toEqual([
      15 * MINUTE,
      15 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
      180 * MINUTE,
      180 * MINUTE,
      2 * 24 * 60 * MINUTE,
      30 * 24 * 60 * MINUTE,
      null,
    ]);
    // Jitter stays within a tenth of the interval, and an editor's interval replaces the cadence.
    const t0 = new Date("2031-03-01T12:00:00Z");
    const young = { everyMinutes: null, publishedAt: new Date(t0.getTime() - 60 * MINUTE), lastChangeAt: null, watchedAt: new Date(0) };
    expect(nextCheckAt(young, t0, () => 0)!.getTime() - t0.getTime()).toBe(13.5 * MINUTE);
    expect(nextCheckAt(young, t0, () => 1)!.getTime() - t0.getTime()).toBe(16.5 * MINUTE);
    expect(nextCheckAt({ ...young, everyMinutes: 90 }, t0, () => 0.5)!.getTime() - t0.getTime()).toBe(90 * MINUTE);

    // Under a fake clock, on a site of its own (its host's turns are on the fake clock too): an
    // article published an hour before t0, watched then.
    const own = await fixtureSite();
    onTestFinished(() => own.close());
    own.set("/story", { body: articlePage(STORY) });
    const { document } = await createDocument(database.db, actor, documentInput.parse({ url: own.url("/story"), outlet: { name: "Fixture News" }, title: "A young story", publishedAt: new Date(t0.getTime() - 60 * MINUTE).toISOString() }));
    const watch = await watchDocument(database.db, actor, document.id, { enabled: true });
    await database.db.update(watches).set({ watchedAt: new Date(t0.getTime() - 60 * MINUTE), nextCheckAt: t0 }).where(eq(watches.id, watch.id));
    const mine = (claimed: { watchId: number; slot: Date }[]) => claimed.filter((c) => c.watchId === watch.id);
    const [slot] = mine(await claimDueWatches(database.db, t0));
    expect(slot!.slot).toEqual(t0);
    const first = await runCapture(database.db, settings, watch.id, slot!.slot, t0);
    expect(first).toMatchObject({ capture: { outcome: "new-version" } });
    const afterChange = (await watchOf(watch.id)).nextCheckAt!.getTime() - t0.getTime();
    expect(afterChange).toBeGreaterThanOrEqual(13.5 * MINUTE);
    expect(afterChange).toBeLessThanOrEqual(16.5 * MINUTE);
    // Not due yet ten minutes on; due twenty minutes on, and handed out once.
    expect(mine(await claimDueWatches(database.db, new Date(t0.getTime() + 10 * MINUTE)))).toEqual([]);
    const later = new Date(t0.getTime() + 20 * MINUTE);
    const [next] = mine(await claimDueWatches(database.db, later));
    expect(mine(await claimDueWatches(database.db, later))).toEqual([]);
    // A run for a slot that was already done does nothing.
    expect(await runCapture(database.db, settings, watch.id, slot!.slot, later)).toEqual({ skipped: "this slot was already checked" });
    expect(await runCapture(database.db, settings, watch.id, next!.slot, later)).toMatchObject({ capture: { outcome: "unchanged" } });

    // Two days on, with no change since t0, it is checked every three hours.
    const twoDays = new Date(t0.getTime() + 2 * 24 * 60 * MINUTE);
    await check(watch.id, twoDays);
    const slow = (await watchOf(watch.id)).nextCheckAt!.getTime() - twoDays.getTime();
    expect(slow).toBeGreaterThanOrEqual(162 * MINUTE);
    expect(slow).toBeLessThanOrEqual(198 * MINUTE);

    // A year and a day after its last change, it stops, saying so; watched again, it starts afresh.
    const yearOn = new Date(t0.getTime() + 366 * 24 * 60 * MINUTE);
    await check(watch.id, yearOn);
    const stopped = await watchOf(watch.id);
    expect(stopped).toMatchObject({ enabled: false, nextCheckAt: null });
    expect(stopped.pausedReason).toMatch(/^Stopped: the article is over a year old/);
    const again = await watchDocument(database.db, actor, watch.documentId!, { enabled: true }, yearOn);
    expect(again).toMatchObject({ enabled: true, nextCheckAt: yearOn, pausedReason: null });
  });

  it("reads an outlet's feed: each new article becomes a discovered document once, and is watched", async () => {
    const item = (n: number) => `<item><title>Story ${n}</title><link>${site.url(`/feed-story/${n}`)}?utm_source=rss</link><pubDate>Tue, 15 Oct 2024 0${n}:00:00 GMT</pubDate></item>`;
    const feed = (n: number) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture News</title><link>${site.origin}</link>${Array.from({ length: n }, (_, i) => item(i + 1)).join("")}</channel></rss>`;
    site.set("/feed.xml", { headers: { "content-type": "application/rss+xml" }, body: feed(3) });
    const { document: earlier } = await createDocument(database.db, actor, documentInput.parse({ outlet: { name: "Feed News" }, title: "An earlier report", publishedAt: "2024-01-01" }));
    const [outlet] = await database.db.select().from(outlets).where(eq(outlets.id, earlier.outletId));
    const { watch } = await watchOutletFeed(database.db, actor, outlet!.slug, site.url("/feed.xml"));
    expect(await check(watch.id)).toMatchObject({ outcome: "feed-read", reason: "3 items, 3 new documents" });
    const found = await database.db.select().from(documents).where(eq(documents.outletId, outlet!.id)).orderBy(asc(documents.id));
    const discovered = found.filter((d) => d.discoveredAt !== null);
    expect(discovered.map((d) => [d.title, d.url])).toEqual([1, 2, 3].map((n) => [`Story ${n}`, site.url(`/feed-story/${n}`)]));
    expect(discovered[0]!.publishedAt.toISOString()).toBe("2024-10-15T01:00:00.000Z");
    for (const d of discovered) expect((await database.db.select().from(watches).where(eq(watches.documentId, d.id)))[0]).toMatchObject({ enabled: true, kind: "document" });
    expect(await check(watch.id)).toMatchObject({ outcome: "feed-read", reason: "3 items, 0 new documents" });
    site.set("/feed.xml", { headers: { "content-type": "application/rss+xml" }, body: feed(4) });
    expect(await check(watch.id)).toMatchObject({ outcome: "feed-read", reason: "4 items, 1 new document" });
  });

  it("runs on pg-boss: the sweep hands out due checks and the queue's worker captures each once", async () => {
    const { path, watch } = await watched();
    site.set(path, { body: articlePage(STORY) });
    const watcher = await startWorker(database, { settings, cron: false, pollingIntervalSeconds: 0.5 });
    try {
      expect(await watcher.sweep()).toBeGreaterThanOrEqual(1);
      const deadline = Date.now() + 20_000;
      let done: { outcome: string }[] = [];
      while (Date.now() < deadline && done.length === 0) {
        done = await database.db.select().from(captures).where(eq(captures.watchId, watch.id));
        if (!done.length) await new Promise((r) => setTimeout(r, 200));
      }
      expect(done.map((c) => c.outcome)).toEqual(["new-version"]);
    } finally {
      await watcher.stop();
    }
  }, 60_000);
});

// The PostgreSQL leg: instances share one queue and one schedule.
if (testEngine() === "postgres")
  describe("two watcher instances on one PostgreSQL", () => {
    it("never fetch one document twice for the same slot, and keep to one request at a time per host", async () => {
      const sites = await Promise.all([fixtureSite(), fixtureSite(), fixtureSite()]);
      const inFlight = new Map<string, number>();
      let overlapped = false;
      const made: number[] = [];
      try {
        for (const [s, other] of sites.entries()) {
          for (let i = 0; i < 6; i++) {
            const path = `/two/${i}`;
            other.set(path, (_req, res) => {
              const n = (inFlight.get(other.origin) ?? 0) + 1;
              inFlight.set(other.origin, n);
              if (n > 1) overlapped = true;
              setTimeout(() => {
                inFlight.set(other.origin, (inFlight.get(other.origin) ?? 1) - 1);
                res.writeHead(200, { "content-type": "text/html" }).end(articlePage(STORY));
              }, 30);
            });
            const { document } = await createDocument(database.db, actor, documentInput.parse({ url: other.url(path), outlet: { name: `Site ${s}` }, title: path, publishedAt: "2024-10-15" }));
            made.push((await watchDocument(database.db, actor, document.id, { enabled: true })).id);
          }
        }
        const second: Database = await openDatabase({ url: database.url! });
        const [a, b] = await Promise.all([
          startWorker(database, { settings, cron: false, pollingIntervalSeconds: 0.5 }),
          startWorker(second, { settings, cron: false, pollingIntervalSeconds: 0.5 }),
        ]);
        try {
          const handed = await Promise.all([a.sweep(), b.sweep(), a.sweep(), b.sweep()]);
          expect(handed.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(made.length);
          const deadline = Date.now() + 40_000;
          let done = 0;
          while (Date.now() < deadline && done < made.length) {
            done = (await database.db.select({ id: captures.watchId }).from(captures)).filter((c) => made.includes(c.id)).length;
            if (done < made.length) await new Promise((r) => setTimeout(r, 250));
          }
          const counts = sites.flatMap((s) => Array.from({ length: 6 }, (_, i) => s.requests(`/two/${i}`).length));
          expect(counts).toEqual(new Array(made.length).fill(1));
          expect(overlapped).toBe(false);
        } finally {
          await Promise.all([a.stop(), b.stop()]);
          await second.close();
        }
      } finally {
        await Promise.all(sites.map((s) => s.close()));
      }
    }, 90_000);
  });
