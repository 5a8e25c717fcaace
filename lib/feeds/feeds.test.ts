import { spawnSync } from "node:child_process";
import { invalidateAll } from "@/lib/cache";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as outletAtom from "@/app/outlets/[slug]/feed.atom/route";
import * as outletJson from "@/app/outlets/[slug]/feed.json/route";
import * as outletRss from "@/app/outlets/[slug]/feed.xml/route";
import * as siteAtom from "@/app/feed.atom/route";
import * as siteJson from "@/app/feed.json/route";
import * as siteRss from "@/app/feed.xml/route";
import * as storyAtom from "@/app/stories/[slug]/feed.atom/route";
import * as storyJson from "@/app/stories/[slug]/feed.json/route";
import * as storyRss from "@/app/stories/[slug]/feed.xml/route";
import { useDatabase } from "@/db";
import { outlets } from "@/db/schema";
import { SEED_STORY_SLUG, seed } from "@/lib/seed";
import { systemActor } from "@/lib/audit";
import { createClaim, linkClaims, reviseClaim } from "@/lib/claims";
import { addVersion, createDocument } from "@/lib/documents";
import { addQuestion, createStory } from "@/lib/stories";
import { call, type Call } from "@/lib/testing/http";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { articlePage, fixtureSite } from "@/lib/testing/site";
import { DEMO_VERSIONS } from "@/lib/seed/demo";
import { addressPolicy } from "@/lib/watch/address";
import { runCapture } from "@/lib/watch/capture";
import { userAgent, type WatcherSettings } from "@/lib/watch/settings";
import { watchDocument } from "@/lib/watch";
import { claimInput, claimPatch, documentInput, linkInput, questionInput, storyInput, versionInput, type ClaimInput } from "@/lib/validation";

type Handler = typeof storyRss.GET;
type Format = "rss" | "atom" | "json";
const FORMATS: Format[] = ["rss", "atom", "json"];
const EXT: Record<Format, string> = { rss: "xml", atom: "atom", json: "json" };
const CONTENT_TYPE: Record<Format, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};
const HANDLERS: Record<"site" | "story" | "outlet", Record<Format, Handler>> = {
  site: { rss: siteRss.GET, atom: siteAtom.GET, json: siteJson.GET },
  story: { rss: storyRss.GET, atom: storyAtom.GET, json: storyJson.GET },
  outlet: { rss: outletRss.GET, atom: outletAtom.GET, json: outletJson.GET },
};

/** GETs a feed through its route handler, as Next would serve /stories/<slug>/feed.<ext>?<query>. */
function getFeed(scope: "site" | "story" | "outlet", format: Format, options: { slug?: string; query?: string; headers?: Record<string, string> } = {}) {
  const prefix = scope === "site" ? "" : `/${scope === "story" ? "stories" : "outlets"}/${options.slug}`;
  const url = `${prefix}/feed.${EXT[format]}${options.query ? `?${options.query}` : ""}`;
  return call(HANDLERS[scope][format], { url, params: options.slug ? { slug: options.slug } : {}, headers: options.headers });
}

const rawText = (res: Call) => (typeof res.body === "string" ? res.body : JSON.stringify(res.body));

type ParsedEntry = {
  id: string;
  title: string;
  link: string;
  published: number | null;
  updated: number | null;
  content: string;
  /** The content's text as an HTML parser reads it: tags dropped, references resolved. */
  text: string;
  tags: string[];
  authors: string[];
};
type Parsed = { bozo: boolean; error: string; version: string; feed: { title: string; id: string | null; link: string; updated: number | null }; entries: ParsedEntry[] };

// Debian's feedparser, the parser many readers are built on; `bozo` is its verdict on broken XML.
const FEEDPARSER = `
import sys, json, calendar, feedparser
from html.parser import HTMLParser

class Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
    def handle_data(self, data):
        self.parts.append(data)

def text_of(markup):
    parser = Text()
    parser.feed(markup or "")
    parser.close()
    return "".join(parser.parts)

def seconds(value):
    return calendar.timegm(value) if value else None

out = []
for doc in json.load(sys.stdin):
    d = feedparser.parse(doc["body"].encode("utf-8"), response_headers={"content-type": doc["contentType"]})
    entries = []
    for e in d.entries:
        content = e["content"][0]["value"] if e.get("content") else e.get("summary", "")
        entries.append({
            "id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
            "published": seconds(e.get("published_parsed")), "updated": seconds(e.get("updated_parsed")),
            "content": content, "text": text_of(content),
            "tags": [t.get("term") for t in e.get("tags", [])],
            "authors": [a.get("name") for a in e.get("authors", [])],
        })
    out.append({
        "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
        "feed": {"title": d.feed.get("title"), "id": d.feed.get("id"), "link": d.feed.get("link"), "updated": seconds(d.feed.get("updated_parsed"))},
        "entries": entries,
    })
json.dump(out, sys.stdout)
`;

/** Parses XML feeds with feedparser, all in one Python process. */
function feedparser(responses: Call[]): Parsed[] {
  const input = JSON.stringify(responses.map((r) => ({ body: rawText(r), contentType: r.headers.get("content-type") })));
  const run = spawnSync("/usr/bin/python3", ["-c", FEEDPARSER], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Parsed[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isAbsoluteUrl = (v: unknown) => typeof v === "string" && URL.canParse(v) && /^https?:$/.test(new URL(v).protocol);

/** The rules of https://www.jsonfeed.org/version/1.1/ that a document can break, as messages. */
function jsonFeedProblems(feed: any): string[] {
  const problems: string[] = [];
  const authorsProblems = (authors: unknown, where: string) => {
    if (authors === undefined) return;
    if (!Array.isArray(authors)) return problems.push(`${where}.authors is not an array`);
    authors.forEach((a, i) => {
      if (typeof a !== "object" || a === null) return problems.push(`${where}.authors[${i}] is not an object`);
      if (!["name", "url", "avatar"].some((k) => typeof (a as any)[k] === "string")) problems.push(`${where}.authors[${i}] has no name, url or avatar`);
    });
  };
  const topKeys = ["version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon", "favicon", "authors", "language", "expired", "hubs", "items"];
  const itemKeys = ["id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image", "date_published", "date_modified", "authors", "tags", "language", "attachments"];
  if (feed.version !== "https://jsonfeed.org/version/1.1") problems.push(`version is ${feed.version}`);
  if (typeof feed.title !== "string" || !feed.title) problems.push("title is missing");
  for (const key of ["home_page_url", "feed_url"]) if (feed[key] !== undefined && !isAbsoluteUrl(feed[key])) problems.push(`${key} is not a URL`);
  for (const key of Object.keys(feed)) if (!topKeys.includes(key) && !key.startsWith("_")) problems.push(`unknown key ${key}`);
  if ("author" in feed) problems.push("author is deprecated in 1.1: use authors");
  authorsProblems(feed.authors, "feed");
  if (!Array.isArray(feed.items)) return [...problems, "items is not an array"];
  const ids = new Set<string>();
  feed.items.forEach((item: any, i: number) => {
    const at = `items[${i}]`;
    if (typeof item.id !== "string" || !item.id) problems.push(`${at}.id is not a non-empty string`);
    if (ids.has(item.id)) problems.push(`${at}.id is repeated`);
    ids.add(item.id);
    if (typeof item.content_html !== "string" && typeof item.content_text !== "string") problems.push(`${at} has neither content_html nor content_text`);
    for (const key of ["url", "external_url"]) if (item[key] !== undefined && !isAbsoluteUrl(item[key])) problems.push(`${at}.${key} is not a URL`);
    for (const key of ["title", "summary", "content_html", "content_text"]) if (item[key] !== undefined && typeof item[key] !== "string") problems.push(`${at}.${key} is not a string`);
    for (const key of ["date_published", "date_modified"]) if (item[key] !== undefined && !RFC3339.test(item[key])) problems.push(`${at}.${key} is not RFC 3339`);
    if (item.tags !== undefined && !(Array.isArray(item.tags) && item.tags.every((t: unknown) => typeof t === "string"))) problems.push(`${at}.tags is not a list of strings`);
    if ("author" in item) problems.push(`${at}.author is deprecated in 1.1: use authors`);
    authorsProblems(item.authors, at);
    for (const key of Object.keys(item)) {
      if (itemKeys.includes(key)) continue;
      if (!key.startsWith("_")) problems.push(`${at} has unknown key ${key}`);
      else if (typeof item[key] !== "object" || item[key] === null) problems.push(`${at}.${key} extension is not an object`);
    }
  });
  return problems;
}

const actor = systemActor("test");
let database: TestDatabase;

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  expect(await seed(database.db)).toEqual({ created: true });
});
afterAll(async () => {
  await database.close();
});

async function seedFeeds(query?: string) {
  const responses: Record<string, Call> = {};
  for (const format of FORMATS) {
    responses[`story.${format}`] = await getFeed("story", format, { slug: SEED_STORY_SLUG, query });
    responses[`wrap.${format}`] = await getFeed("outlet", format, { slug: "the-wrap", query });
    responses[`comicbook.${format}`] = await getFeed("outlet", format, { slug: "comicbook", query });
    responses[`site.${format}`] = await getFeed("site", format, { query });
  }
  return responses;
}

describe(`feeds of the seed story on ${testEngine()}`, () => {
  it("serves all nine feeds with the right type, validators and cache policy; feedparser finds no fault", async () => {
    const responses = await seedFeeds();
    for (const [name, res] of Object.entries(responses)) {
      const format = name.split(".")[1] as Format;
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type"), name).toBe(CONTENT_TYPE[format]);
      expect(res.headers.get("etag"), name).toMatch(/^W\/"[0-9a-f]+"$/);
      expect(new Date(res.headers.get("last-modified")!).toUTCString(), name).toBe(res.headers.get("last-modified"));
      expect(res.headers.get("cache-control"), name).toMatch(/public, max-age=\d+/);
    }
    const xml = Object.entries(responses).filter(([name]) => !name.endsWith(".json"));
    const parsed = feedparser(xml.map(([, res]) => res));
    parsed.forEach((p, i) => {
      expect({ feed: xml[i]![0], bozo: p.bozo, error: p.error }).toEqual({ feed: xml[i]![0], bozo: false, error: "" });
      expect(p.version).toBe(xml[i]![0].endsWith(".rss") ? "rss20" : "atom10");
    });
    // The Wrap: its three claims, the three contradictions aimed at them, and the three status
    // changes they made; ComicBook: six claims, six links, and two status changes for each relay.
    const counts = Object.fromEntries(xml.map(([name], i) => [name, parsed[i]!.entries.length]));
    expect(counts).toEqual({ "story.rss": 24, "story.atom": 24, "wrap.rss": 9, "wrap.atom": 9, "comicbook.rss": 18, "comicbook.atom": 18, "site.rss": 24, "site.atom": 24 });
    for (const name of ["story", "wrap", "comicbook", "site"]) expect(jsonFeedProblems(responses[`${name}.json`]!.body), name).toEqual([]);
  });

  it("titles each event in plain words, newest first, with the same ids and dates in every format", async () => {
    const responses = await seedFeeds();
    const [rss, atom] = feedparser([responses["story.rss"]!, responses["story.atom"]!]);
    const json = responses["story.json"]!.body;
    const titles = atom!.entries.map((e) => e.title);
    // Logged in one transaction, the status changes come first (they follow from the links), then the links.
    expect(titles.slice(0, 3)).toEqual([
      "ComicBook’s claim is now corrected; relays a disputed claim: “Stahelski stepped in after Len Wiseman's first cut did not meet expectations, The Wrap reports.”",
      "The Wrap’s claim is now disputed: “Stahelski stepped in because Len Wiseman's first cut did not meet expectations.”",
      "ComicBook’s claim is now corrected: “Stahelski stepped in after Len Wiseman's first cut did not meet expectations, The Wrap reports.”",
    ]);
    expect(titles.slice(9, 15)).toEqual([
      "ComicBook contradicts The Wrap: why Chad Stahelski shot scenes",
      "ComicBook corrects its relay of The Wrap: why Chad Stahelski shot scenes",
      "ComicBook contradicts The Wrap: how long the additional photography lasted",
      "ComicBook corrects its relay of The Wrap: how long the additional photography lasted",
      "ComicBook contradicts The Wrap: who led the additional photography",
      "ComicBook corrects its relay of The Wrap: who led the additional photography",
    ]);
    expect(titles).toContain("The Wrap: The reshoot was a two-to-three-month overseas shoot.");
    expect(titles).toContain("ComicBook: The additional photography lasted less than one month.");
    expect(rss!.entries.map((e) => e.title)).toEqual(titles);
    expect(json.items.map((i: any) => i.title)).toEqual(titles);

    const ids = atom!.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(24);
    for (const id of ids) expect(id).toMatch(/^urn:claimtrail:(claim|link|status):\d+$/);
    expect(ids.filter((id) => id.includes(":link:"))).toHaveLength(6);
    expect(ids.filter((id) => id.includes(":status:"))).toHaveLength(9);
    expect(rss!.entries.map((e) => e.id)).toEqual(ids);
    expect(json.items.map((i: any) => i.id)).toEqual(ids);

    // Dates: when Claimtrail logged the event, newest first, equal across formats (RSS to the second).
    const published = atom!.entries.map((e) => e.published!);
    expect([...published].sort((a, b) => b - a)).toEqual(published);
    expect(rss!.entries.map((e) => e.published)).toEqual(published);
    expect(json.items.map((i: any) => Math.floor(Date.parse(i.date_published) / 1000))).toEqual(published);
    expect(atom!.feed.updated).toBe(Math.floor(Date.parse(responses["story.atom"]!.headers.get("last-modified")!) / 1000));
    for (const item of json.items) expect(item.url).toMatch(/^http:\/\/localhost\/claims\/\d+$/);
    expect(atom!.entries.every((e) => e.link.startsWith("http://localhost/claims/"))).toBe(true);
  });

  it("carries the change itself: statements, quote, source dates, status change and the word diff", async () => {
    const [atom, rss] = feedparser([await getFeed("story", "atom", { slug: SEED_STORY_SLUG }), await getFeed("story", "rss", { slug: SEED_STORY_SLUG })]);
    for (const parsed of [atom!, rss!]) {
      const correction = parsed.entries.find((e) => e.title === "ComicBook corrects its relay of The Wrap: how long the additional photography lasted")!;
      expect(correction.content).toContain("<del>reshoot was a two-to-three-</del><ins>additional photography lasted less than one </ins>month<del> overseas shoot, The Wrap reports</del>.");
      expect(correction.text).toContain("Status of ComicBook’s claim: Standing → Corrected");
      expect(correction.text).toContain("The additional photography lasted less than one month.");
      expect(correction.text).toContain("“This additional photography only spanned less than one month”");
      expect(correction.text).toContain("published 15 Oct 2024");
      expect(correction.text).toContain("The claim it corrects: The reshoot was a two-to-three-month overseas shoot, The Wrap reports.");
      expect(correction.text).toContain("published 14 Oct 2024");
      expect(correction.tags).toEqual(["corrects", "How long did the additional photography last?"]);
      expect(correction.authors).toEqual(["ComicBook"]);

      const contradiction = parsed.entries.find((e) => e.title === "ComicBook contradicts The Wrap: how long the additional photography lasted")!;
      expect(contradiction.text).toContain("Status of The Wrap’s claim: Standing → Disputed");

      const claim = parsed.entries.find((e) => e.title === "The Wrap: The reshoot was a two-to-three-month overseas shoot.")!;
      expect(claim.text).toContain("Source: Chad Stahelski reshot most of Ballerina, insider says, The Wrap, quoting an insider; published 14 Oct 2024");
      // The seed logs claims and links in one transaction: at the instant it was logged it already stood disputed.
      expect(claim.text).toContain("Status: Disputed");
      expect(claim.tags).toEqual(["claim", "How long did the additional photography last?"]);
    }
  });

  it("filters by kind and bounds the number of items", async () => {
    const links = feedparser([await getFeed("story", "atom", { slug: SEED_STORY_SLUG, query: "kinds=corrects,retracts,contradicts" })])[0]!;
    expect(links.entries).toHaveLength(6);
    expect(links.entries.every((e) => e.id.includes(":link:"))).toBe(true);
    expect(links.feed.title).toBe("Who reshot Ballerina? · Claimtrail (corrects, contradicts, retracts)");

    const claims = (await getFeed("story", "json", { slug: SEED_STORY_SLUG, query: "kinds=claims" })).body;
    expect(claims.items).toHaveLength(9);
    expect(claims.items.every((i: any) => i.id.startsWith("urn:claimtrail:claim:"))).toBe(true);

    const corrects = (await getFeed("outlet", "json", { slug: "comicbook", query: "kinds=Corrects" })).body;
    expect(corrects.items.map((i: any) => i.tags[0])).toEqual(["corrects", "corrects", "corrects"]);

    const all = (await getFeed("story", "json", { slug: SEED_STORY_SLUG })).body.items.map((i: any) => i.id);
    const two = (await getFeed("story", "json", { slug: SEED_STORY_SLUG, query: "limit=2" })).body.items.map((i: any) => i.id);
    expect(two).toEqual(all.slice(0, 2));
  });

  it("answers conditional requests with 304 and an empty body; the validators come along", async () => {
    for (const format of FORMATS) {
      const first = await getFeed("story", format, { slug: SEED_STORY_SLUG });
      const etag = first.headers.get("etag")!;
      const lastModified = first.headers.get("last-modified")!;

      const byTag = await getFeed("story", format, { slug: SEED_STORY_SLUG, headers: { "if-none-match": etag } });
      expect(byTag.status).toBe(304);
      expect(byTag.body).toBe("");
      expect(byTag.headers.get("etag")).toBe(etag);
      expect(byTag.headers.get("last-modified")).toBe(lastModified);
      expect(byTag.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
      // A cache may send the tag strong or in a list.
      expect((await getFeed("story", format, { slug: SEED_STORY_SLUG, headers: { "if-none-match": `"x", ${etag.slice(2)}` } })).status).toBe(304);
      expect((await getFeed("story", format, { slug: SEED_STORY_SLUG, headers: { "if-none-match": 'W/"other"' } })).status).toBe(200);

      expect((await getFeed("story", format, { slug: SEED_STORY_SLUG, headers: { "if-modified-since": lastModified } })).status).toBe(304);
      const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
      expect((await getFeed("story", format, { slug: SEED_STORY_SLUG, headers: { "if-modified-since": earlier } })).status).toBe(200);
      // If-None-Match decides when both are sent.
      const both = { "if-none-match": 'W/"other"', "if-modified-since": lastModified };
      expect((await getFeed("story", format, { slug: SEED_STORY_SLUG, headers: both })).status).toBe(200);

      // Another filter is another representation with its own tag.
      const filtered = await getFeed("story", format, { slug: SEED_STORY_SLUG, query: "kinds=claims", headers: { "if-none-match": etag } });
      expect(filtered.status).toBe(200);
      expect(filtered.headers.get("etag")).not.toBe(etag);
    }
  });

  it("answers unknown stories and outlets with 404 and bad filters with 400, in the feed's own format", async () => {
    for (const scope of ["story", "outlet"] as const) {
      for (const format of FORMATS) {
        const res = await getFeed(scope, format, { slug: "no-such-thing" });
        expect(res.status).toBe(404);
        if (format === "json") {
          expect(res.headers.get("content-type")).toMatch(/^application\/json/);
          expect(res.body.error).toMatchObject({ code: "not_found", message: expect.stringContaining("no-such-thing") });
        } else {
          expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
          expect(res.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<error code="not_found">\n {2}<message>The (story|outlet) "no-such-thing" was not found.<\/message>/);
        }
      }
    }
    for (const [query, field, message] of [
      ["kinds=corrections", "kinds", '"corrections" is not a kind'],
      ["kinds=,", "kinds", "Name at least one kind"],
      ["limit=0", "limit", "at least 1"],
      ["limit=201", "limit", "at most 200"],
      ["limit=ten", "limit", "must be a number"],
      ["limit=2.5", "limit", "whole number"],
    ]) {
      const json = await getFeed("story", "json", { slug: SEED_STORY_SLUG, query });
      expect(json.status, query).toBe(400);
      expect(json.body.error.fields[field!][0], query).toContain(message);
      const xml = await getFeed("site", "rss", { query });
      expect(xml.status, query).toBe(400);
      expect(xml.headers.get("content-type")).toBe("application/xml; charset=utf-8");
      expect(xml.body, query).toContain(`<field name="${field}">`);
      expect(xml.body, query).toContain(message);
    }
  });
});

// Text as hostile as the schemas let in: markup, CDATA terminators, ampersands, emoji with
// joiners, Arabic and Hebrew, tabs and line breaks.
const STORY_TITLE = `Fact <check> & "friends" ]]> 🧪 — خبر عاجل / חדשות`;
const OUTLET = `Al-Ḥadath <الحدث> & Co ]]>`;
const DOC_TITLE = `<script>alert("x")</script> & ]]> تقرير 📰`;
const QUESTION = `Who said <this> & ]]>? 🤔`;
const FIRST = `The mayor said <b>"no"</b> & left ]]> 👩‍👩‍👧 قال المحافظ\tלא\nthen nothing.`;
const SECOND = `The mayor said <i>"yes"</i> & stayed ]]> 👩‍👩‍👧 قال المحافظ\tכן\nthen more.`;
const QUOTE = `he said <b>"no"</b> & ]]> قال`;
const VERSION = `Report. ${QUOTE} — and more.`;

describe(`feeds of hostile text on ${testEngine()}`, () => {
  let slug: string;
  let outletSlug: string;
  let firstId: number;
  let secondId: number;
  let laterDocumentId: number;

  beforeAll(async () => {
    const db = database.db;
    const story = await createStory(db, actor, storyInput.parse({ title: STORY_TITLE, slug: "hostile-text", summary: "Summary & <more> ]]>" }));
    slug = story.slug;
    const question = await addQuestion(db, actor, slug, questionInput.parse({ label: QUESTION }));
    const { document } = await createDocument(
      db,
      actor,
      documentInput.parse({ outlet: { name: OUTLET }, title: DOC_TITLE, url: "https://example.test/a?b=1&c=<2>", authors: ["Zoë <Z> & Ω", "نور"], publishedAt: "2024-10-14" }),
    );
    const { document: later } = await createDocument(db, actor, documentInput.parse({ outlet: { name: OUTLET }, title: "Later & <later>", publishedAt: "2024-10-16" }));
    const [outlet] = await db.select({ slug: outlets.slug }).from(outlets).where(eq(outlets.id, document.outletId));
    outletSlug = outlet!.slug;
    laterDocumentId = later.id;
    await addVersion(db, actor, document.id, versionInput.parse({ text: VERSION, seenAt: "2024-10-14" }));
    const first = await createClaim(db, actor, slug, claimInput.parse({ documentId: document.id, questionId: question.id, text: FIRST, quote: QUOTE, speaker: "Ms <Speaker> & ]]>" }));
    const second = await createClaim(db, actor, slug, claimInput.parse({ documentId: later.id, questionId: question.id, text: SECOND }));
    firstId = first.id;
    secondId = second.id;
    await linkClaims(db, actor, second.id, linkInput.parse({ kind: "corrects", targetClaimId: first.id, note: "Note <n> & ]]> 🙃 שלום" }));
  });

  it("comes out well-formed and intact in RSS and Atom, read back by feedparser", async () => {
    const responses = [
      await getFeed("story", "rss", { slug }),
      await getFeed("story", "atom", { slug }),
      await getFeed("outlet", "rss", { slug: outletSlug }),
      await getFeed("outlet", "atom", { slug: outletSlug }),
    ];
    for (const res of responses) expect(res.status).toBe(200);
    const parsed = feedparser(responses);
    for (const p of parsed) {
      expect({ bozo: p.bozo, error: p.error }).toEqual({ bozo: false, error: "" });
      const flat = (s: string) => s.replace(/\s+/g, " ");
      const [status, correction, second, first] = p.entries;
      expect(p.entries).toHaveLength(4);
      expect(status!.id).toMatch(/^urn:claimtrail:status:\d+$/);
      expect(status!.title).toBe(`${OUTLET}’s claim is now corrected: “${flat(FIRST)}”`);
      expect(status!.text).toContain("Status: standing → corrected");
      expect(correction!.title).toBe(`${OUTLET} corrects its own earlier claim: ${QUESTION}`);
      expect(second!.title).toBe(`${OUTLET}: ${flat(SECOND)}`);
      expect(first!.title).toBe(`${OUTLET}: ${flat(FIRST)}`);
      expect(first!.text).toContain(FIRST);
      expect(first!.text).toContain(`“${QUOTE}”`);
      expect(first!.text).toContain(`${DOC_TITLE}, ${OUTLET}, quoting Ms <Speaker> & ]]>; published 14 Oct 2024`);
      expect(first!.content).toContain(`href="https://example.test/a?b=1&amp;c=%3C2%3E"`);
      expect(first!.tags).toEqual(["claim", QUESTION]);
      expect(first!.authors).toEqual(["Zoë <Z> & Ω", "نور"]);
      expect(correction!.text).toContain("Note <n> & ]]> 🙃 שלום");
      expect(correction!.text).toContain(`Status of ${OUTLET}’s claim: Standing → Corrected`);
      expect(first!.text).toContain("Status: Standing when logged; corrected now");
      // The diff keeps what both statements share and marks the rest.
      expect(correction!.content).toContain(`The mayor said &lt;<del>b</del><ins>i</ins>&gt;&quot;<del>no</del><ins>yes</ins>&quot;&lt;/<del>b</del><ins>i</ins>&gt; &amp; <del>left</del><ins>stayed</ins> ]]&gt; 👩‍👩‍👧 قال المحافظ\t<del>לא</del><ins>כן</ins>\nthen <del>nothing</del><ins>more</ins>.`);
    }
    expect(parsed[1]!.feed.title).toBe(`${STORY_TITLE} · Claimtrail`);
    expect(parsed[0]!.feed.title).toBe(`${STORY_TITLE} · Claimtrail`);
    expect(parsed[3]!.feed.title).toBe(`${OUTLET} · Claimtrail`);
  });

  it("comes out intact in a JSON Feed that keeps the 1.1 rules", async () => {
    const res = await getFeed("story", "json", { slug });
    expect(res.status).toBe(200);
    const feed = res.body;
    expect(jsonFeedProblems(feed)).toEqual([]);
    expect(feed.title).toBe(`${STORY_TITLE} · Claimtrail`);
    expect(feed.description).toBe("Summary & <more> ]]>");
    const first = feed.items.find((i: any) => i.id === `urn:claimtrail:claim:${firstId}`);
    expect(first.title).toBe(`${OUTLET}: ${FIRST.replace(/\s+/g, " ")}`);
    expect(first.content_html).toContain(FIRST.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"));
    expect(first.authors).toEqual([{ name: "Zoë <Z> & Ω" }, { name: "نور" }]);
    expect(first.tags).toEqual(["claim", QUESTION]);
    expect(first._claimtrail).toMatchObject({ event: "claim", claim_id: firstId, status: "corrected" });
  });

  it("drops only what XML 1.0 cannot carry from text that slipped past input checks", async () => {
    const { document } = await createDocument(database.db, actor, documentInput.parse({ outlet: { name: "Plain" }, title: "Plain", publishedAt: "2024-10-20" }));
    // createClaim trusts its caller to have parsed the input: an import or an older row could hold these.
    const raw = { documentId: document.id, text: "Bell\u0007 here, noncharacter \uFFFE there, tab\tkept." } as ClaimInput;
    const claim = await createClaim(database.db, actor, slug, raw);
    const [rss, atom] = feedparser([await getFeed("story", "rss", { slug }), await getFeed("story", "atom", { slug })]);
    for (const parsed of [rss!, atom!]) {
      expect(parsed.bozo).toBe(false);
      expect(parsed.entries[0]!.id).toBe(`urn:claimtrail:claim:${claim.id}`);
      expect(parsed.entries[0]!.text).toContain("Bell here, noncharacter  there, tab\tkept.");
    }
    const json = await getFeed("story", "json", { slug });
    expect(json.body.items[0].content_html).toContain("Bell\u0007 here, noncharacter \uFFFE there, tab\tkept.");
  });

  it("changes the ETag at once on a new event or an edit, and keeps each item's id", async () => {
    const before = await getFeed("story", "atom", { slug });
    const etag = before.headers.get("etag")!;
    const outletBefore = (await getFeed("outlet", "atom", { slug: outletSlug })).headers.get("etag");
    const siteBefore = (await getFeed("site", "atom")).headers.get("etag");

    const revised = await reviseClaim(database.db, actor, secondId, claimPatch.parse({ text: `${SECOND} Revised.`, reason: "typo", baseRevision: 1 }));
    const afterEdit = await getFeed("story", "atom", { slug, headers: { "if-none-match": etag } });
    expect(afterEdit.status).toBe(200);
    expect(afterEdit.headers.get("etag")).not.toBe(etag);
    expect((await getFeed("outlet", "atom", { slug: outletSlug })).headers.get("etag")).not.toBe(outletBefore);
    expect((await getFeed("site", "atom")).headers.get("etag")).not.toBe(siteBefore);

    const [was, now] = feedparser([before, afterEdit]);
    expect(now!.entries.map((e) => e.id)).toEqual(was!.entries.map((e) => e.id));
    const edited = now!.entries.find((e) => e.id === `urn:claimtrail:claim:${secondId}`)!;
    expect(edited.text).toContain(`${SECOND} Revised.`);
    expect(edited.updated).toBe(Math.floor(revised.current.createdAt.getTime() / 1000));
    expect(edited.published).toBe(was!.entries.find((e) => e.id === edited.id)!.published);

    const etag2 = afterEdit.headers.get("etag")!;
    const third = await createClaim(database.db, actor, slug, claimInput.parse({ documentId: laterDocumentId, text: "A third claim." }));
    const afterClaim = await getFeed("story", "atom", { slug, headers: { "if-none-match": etag2 } });
    expect(afterClaim.status).toBe(200);
    const ids = feedparser([afterClaim])[0]!.entries.map((e) => e.id);
    expect(ids[0]).toBe(`urn:claimtrail:claim:${third.id}`);
    expect(ids.slice(1)).toEqual(now!.entries.map((e) => e.id));

    const etag3 = afterClaim.headers.get("etag")!;
    const outletEtag = (await getFeed("outlet", "json", { slug: outletSlug })).headers.get("etag");
    const link = await linkClaims(database.db, actor, third.id, linkInput.parse({ kind: "confirms", targetClaimId: secondId }));
    const afterLink = await getFeed("story", "json", { slug, headers: { "if-none-match": etag3 } });
    expect(afterLink.status).toBe(200);
    // The status change the link made comes first, then the link.
    expect(afterLink.body.items[0]._claimtrail).toMatchObject({ event: "status", claim_id: secondId, status_before: "standing", status_after: "confirmed", link_id: link.id });
    expect(afterLink.body.items[1].id).toBe(`urn:claimtrail:link:${link.id}`);
    expect(afterLink.body.items[1].title).toBe(`${OUTLET} confirms its own earlier claim: ${QUESTION}`);
    expect(afterLink.body.items[1]._claimtrail).toMatchObject({ status_before: "standing", status_after: "confirmed" });
    expect((await getFeed("outlet", "json", { slug: outletSlug })).headers.get("etag")).not.toBe(outletEtag);
  });
});

describe(`feed size and cost on ${testEngine()}`, () => {
  beforeAll(async () => {
    const db = database.db;
    const story = await createStory(db, actor, storyInput.parse({ title: "Many claims", slug: "many-claims" }));
    const { document } = await createDocument(db, actor, documentInput.parse({ outlet: { name: "Prolific" }, title: "Many", publishedAt: "2024-11-01" }));
    for (let i = 1; i <= 45; i++) await createClaim(db, actor, story.slug, claimInput.parse({ documentId: document.id, text: `Claim number ${i}.` }));
  });

  it("holds 50 items by default and up to 200 on request, newest first", async () => {
    const all = (await getFeed("site", "json", { query: "limit=200" })).body.items;
    expect(all.length).toBeGreaterThan(50);
    expect(all.length).toBeLessThanOrEqual(200);
    expect(all[0].title).toBe("Prolific: Claim number 45.");
    const dates = all.map((i: any) => Date.parse(i.date_published));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const byDefault = (await getFeed("site", "json")).body.items;
    expect(byDefault.map((i: any) => i.id)).toEqual(all.slice(0, 50).map((i: any) => i.id));
  });

  it("answers a conditional request with at most one query, and a full feed in as many queries whatever its length", async () => {
    const queriesFor = async (query: string, headers?: Record<string, string>, cold = true) => {
      // A cold cache measures what a request costs right after a write.
      if (cold) invalidateAll();
      const before = database.queryCount();
      const res = await getFeed("site", "atom", { query, headers });
      return { res, queries: database.queryCount() - before };
    };
    const full = await queriesFor("limit=200");
    const short = await queriesFor("limit=2");
    expect(full.res.status).toBe(200);
    expect(full.queries).toBe(short.queries);
    expect(full.queries).toBeLessThanOrEqual(8);
    const etag = full.res.headers.get("etag")!;
    const revalidated = await queriesFor("limit=200", { "if-none-match": etag });
    expect(revalidated.res.status).toBe(304);
    expect(revalidated.queries).toBe(1);
    const repeated = await queriesFor("limit=200", { "if-none-match": etag }, false);
    expect(repeated.res.status).toBe(304);
    expect(repeated.queries).toBe(0);
    const warm = await queriesFor("limit=2", undefined, false);
    await queriesFor("limit=2", undefined, false);
    expect((await queriesFor("limit=2", undefined, false)).queries).toBe(0);
    expect(warm.res.status).toBe(200);
  });
});

describe(`versions the watcher finds, in the feeds, on ${testEngine()}`, () => {
  it("are items of the story's and the outlet's feeds, titled with what changed and carrying the word diff", async () => {
    const site = await fixtureSite();
    try {
      const { document } = await createDocument(database.db, actor, documentInput.parse({ url: site.url("/ballerina"), outlet: "comicbook", title: "Ballerina reshoots report", publishedAt: "2024-10-14" }));
      await createClaim(database.db, actor, SEED_STORY_SLUG, claimInput.parse({ documentId: document.id, text: "ComicBook's watched relay." }));
      const before = await getFeed("story", "json", { slug: SEED_STORY_SLUG });
      const watch = await watchDocument(database.db, actor, document.id, { enabled: true });
      const settings: WatcherSettings = { limits: { policy: addressPolicy("127.0.0.1"), userAgent: userAgent(undefined), totalMs: 5000, connectMs: 1000, maxBytes: 1_000_000 }, hostIntervalMs: 0, concurrency: 1 };
      const versionsOf = (text: string) => text.split("\n\n");
      site.set("/ballerina", { body: articlePage(versionsOf(DEMO_VERSIONS.original)) });
      expect(await runCapture(database.db, settings, watch.id, null)).toMatchObject({ capture: { outcome: "new-version" } });
      site.set("/ballerina", { body: articlePage(versionsOf(DEMO_VERSIONS.updated)) });
      const second = await runCapture(database.db, settings, watch.id, null);
      expect(second).toMatchObject({ capture: { outcome: "new-version" } });

      const story = await getFeed("story", "json", { slug: SEED_STORY_SLUG, query: "kinds=versions" });
      expect(story.headers.get("etag")).not.toBe(before.headers.get("etag"));
      const [latest, first] = story.body.items;
      expect(latest.title).toBe("ComicBook edited “Ballerina reshoots report”: 2 sentences added at the top");
      expect(first.title).toBe("ComicBook edited “Ballerina reshoots report”: its text stored for the first time");
      expect(latest.content_html).toContain("<ins>Update: ComicBook has learned that Ballerina director Len Wiseman led additional photography");
      expect(latest._claimtrail).toMatchObject({ event: "version", document_id: document.id, capture_id: (second as { capture: { id: number } }).capture.id });
      expect(latest.url).toMatch(new RegExp(`/documents/${document.id}#version-\\d+$`));
      expect(jsonFeedProblems(story.body)).toEqual([]);

      // Only versions: the default feed has them among the claims and links; kinds=claims has none.
      expect((await getFeed("story", "json", { slug: SEED_STORY_SLUG })).body.items.some((i: any) => i.id === latest.id)).toBe(true);
      expect((await getFeed("story", "json", { slug: SEED_STORY_SLUG, query: "kinds=claims" })).body.items.some((i: any) => i.id === latest.id)).toBe(false);
      const [atom, rss] = feedparser([await getFeed("outlet", "atom", { slug: "comicbook" }), await getFeed("outlet", "rss", { slug: "comicbook" })]);
      for (const parsed of [atom!, rss!]) {
        expect(parsed.bozo, parsed.error).toBe(false);
        const entry = parsed.entries.find((e) => e.id === latest.id)!;
        expect(entry.title).toBe(latest.title);
        expect(entry.text).toContain("Update: ComicBook has learned");
      }
      // The Wrap's feed is not about ComicBook's article.
      expect((await getFeed("outlet", "json", { slug: "the-wrap", query: "kinds=versions" })).body.items).toEqual([]);
    } finally {
      await site.close();
    }
  });
});

describe(`silent edits and status changes, in the feeds, on ${testEngine()}`, () => {
  it("feedparser reads the quote and status items, each kind selected or left out with ?kinds=", async () => {
    const story = await createStory(database.db, actor, storyInput.parse({ title: "Who wrote the memo?" }));
    const { document: wire } = await createDocument(database.db, actor, documentInput.parse({ url: "https://wire.example/memo", title: "The memo", publishedAt: "2025-03-01" }));
    const { document: relay } = await createDocument(database.db, actor, documentInput.parse({ url: "https://daily.example/memo", title: "Memo, relayed", publishedAt: "2025-03-02" }));
    const first = await addVersion(database.db, actor, relay.id, versionInput.parse({ text: "The memo was written by the deputy minister, the wire says. More tomorrow.", seenAt: "2025-03-02" }));
    const origin = await createClaim(database.db, actor, story.slug, claimInput.parse({ documentId: wire.id, text: "The deputy minister wrote the memo." }));
    const relayed = await createClaim(
      database.db,
      actor,
      story.slug,
      claimInput.parse({ documentId: relay.id, versionId: first.id, relaysClaimId: origin.id, text: "The deputy minister wrote the memo, the wire says.", quote: "The memo was written by the deputy minister" }),
    );
    await addVersion(database.db, actor, relay.id, versionInput.parse({ text: "More tomorrow.", seenAt: "2025-03-03" }));
    const denial = await createClaim(database.db, actor, story.slug, claimInput.parse({ documentId: wire.id, text: "The deputy minister did not write the memo." }));
    await linkClaims(database.db, actor, denial.id, linkInput.parse({ kind: "contradicts", targetClaimId: origin.id }));

    const slug = story.slug;
    const [atom, rss] = feedparser([await getFeed("story", "atom", { slug, query: "kinds=quotes,statuses" }), await getFeed("story", "rss", { slug, query: "kinds=quotes,statuses" })]);
    const json = (await getFeed("story", "json", { slug, query: "kinds=quotes,statuses" })).body;
    expect(jsonFeedProblems(json)).toEqual([]);
    for (const parsed of [atom!, rss!]) {
      expect(parsed.bozo, parsed.error).toBe(false);
      expect(parsed.entries.map((e) => e.id)).toEqual(json.items.map((i: any) => i.id));
    }
    const titles = atom!.entries.map((e) => e.title);
    // Newest first: the dispute reaches the claim and its relay; before it, the relay's source dropped the quoted passage.
    expect(titles).toEqual([
      "daily.example’s claim is now standing; relays a disputed claim: “The deputy minister wrote the memo, the wire says.”",
      "wire.example’s claim is now disputed: “The deputy minister wrote the memo.”",
      "daily.example removed a passage a claim quotes: “The memo was written by the deputy minister”",
    ]);
    expect(atom!.entries.map((e) => e.id.split(":")[2])).toEqual(["status", "status", "quote"]);
    expect(atom!.entries[2]!.text).toContain("The memo was written by the deputy minister");
    expect(atom!.entries.map((e) => e.link)).toEqual([`http://localhost/claims/${relayed.id}`, `http://localhost/claims/${origin.id}`, `http://localhost/claims/${relayed.id}#source-edits`]);

    // Left out by naming the other kinds; the default feed has them all.
    const others = (await getFeed("story", "json", { slug, query: "kinds=claims,contradicts" })).body.items.map((i: any) => i.id);
    expect(others.some((id: string) => /:(quote|status):/.test(id))).toBe(false);
    expect(others).toHaveLength(4);
    expect((await getFeed("story", "json", { slug })).body.items).toHaveLength(7);
  });
});
