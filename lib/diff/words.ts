import DiffMatchPatch from "diff-match-patch";

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

// Codes are single UTF-16 units outside the surrogate block: diff-match-patch slices and
// compares code units, and a surrogate code could pair with its neighbour and be split
// or joined in ways the decoder would not expect.
const SURROGATES = 0xe000 - 0xd800;
const ALPHABET = 0x10000 - SURROGATES;
const codeUnit = (index: number) => (index < 0xd800 ? index : index + SURROGATES);

// Tokens found on one side only can never be part of an equality, so all of one side's
// unique tokens can share a single code without changing the result. Only tokens present
// on both sides need codes of their own, which keeps the alphabet from running out on
// anything short of pathological input.
const ONLY_BEFORE = 0;
const ONLY_AFTER = 1;
const FIRST_SHARED = 2;

function toCodeString(units: Uint16Array): string {
  // Spread arguments are capped by the engine's stack, so long texts go in slices.
  let out = "";
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out;
}

/**
 * One UTF-16 unit per word of each side, equal units exactly where the words are equal;
 * null when the sides share no word at all.
 */
function encode(a: Scan, b: Scan): [string, string] | null {
  const ids = new Map<string, number>();
  const idsOf = (scan: Scan) =>
    scan.words.map((at) => {
      const token = scan.tokens[at]!;
      let id = ids.get(token);
      if (id === undefined) ids.set(token, (id = ids.size));
      return id;
    });
  const aIds = idsOf(a);
  const bIds = idsOf(b);
  const aCount = new Uint32Array(ids.size);
  const bCount = new Uint32Array(ids.size);
  for (const id of aIds) aCount[id]!++;
  for (const id of bIds) bCount[id]!++;

  let shared: number[] = [];
  for (let id = 0; id < ids.size; id++) if (aCount[id]! > 0 && bCount[id]! > 0) shared.push(id);
  // Nothing can match, and the diff library would still spend quadratic time proving it.
  if (shared.length === 0) return null;
  if (shared.length > ALPHABET - FIRST_SHARED) {
    // More distinct shared tokens than codes. Reusing a code for two different tokens
    // would let the diff call them equal and corrupt the output, so the rarest ones are
    // treated as if they were unique to each side instead: the diff stays correct, it just
    // shows those few tokens as replaced rather than kept. Rare tokens are chosen because
    // they contribute the fewest possible matches.
    const weight = (id: number) => Math.min(aCount[id]!, bCount[id]!);
    shared = shared.sort((x, y) => weight(y) - weight(x)).slice(0, ALPHABET - FIRST_SHARED);
  }
  const code = new Int32Array(ids.size).fill(-1);
  shared.forEach((id, index) => (code[id] = codeUnit(FIRST_SHARED + index)));
  const side = (sideIds: number[], unique: number) => {
    const units = new Uint16Array(sideIds.length);
    for (let i = 0; i < sideIds.length; i++) {
      const c = code[sideIds[i]!]!;
      units[i] = c < 0 ? unique : c;
    }
    return toCodeString(units);
  };
  return [side(aIds, codeUnit(ONLY_BEFORE)), side(bIds, codeUnit(ONLY_AFTER))];
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

const dmp = new DiffMatchPatch();
// No deadline: with one, diff-match-patch may settle for a non-minimal diff on large
// inputs, and then the same pair of texts could diff differently on a slower machine.
dmp.Diff_Timeout = 0;

// Past this many words on both sides together, two unrelated texts could keep a request busy
// for many seconds (the search is quadratic in the worst case), so the diff is bounded in time
// and may then be slightly longer than minimal. Texts of 100 KB each stay well under it.
const MINIMAL_WORDS_LIMIT = 60_000;
const bounded = new DiffMatchPatch();
bounded.Diff_Timeout = 1;

const DIFF_DELETE = -1;
const DIFF_INSERT = 1;

/**
 * A word-level diff of two texts: the fewest words and punctuation marks deleted and
 * inserted to turn `before` into `after` (short of the alphabet overflow handled in
 * `encode`, which no realistic text reaches).
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
  // Decoding goes by position rather than by code, because codes shared by unique tokens
  // do not identify a token; equal codes on both sides do guarantee equal tokens.
  let aWord = 0;
  let bWord = 0;
  let aNext = 0;
  let bNext = 0;
  const engine = aWords.length + bWords.length > MINIMAL_WORDS_LIMIT ? bounded : dmp;
  for (const [kind, codes] of encoded ? engine.diff_main(encoded[0], encoded[1], false) : []) {
    if (kind === DIFF_DELETE) aWord += codes.length;
    else if (kind === DIFF_INSERT) bWord += codes.length;
    else {
      for (let k = 0; k < codes.length; k++) {
        const aAt = aWords[aWord++]!;
        const bAt = bWords[bWord++]!;
        emitGap(out, a, aNext, aAt, b, bNext, bAt);
        out.push("equal", a[aAt]!);
        aNext = aAt + 1;
        bNext = bAt + 1;
      }
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
