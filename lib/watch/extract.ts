import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";

/** Which extractor read a capture, so a better one can read the kept bodies again and say so. */
export const EXTRACTOR = "readability-0.6/linkedom-0.18";

export type Extracted = {
  /** The article's text, one paragraph a block, blank lines between. */
  text: string;
  title: string | null;
  byline: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
};

// The blocks an article's paragraphs are in; text inside one of them is one paragraph.
const BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, dt, dd, td, th";

const flat = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();

/** The paragraphs under an element: its innermost blocks' text, or its whole text when it has none. */
function paragraphsOf(root: Element): string {
  const blocks = [...root.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
  const parts = (blocks.length ? blocks.map((el) => flat(el.textContent)) : [flat(root.textContent)]).filter(Boolean);
  return parts.join("\n\n");
}

const ARTICLE_TYPES = /(^|\b)(NewsArticle|Article|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|WebPage)$/;

/** datePublished and dateModified from the page's JSON-LD, the article's own first. */
function jsonLdDates(document: Document): { publishedAt: string | null; modifiedAt: string | null } {
  const found: { publishedAt: string | null; modifiedAt: string | null } = { publishedAt: null, modifiedAt: null };
  const visit = (node: unknown, depth: number) => {
    if (!node || typeof node !== "object" || depth > 6) return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, depth + 1));
    const record = node as Record<string, unknown>;
    const types = ([] as unknown[]).concat(record["@type"] ?? []).map(String);
    if (types.some((t) => ARTICLE_TYPES.test(t))) {
      if (!found.publishedAt && typeof record.datePublished === "string") found.publishedAt = record.datePublished;
      if (!found.modifiedAt && typeof record.dateModified === "string") found.modifiedAt = record.dateModified;
    }
    for (const value of Object.values(record)) if (value && typeof value === "object") visit(value, depth + 1);
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ""), 0);
    } catch {
      // Malformed JSON-LD is common and says nothing.
    }
  }
  return found;
}

function meta(document: Document, ...names: string[]): string | null {
  for (const name of names) {
    const el = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const content = flat(el?.getAttribute("content"));
    if (content) return content;
  }
  return null;
}

/** Reads an article page: its text as paragraphs, with title, byline and dates. Null when no article is found. */
export function extractArticle(html: string, url: string): Extracted | null {
  const { document } = parseHTML(html);
  // The metadata is read first: Readability rewrites the document as it goes.
  const dates = jsonLdDates(document as unknown as Document);
  const publishedAt = dates.publishedAt ?? meta(document as unknown as Document, "article:published_time", "datePublished", "pubdate");
  const modifiedAt = dates.modifiedAt ?? meta(document as unknown as Document, "article:modified_time", "dateModified", "og:updated_time");
  const fallbackTitle = meta(document as unknown as Document, "og:title") ?? flat(document.querySelector("title")?.textContent);
  const author = meta(document as unknown as Document, "author", "article:author");
  try {
    // Readability resolves relative links against the document's address.
    Object.defineProperty(document, "documentURI", { value: url, configurable: true });
  } catch {
    // Not needed for the text.
  }
  const article = new Readability<string>(document as unknown as Document, { serializer: (node) => paragraphsOf(node as Element) }).parse();
  const text = article?.content?.trim();
  if (!article || !text) return null;
  return { text, title: flat(article.title) || fallbackTitle || null, byline: flat(article.byline) || author, publishedAt, modifiedAt };
}

// Words that put a page behind a wall rather than show its article.
const WALLS = [
  /subscribe (now )?to (continue|keep) reading/i,
  /(this (article|content) is (only )?(available|reserved) (to|for) (subscribers|members))/i,
  /you('ve| have) (reached|used) (your|all of your) (free|monthly) (articles|limit)/i,
  /(we|this site) use[s]? cookies[^.]*\. (by|please) (continu|accept|click)/i,
  /(accept|agree to) (all )?cookies (to|and) (continue|proceed)/i,
  /please (enable|turn on) javascript/i,
  /are you a robot|verify (that )?you are (a )?human/i,
];

/**
 * Why an extraction looks like something other than the article (a paywall, a consent or robot
 * check, a page cut short), or null. Such a capture is kept but never made a version.
 */
export function suspectExtraction(extracted: Extracted, previousText: string | null): string | null {
  const wall = WALLS.find((w) => w.test(extracted.text));
  if (wall && extracted.text.length < 4000) return `it reads like a paywall or consent page (“${wall.exec(extracted.text)![0]}”)`;
  if (previousText && extracted.text.length < previousText.length * 0.5) {
    return `its text is ${extracted.text.length.toLocaleString("en")} characters, under half of the last version's ${previousText.length.toLocaleString("en")}`;
  }
  return null;
}
