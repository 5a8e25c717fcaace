import { AppError } from "@/lib/errors";

export type QuoteAnchor = { quote: string; prefix: string; suffix: string };

const CONTEXT = 32;

/**
 * Places a verbatim quote in a version's text. Where the quote occurs more than once, the
 * prefix and suffix (as taken from a selection) say which occurrence is meant.
 */
export function anchorQuote(text: string, quote: string, hint: { prefix?: string; suffix?: string } = {}): QuoteAnchor | null {
  if (!quote) return null;
  let first: number | null = null;
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    first ??= at;
    const before = text.slice(0, at);
    const after = text.slice(at + quote.length);
    if ((!hint.prefix || before.endsWith(hint.prefix)) && (!hint.suffix || after.startsWith(hint.suffix))) {
      return { quote, prefix: before.slice(-CONTEXT), suffix: after.slice(0, CONTEXT) };
    }
  }
  return null;
}

export function requireAnchor(text: string, quote: string, hint: { prefix?: string; suffix?: string }, versionId: number): QuoteAnchor {
  const anchor = anchorQuote(text, quote, hint);
  if (!anchor) {
    throw new AppError("unprocessable", `The quote is not in version ${versionId} of the document.`, {
      quote: ["Not found verbatim in the document text."],
    });
  }
  return anchor;
}
