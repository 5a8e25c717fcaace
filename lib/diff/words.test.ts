import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lcsLength } from "@/lib/testing/lcs";
import { generateEditedPair } from "@/lib/testing/textgen";
import { applyDiff, diffStats, diffWords, tokenize, type DiffOp } from "./words";

// The tokenizer's specification in its most direct form; the real scanner is faster and
// must agree with it on every input.
const referenceTokens = (text: string) => text.match(/\s+|[\p{L}\p{N}\p{M}]+|[^]/gu) ?? [];

function expectWellFormed(ops: DiffOp[], before: string, after: string) {
  expect(applyDiff(ops)).toEqual({ before, after });
  ops.forEach((op, i) => {
    expect(op.text).not.toBe("");
    if (i > 0) expect(op.op).not.toBe(ops[i - 1]!.op);
  });
}

// Minimality is checked over the non-whitespace tokens against the textbook table.
const words = (text: string) => tokenize(text).filter((t) => !/^\s/u.test(t));

// Any UTF-16 unit, lone surrogates included: pasted text does contain them.
const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
// A small vocabulary, so that random pairs share plenty of words and the diff has to
// actually align them.
const vocabulary = ["the", "minister", "said", "Budapest", "Prague", "12", "15", "café", "naïve", "😀", "two", "month", "a"];
const separators = [" ", " ", " ", ", ", ". ", "-", "\n\n", "  ", "“", "” ", "\u00a0", "—"];
const proseish = fc.string({ unit: fc.constantFrom(...vocabulary, ...separators), maxLength: 40 });

const piece = fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(...separators));
const edit = fc.record({ kind: fc.constantFrom("replace", "insert", "delete"), at: fc.nat(), piece });
const editedPair = fc.tuple(fc.array(piece, { maxLength: 60 }), fc.array(edit, { maxLength: 12 })).map(([base, edits]) => {
  const revised = [...base];
  for (const { kind, at, piece } of edits) {
    const index = revised.length === 0 ? 0 : at % revised.length;
    if (kind === "insert" || revised.length === 0) revised.splice(index, 0, piece);
    else if (kind === "replace") revised[index] = piece;
    else revised.splice(index, 1);
  }
  const render = (pieces: [string, string][]) => pieces.map(([w, s]) => w + s).join("");
  return [render(base), render(revised)] as const;
});

describe("tokenize", () => {
  it("keeps words whole and splits punctuation into single characters", () => {
    expect(tokenize("a two-to-three-month  shoot.")).toEqual(["a", " ", "two", "-", "to", "-", "three", "-", "month", "  ", "shoot", "."]);
    expect(tokenize("“Don’t,” she said")).toEqual(["“", "Don", "’", "t", ",", "”", " ", "she", " ", "said"]);
  });

  it("keeps combining marks with their letters and splits emoji by code point", () => {
    expect(tokenize("cafe\u0301 naïve 42km")).toEqual(["cafe\u0301", " ", "naïve", " ", "42km"]);
    expect(tokenize("ok👍🏽!")).toEqual(["ok", "👍", "🏽", "!"]);
  });

  it("treats every kind of whitespace run as one token", () => {
    expect(tokenize("a \t\n\u00a0\u2003b")).toEqual(["a", " \t\n\u00a0\u2003", "b"]);
    expect(tokenize("")).toEqual([]);
  });

  it("gives lone surrogates a token of their own", () => {
    expect(tokenize("a\ud800b\udc00")).toEqual(["a", "\ud800", "b", "\udc00"]);
  });

  it("agrees with the reference pattern and round-trips any string", () => {
    fc.assert(
      fc.property(fc.oneof(utf16, fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), proseish), (text) => {
        const tokens = tokenize(text);
        expect(tokens.join("")).toBe(text);
        expect(tokens).toEqual(referenceTokens(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("diffWords", () => {
  it("keeps a rewritten phrase in one piece around the word it shares", () => {
    expect(diffWords("a two-to-three-month overseas shoot", "less than one month")).toEqual([
      { op: "delete", text: "a two-to-three-" },
      { op: "insert", text: "less than one " },
      { op: "equal", text: "month" },
      { op: "delete", text: " overseas shoot" },
    ]);
    expect(
      diffWords("The film required a two-to-three-month overseas shoot, the studio said.", "The film required less than one month, the studio said."),
    ).toEqual([
      { op: "equal", text: "The film required " },
      { op: "delete", text: "a two-to-three-" },
      { op: "insert", text: "less than one " },
      { op: "equal", text: "month" },
      { op: "delete", text: " overseas shoot" },
      { op: "equal", text: ", the studio said." },
    ]);
  });

  it("shows a swapped name as one deletion and one insertion", () => {
    expect(diffWords("The summit will be held in Budapest next spring.", "The summit will be held in Prague next spring.")).toEqual([
      { op: "equal", text: "The summit will be held in " },
      { op: "delete", text: "Budapest" },
      { op: "insert", text: "Prague" },
      { op: "equal", text: " next spring." },
    ]);
  });

  it("handles added words, added punctuation and changed spacing", () => {
    expect(diffWords("Police said 12 people were hurt.", "Police said at least 15 people were hurt, two seriously.")).toEqual([
      { op: "equal", text: "Police said " },
      { op: "delete", text: "12" },
      { op: "insert", text: "at least 15" },
      { op: "equal", text: " people were hurt" },
      { op: "insert", text: ", two seriously" },
      { op: "equal", text: "." },
    ]);
    expect(diffWords("x y", "x, y")).toEqual([
      { op: "equal", text: "x" },
      { op: "insert", text: "," },
      { op: "equal", text: " y" },
    ]);
    expect(diffWords("a  b", "a b")).toEqual([
      { op: "equal", text: "a" },
      { op: "delete", text: "  " },
      { op: "insert", text: " " },
      { op: "equal", text: "b" },
    ]);
  });

  it("handles empty and identical texts", () => {
    expect(diffWords("", "")).toEqual([]);
    expect(diffWords("", "new text")).toEqual([{ op: "insert", text: "new text" }]);
    expect(diffWords("old text", "")).toEqual([{ op: "delete", text: "old text" }]);
    expect(diffWords("same words", "same words")).toEqual([{ op: "equal", text: "same words" }]);
    expect(diffWords("nothing shared", "entirely different")).toEqual([
      { op: "delete", text: "nothing shared" },
      { op: "insert", text: "entirely different" },
    ]);
  });

  it("is well formed for arbitrary pairs of strings", () => {
    const text = fc.oneof(utf16, fc.string({ unit: "binary", maxLength: 40 }), proseish);
    fc.assert(
      fc.property(text, text, (before, after) => expectWellFormed(diffWords(before, after), before, after)),
      { numRuns: 500 },
    );
  });

  it("is well formed for word-level edits of a text", () => {
    fc.assert(
      fc.property(editedPair, ([before, after]) => expectWellFormed(diffWords(before, after), before, after)),
      { numRuns: 500 },
    );
  });

  it("changes no more words than necessary", () => {
    fc.assert(
      fc.property(fc.oneof(editedPair, fc.tuple(proseish, proseish)), ([before, after]) => {
        const a = words(before);
        const b = words(after);
        const { inserted, deleted } = diffStats(diffWords(before, after));
        expect(inserted + deleted).toBe(a.length + b.length - 2 * lcsLength(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips a pair of 100 KB articles", () => {
    const { before, after } = generateEditedPair({ seed: 7, words: 16_000, edits: 1_100 });
    expect(before.length).toBeGreaterThan(90_000);
    const ops = diffWords(before, after);
    expectWellFormed(ops, before, after);
    const kept = ops.filter((op) => op.op === "equal").reduce((sum, op) => sum + op.text.length, 0);
    expect(kept / before.length).toBeGreaterThan(0.9);
  });

  it("stays minimal when the texts share more distinct words than 16-bit codes could name", () => {
    const distinct = 63_600;
    const base = Array.from({ length: distinct }, (_, i) => `w${i}`);
    const revised = [...base];
    revised[1000] = "changed";
    const before = base.join(" ");
    const after = revised.join(" ");
    const ops = diffWords(before, after);
    expectWellFormed(ops, before, after);
    expect(ops).toEqual([
      { op: "equal", text: base.slice(0, 1000).join(" ") + " " },
      { op: "delete", text: "w1000" },
      { op: "insert", text: "changed" },
      { op: "equal", text: " " + base.slice(1001).join(" ") },
    ]);
  });
});

describe("applyDiff", () => {
  it("rebuilds both sides", () => {
    const ops: DiffOp[] = [
      { op: "equal", text: "held in " },
      { op: "delete", text: "Budapest" },
      { op: "insert", text: "Prague" },
      { op: "equal", text: "." },
    ];
    expect(applyDiff(ops)).toEqual({ before: "held in Budapest.", after: "held in Prague." });
    expect(applyDiff([])).toEqual({ before: "", after: "" });
  });
});

describe("diffStats", () => {
  it("counts words and punctuation but not whitespace", () => {
    expect(diffStats(diffWords("a two-to-three-month overseas shoot", "less than one month"))).toEqual({ inserted: 3, deleted: 9 });
    expect(diffStats(diffWords("a  b", "a b"))).toEqual({ inserted: 0, deleted: 0 });
    expect(diffStats([])).toEqual({ inserted: 0, deleted: 0 });
  });
});

describe("very large unrelated texts", () => {
  it("still diff correctly (in bounded time rather than minimally)", () => {
    // The same vocabulary in two unrelated orders: the worst case for a minimal search.
    const words = (step: number, n: number) => Array.from({ length: n }, (_, i) => `w${(i * step) % 5003}`).join(" ");
    const before = words(7919, 40_000);
    const after = words(104_729, 40_000);
    const ops = diffWords(before, after);
    expect(applyDiff(ops)).toEqual({ before, after });
  });
});
