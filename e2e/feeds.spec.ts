import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const STORY = "who-reshot-ballerina";
const FEEDS: [string, string][] = [
  ["/feed.xml", "application/rss+xml; charset=utf-8"],
  ["/feed.atom", "application/atom+xml; charset=utf-8"],
  ["/feed.json", "application/feed+json; charset=utf-8"],
  [`/stories/${STORY}/feed.xml`, "application/rss+xml; charset=utf-8"],
  [`/stories/${STORY}/feed.atom`, "application/atom+xml; charset=utf-8"],
  [`/stories/${STORY}/feed.json`, "application/feed+json; charset=utf-8"],
  ["/outlets/the-wrap/feed.xml", "application/rss+xml; charset=utf-8"],
  ["/outlets/the-wrap/feed.atom", "application/atom+xml; charset=utf-8"],
  ["/outlets/comicbook/feed.json", "application/feed+json; charset=utf-8"],
];

test.describe("feeds over HTTP", () => {
  test("every feed comes with its type and validators, and a conditional request gets 304", async ({ request, baseURL }) => {
    for (const [feed, type] of FEEDS) {
      const res = await request.get(feed);
      expect(res.status(), feed).toBe(200);
      expect(res.headers()["content-type"], feed).toBe(type);
      expect(res.headers()["cache-control"], feed).toMatch(/^public, max-age=\d+$/);
      const etag = res.headers()["etag"]!;
      const lastModified = res.headers()["last-modified"]!;
      expect(etag, feed).toMatch(/^W\/"[0-9a-f]+"$/);
      // Links point at the host the reader asked, not at the server's own name.
      expect(await res.text(), feed).toContain(`${baseURL}/`);

      const byTag = await request.get(feed, { headers: { "If-None-Match": etag } });
      expect(byTag.status(), feed).toBe(304);
      expect((await byTag.body()).length, feed).toBe(0);
      expect(byTag.headers()["etag"], feed).toBe(etag);
      const byDate = await request.get(feed, { headers: { "If-Modified-Since": lastModified } });
      expect(byDate.status(), feed).toBe(304);
    }
  });

  test("an unknown story is a 404 in the feed's own format, never an HTML page", async ({ request }) => {
    const xml = await request.get("/stories/no-such-story/feed.atom");
    expect(xml.status()).toBe(404);
    expect(xml.headers()["content-type"]).toBe("application/xml; charset=utf-8");
    expect(await xml.text()).toContain('<error code="not_found">');
    const json = await request.get("/outlets/no-such-outlet/feed.json");
    expect(json.status()).toBe(404);
    expect((await json.json()).error.code).toBe("not_found");
    const bad = await request.get("/feed.xml?kinds=rumours");
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain("is not a kind");
  });
});

type NewsboatItem = { guid: string; title: string; author: string; url: string; pubDate: number; content: string };

/** Runs Debian's newsboat on one feed in a scratch home, then reads back what it stored. */
function newsboat(feedUrl: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-newsboat-"));
  try {
    const urls = path.join(home, "urls");
    const config = path.join(home, "config");
    const cache = path.join(home, "cache.db");
    fs.writeFileSync(urls, `${feedUrl}\n`);
    fs.writeFileSync(config, "reload-threads 1\nauto-reload no\n");
    const run = (...commands: string[]) =>
      execFileSync("newsboat", ["-u", urls, "-c", cache, "-C", config, "-x", ...commands], {
        env: { ...process.env, HOME: home },
        encoding: "utf8",
        timeout: 60_000,
      });
    const first = run("reload", "print-unread");
    // A second reload sends the validators newsboat kept and must keep every item.
    const second = run("reload", "print-unread");
    // newsboat keeps its cache in SQLite; Debian's Python reads it back.
    const dump = execFileSync(
      "/usr/bin/python3",
      [
        "-c",
        `import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
items = [dict(r) for r in db.execute("select guid, title, author, url, pubDate, content from rss_item order by id")]
feeds = [dict(r) for r in db.execute("select rssurl, title, etag, lastmodified from rss_feed")]
json.dump({"items": items, "feeds": feeds}, sys.stdout)`,
        cache,
      ],
      { encoding: "utf8" },
    );
    return { first, second, ...(JSON.parse(dump) as { items: NewsboatItem[]; feeds: { rssurl: string; title: string; etag: string; lastmodified: number }[] }) };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

test.describe("a real feed reader", () => {
  // newsboat 2.21 (Debian 12) reads RSS and Atom; JSON Feed came to it later.
  for (const feed of [`/stories/${STORY}/feed.xml`, `/stories/${STORY}/feed.atom`]) {
    test(`newsboat reads every item of ${feed}`, async ({ baseURL, request }) => {
      const url = `${baseURL}${feed}`;
      const served = await request.get(feed);
      const read = newsboat(url);
      // Nine claims, six links, and the nine status changes the links made.
      expect(read.first.trim()).toBe("24 unread articles");
      expect(read.second.trim()).toBe("24 unread articles");
      expect(read.feeds).toEqual([expect.objectContaining({ rssurl: url, title: "Who reshot Ballerina? · Claimtrail", etag: served.headers()["etag"] })]);

      expect(read.items).toHaveLength(24);
      expect(new Set(read.items.map((i) => i.guid)).size).toBe(24);
      for (const item of read.items) {
        expect(item.guid).toMatch(/^urn:claimtrail:(claim|link|status):\d+$/);
        expect(item.url).toMatch(new RegExp(`^${baseURL}/claims/\\d+$`));
        expect(item.pubDate).toBeGreaterThan(Date.parse("2024-01-01") / 1000);
      }
      const correction = read.items.find((i) => i.title === "ComicBook corrects its relay of The Wrap: how long the additional photography lasted");
      expect(correction).toBeDefined();
      expect(correction!.author).toBe("ComicBook");
      expect(correction!.content).toContain("<del>reshoot was a two-to-three-</del><ins>additional photography lasted less than one </ins>month");
      expect(correction!.content).toContain("Standing → Corrected");
      const disputed = read.items.find((i) => i.title === "The Wrap’s claim is now disputed: “The reshoot was a two-to-three-month overseas shoot.”");
      expect(disputed?.guid).toMatch(/^urn:claimtrail:status:\d+$/);
      expect(disputed!.content).toMatch(/standing → disputed/i);
      const claim = read.items.find((i) => i.title === "The Wrap: The reshoot was a two-to-three-month overseas shoot.");
      expect(claim?.content).toContain("published 14 Oct 2024");
    });
  }
});
