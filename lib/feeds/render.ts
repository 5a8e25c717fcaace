// The three formats are written here rather than with the `feed` package: it emits JSON Feed
// 1.0 (not 1.1, with the deprecated `author`), an RSS <author> without the required e-mail,
// Atom titles typed as HTML, and passes characters XML 1.0 forbids straight into the document.
import { xmlAttr, xmlText } from "@/lib/xml";
import { CATEGORY_SCHEMES, type FeedItem } from "./items";

export type FeedFormat = "rss" | "atom" | "json";

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

export type FeedDocument = {
  /** Stable across hosts, like the items' ids. */
  id: string;
  title: string;
  description: string;
  homeUrl: string;
  selfUrl: string;
  updated: Date;
  items: FeedItem[];
};

const el = (name: string, text: string, attrs = "") => `<${name}${attrs}>${xmlText(text)}</${name}>`;

const rfc822 = (date: Date) => date.toUTCString();
const rfc3339 = (date: Date) => date.toISOString();

const GENERATOR = "Claimtrail";

export function renderRss(feed: FeedDocument): string {
  const items = feed.items.map((item) =>
    [
      "    <item>",
      `      ${el("title", item.title)}`,
      `      ${el("link", item.url)}`,
      `      ${el("guid", item.id, ' isPermaLink="false"')}`,
      `      ${el("pubDate", rfc822(item.published))}`,
      ...item.authors.map((a) => `      ${el("dc:creator", a)}`),
      ...item.categories.map((c) => `      ${el("category", c.term, ` domain="${xmlAttr(CATEGORY_SCHEMES[c.scheme])}"`)}`),
      `      ${el("description", item.html)}`,
      "    </item>",
    ].join("\n"),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    "  <channel>",
    `    ${el("title", feed.title)}`,
    `    ${el("link", feed.homeUrl)}`,
    `    ${el("description", feed.description)}`,
    "    <language>en</language>",
    `    <atom:link href="${xmlAttr(feed.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    `    ${el("lastBuildDate", rfc822(feed.updated))}`,
    `    ${el("generator", GENERATOR)}`,
    ...items,
    "  </channel>",
    "</rss>",
    "",
  ].join("\n");
}

export function renderAtom(feed: FeedDocument): string {
  const entries = feed.items.map((item) =>
    [
      "  <entry>",
      `    ${el("id", item.id)}`,
      `    ${el("title", item.title, ' type="text"')}`,
      `    <link rel="alternate" type="text/html" href="${xmlAttr(item.url)}"/>`,
      `    ${el("published", rfc3339(item.published))}`,
      `    ${el("updated", rfc3339(item.updated))}`,
      ...item.authors.map((a) => `    <author>${el("name", a)}</author>`),
      ...item.categories.map((c) => `    <category term="${xmlAttr(c.term)}" scheme="${xmlAttr(CATEGORY_SCHEMES[c.scheme])}"/>`),
      `    ${el("summary", item.summary, ' type="text"')}`,
      `    ${el("content", item.html, ' type="html"')}`,
      "  </entry>",
    ].join("\n"),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  ${el("id", feed.id)}`,
    `  ${el("title", feed.title, ' type="text"')}`,
    `  ${el("subtitle", feed.description, ' type="text"')}`,
    `  <link rel="self" type="application/atom+xml" href="${xmlAttr(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlAttr(feed.homeUrl)}"/>`,
    `  ${el("updated", rfc3339(feed.updated))}`,
    `  <author>${el("name", GENERATOR)}</author>`,
    `  ${el("generator", GENERATOR)}`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/); JSON carries any character, so text is left whole. */
export function renderJson(feed: FeedDocument): string {
  return `${JSON.stringify(
    {
      version: "https://jsonfeed.org/version/1.1",
      title: feed.title,
      home_page_url: feed.homeUrl,
      feed_url: feed.selfUrl,
      description: feed.description,
      language: "en",
      authors: [{ name: GENERATOR }],
      items: feed.items.map((item) => ({
        id: item.id,
        url: item.url,
        title: item.title,
        content_html: item.html,
        summary: item.summary,
        date_published: rfc3339(item.published),
        date_modified: rfc3339(item.updated),
        authors: item.authors.map((name) => ({ name })),
        tags: item.categories.map((c) => c.term),
        _claimtrail: item.facts,
      })),
    },
    null,
    2,
  )}\n`;
}

export const renderFeed: Record<FeedFormat, (feed: FeedDocument) => string> = { rss: renderRss, atom: renderAtom, json: renderJson };
