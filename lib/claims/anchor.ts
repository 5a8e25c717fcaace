import search from "approx-string-match";

// Finding a claim's quote again in a new version of its source. Exact first (after evening out
// quote marks, dashes and spaces); failing that, a close match under a strict bound, which is
// reported as reworded for an editor to confirm and never taken as the quote by itself: a wrong
// re-anchor is worse than none.

export type QuoteInText = { quote: string; prefix: string | null; suffix: string | null };

export type AnchorCheck =
  /** Found as it was: its place in the new text. */
  | { state: "present"; start: number; end: number }
  /** Only a close match: the passage was reworded. `found` is the new wording. */
  | { state: "changed"; start: number; end: number; found: string; errors: number }
  /** Found more than once, and its context no longer says which: left for an editor. */
  | { state: "ambiguous"; occurrences: number }
  /** Nothing close enough. */
  | { state: "removed" };

/** Differences allowed in a close match, as a share of the quote's length. */
export const MAX_ERROR_SHARE = 0.25;
/** Quotes shorter than this are matched exactly or not at all: a few letters match anywhere. */
const MIN_FUZZY_CHARS = 12;
/** A close match must keep at least this share of the quote's words. */
const MIN_WORDS_KEPT = 0.5;

const QUOTES_SINGLE = /[\u2018\u2019\u201A\u201B\u2032\u02BC`]/;
const QUOTES_DOUBLE = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/;

/** The text with quote marks, dashes and runs of spaces evened out, and where each of its characters came from. */
export function normalised(text: string): { text: string; from: number[] } {
  let out = "";
  const from: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/u.test(c)) {
      if (!inSpace) {
        out += " ";
        from.push(i);
      }
      inSpace = true;
      continue;
    }
    inSpace = false;
    out += QUOTES_SINGLE.test(c) ? "'" : QUOTES_DOUBLE.test(c) ? '"' : DASHES.test(c) ? "-" : c;
    from.push(i);
  }
  from.push(text.length);
  return { text: out, from };
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** How well the text around [start, end) agrees with the quote's recorded prefix and suffix. */
const contextScore = (text: string, start: number, end: number, prefix: string, suffix: string) =>
  commonSuffix(text.slice(Math.max(0, start - prefix.length), start), prefix) + commonPrefix(text.slice(end, end + suffix.length), suffix);

/** The one candidate whose context agrees best, or null when the best is shared. */
function bestByContext<T extends { start: number; end: number }>(text: string, candidates: T[], prefix: string, suffix: string): T | null {
  const scored = candidates.map((c) => ({ c, score: contextScore(text, c.start, c.end, prefix, suffix) })).sort((a, b) => b.score - a.score);
  if (scored.length === 1) return scored[0]!.c;
  return scored[0]!.score > scored[1]!.score ? scored[0]!.c : null;
}

/** Looks for a claim's quote in a new text. Positions are in the new text as it is. */
export function findQuote(text: string, anchor: QuoteInText): AnchorCheck {
  const t = normalised(text);
  const q = normalised(anchor.quote).text.trim();
  if (!q) return { state: "removed" };
  const prefix = normalised(anchor.prefix ?? "").text;
  const suffix = normalised(anchor.suffix ?? "").text;
  const original = (start: number, end: number) => ({ start: t.from[start]!, end: t.from[end - 1]! + 1 });

  const exact: { start: number; end: number }[] = [];
  for (let at = t.text.indexOf(q); at !== -1; at = t.text.indexOf(q, at + 1)) exact.push({ start: at, end: at + q.length });
  if (exact.length) {
    const chosen = bestByContext(t.text, exact, prefix, suffix);
    return chosen ? { state: "present", ...original(chosen.start, chosen.end) } : { state: "ambiguous", occurrences: exact.length };
  }

  if (q.length < MIN_FUZZY_CHARS) return { state: "removed" };
  const maxErrors = Math.floor(q.length * MAX_ERROR_SHARE);
  const quoteWords = new Set(words(q));
  const close = search(t.text, q, maxErrors).filter((m) => {
    const kept = new Set(words(t.text.slice(m.start, m.end)));
    let shared = 0;
    for (const w of quoteWords) if (kept.has(w)) shared++;
    return shared >= quoteWords.size * MIN_WORDS_KEPT;
  });
  if (!close.length) return { state: "removed" };
  // The matcher reports every end position of the best cost; overlapping ones are one passage.
  const passages = close.filter((m, i) => i === 0 || m.start >= close[i - 1]!.end);
  const chosen = bestByContext(t.text, passages, prefix, suffix);
  if (!chosen) return { state: "ambiguous", occurrences: passages.length };
  const { start, end } = original(chosen.start, chosen.end);
  return { state: "changed", start, end, found: text.slice(start, end), errors: chosen.errors };
}
