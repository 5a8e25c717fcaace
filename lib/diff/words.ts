import { commonRuns } from "./myers";

export type DiffOp = { op: "equal" | "insert" | "delete"; text: string };

// Whitespace runs and letter/digit/mark runs stay whole; anything else is one code point on
// its own, so a changed hyphen, quote or emoji shows up as exactly that character.
//
// The scan is hand-written for ASCII, which is most of the text in practice, and leans on
// sticky regular expressions only from the first non-ASCII character of a run: a single
// global regex over the whole text was the slowest step of a diff. A lone surrogate fails
// both patterns and becomes a token of its own, so the tokens always join back to the input.
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/uy;
const SPACE_RUN = /\s+/uy;

const OTHER = 0;
const WORD = 1;
const SPACE = 2;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_CLASS[c] = /[\p{L}\p{N}]/u.test(ch) ? WORD : /\s/u.test(ch) ? SPACE : OTHER;
}

type RunKind = typeof WORD | typeof SPACE;

function runEnd(text: string, from: number, kind: RunKind): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 128) break;
    if (ASCII_CLASS[c] !== kind) return i;
    i++;
  }
  if (i === text.length) return i;
  const pattern = kind === WORD ? WORD_RUN : SPACE_RUN;
  pattern.lastIndex = i;
  return pattern.test(text) ? pattern.lastIndex : i;
}

const isHighSurrogate = (c: number) => (c & 0xfc00) === 0xd800;
const isLowSurrogate = (c: number) => (c & 0xfc00) === 0xdc00;

type Scan = { tokens: string[]; words: number[] };

/** Tokens, plus the positions of those that are not whitespace. */
function scan(text: string): Scan {
  const tokens: string[] = [];
  const words: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let kind: number;
    let end: number;
    if (c < 128) {
      kind = ASCII_CLASS[c]!;
      end = kind === OTHER ? i + 1 : runEnd(text, i + 1, kind as RunKind);
    } else if ((end = runEnd(text, i, WORD)) > i) kind = WORD;
    else if ((end = runEnd(text, i, SPACE)) > i) kind = SPACE;
    else {
      kind = OTHER;
      end = isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(i + 1)) ? i + 2 : i + 1;
    }
    if (kind !== SPACE) words.push(tokens.length);
    tokens.push(text.slice(i, end));
    i = end;
  }
  return { tokens, words };
}

export function tokenize(text: string): string[] {
  return scan(text).tokens;
}

const ONLY_BEFORE = -1;
const ONLY_AFTER = -2;

/**
 * Each side's words as numbers, equal exactly where the words are equal; null when the sides
 * share no word at all. A word found on one side only can never be kept, so all of them share one
 * number per side, which the other side never uses.
 */
function encode(a: Scan, b: Scan): [Int32Array, Int32Array] | null {
  const ids = new Map<string, number>();
  const idsOf = (scan: Scan) =>
    Int32Array.from(scan.words, (at) => {
      const token = scan.tokens[at]!;
      let id = ids.get(token);
      if (id === undefined) ids.set(token, (id = ids.size));
      return id;
    });
  const aIds = idsOf(a);
  const bIds = idsOf(b);
  const inA = new Uint8Array(ids.size);
  const inB = new Uint8Array(ids.size);
  for (const id of aIds) inA[id] = 1;
  for (const id of bIds) inB[id] = 1;
  let shared = 0;
  for (let id = 0; id < ids.size; id++) shared += inA[id]! & inB[id]!;
  // Nothing can match, and the search would still spend quadratic time proving it.
  if (shared === 0) return null;
  for (let i = 0; i < aIds.length; i++) if (!inB[aIds[i]!]) aIds[i] = ONLY_BEFORE;
  for (let i = 0; i < bIds.length; i++) if (!inA[bIds[i]!]) bIds[i] = ONLY_AFTER;
  return [aIds, bIds];
}

class OpBuilder {
  readonly ops: DiffOp[] = [];
  private kind: DiffOp["op"] | null = null;
  private parts: string[] = [];

  push(kind: DiffOp["op"], text: string) {
    if (text === "") return;
    if (kind !== this.kind) this.flush();
    this.kind = kind;
    this.parts.push(text);
  }

  pushTokens(kind: DiffOp["op"], tokens: string[], from: number, to: number) {
    for (let i = from; i < to; i++) this.push(kind, tokens[i]!);
  }

  flush() {
    if (this.kind && this.parts.length > 0) this.ops.push({ op: this.kind, text: this.parts.join("") });
    this.kind = null;
    this.parts = [];
  }
}

// The text between two kept words. Whitespace at either end that both sides share stays
// equal, so a replaced word reads as "- Budapest + Prague" between untouched spaces; the
// rest is one deletion followed by one insertion.
function emitGap(out: OpBuilder, a: string[], aFrom: number, aTo: number, b: string[], bFrom: number, bTo: number) {
  while (aFrom < aTo && bFrom < bTo && a[aFrom] === b[bFrom]) {
    out.push("equal", a[aFrom]!);
    aFrom++;
    bFrom++;
  }
  let common = 0;
  while (aTo - common > aFrom && bTo - common > bFrom && a[aTo - common - 1] === b[bTo - common - 1]) common++;
  out.pushTokens("delete", a, aFrom, aTo - common);
  out.pushTokens("insert", b, bFrom, bTo - common);
  out.pushTokens("equal", a, aTo - common, aTo);
}

// The search takes time proportional to the length of both texts times the edits it explores,
// which for two long unrelated texts is quadratic: many seconds of a request. So it explores at
// most SEARCH_BUDGET / words edits per step (never fewer than MIN_SEARCH_COST), about a second of
// work at most whatever the size. Two 100 KB articles may differ by 1,500 words and still get the
// shortest diff; past the bound the diff is valid but may be longer than the shortest. The bound
// counts edits, not time, so a pair of texts diffs the same on a fast machine and a slow one.
const SEARCH_BUDGET = 50_000_000;
const MIN_SEARCH_COST = 300;

/**
 * A word-level diff of two texts: the fewest words and punctuation marks deleted and
 * inserted to turn `before` into `after` (within the search's bound, above).
 *
 * Whitespace is kept in the output but does not take part in the matching. Spaces are so
 * common that a minimal diff over every token happily keeps three scattered spaces rather
 * than one word, and shreds a rewritten phrase into alternating one-word changes. Matching
 * only words and punctuation, then aligning the whitespace between them, keeps each
 * rewritten phrase in one piece.
 */
export function diffWords(before: string, after: string): DiffOp[] {
  const aScan = scan(before);
  const bScan = scan(after);
  const encoded = encode(aScan, bScan);
  const { tokens: a, words: aWords } = aScan;
  const { tokens: b, words: bWords } = bScan;

  const out = new OpBuilder();
  let aNext = 0;
  let bNext = 0;
  const maxCost = Math.max(MIN_SEARCH_COST, Math.floor(SEARCH_BUDGET / (aWords.length + bWords.length)));
  const runs = encoded ? commonRuns(encoded[0], encoded[1], maxCost) : [];
  for (let r = 0; r < runs.length; r += 3) {
    for (let k = 0; k < runs[r + 2]!; k++) {
      const aAt = aWords[runs[r]! + k]!;
      const bAt = bWords[runs[r + 1]! + k]!;
      emitGap(out, a, aNext, aAt, b, bNext, bAt);
      out.push("equal", a[aAt]!);
      aNext = aAt + 1;
      bNext = bAt + 1;
    }
  }
  emitGap(out, a, aNext, a.length, b, bNext, b.length);
  out.flush();
  return out.ops;
}

export function applyDiff(ops: readonly DiffOp[]): { before: string; after: string } {
  let before = "";
  let after = "";
  for (const { op, text } of ops) {
    if (op !== "insert") before += text;
    if (op !== "delete") after += text;
  }
  return { before, after };
}

/** Words and punctuation marks inserted and deleted; whitespace-only changes count as none. */
export function diffStats(ops: readonly DiffOp[]): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  for (const { op, text } of ops) {
    if (op === "equal") continue;
    const words = scan(text).words.length;
    if (op === "insert") inserted += words;
    else deleted += words;
  }
  return { inserted, deleted };
}
