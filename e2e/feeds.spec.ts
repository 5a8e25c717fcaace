import { expect, test } from "@playwright/test";
import { newsboat } from "./helpers";

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
