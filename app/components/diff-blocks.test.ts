import { describe, expect, it } from "vitest";
import { diffWords } from "@/lib/diff/words";
import { diffBlocks, diffRows, type Block, type Piece } from "./diff-blocks";

const words = (n: number, word = "word") => Array.from({ length: n }, (_, i) => `${word}${i}`).join(" ");
const side = (pieces: Piece[], drop: "insert" | "delete") => pieces.filter((p) => p.kind !== drop).map((p) => p.text).join("");
const shown = (blocks: Block[]) =>
  blocks.map((b) => (b.kind === "fold" ? `[${b.words} folded]` : b.row.pieces.map((p) => (p.kind === "fold" ? `[${p.words} folded]` : p.text)).join("")));

describe("diff rows", () => {
  it("keeps a one-sentence correction in one row, with the old and new words side by side", () => {
    const rows = diffRows(diffWords("It was a two-to-three-month overseas shoot.", "It lasted less than one month."));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.changed).toBe(true);
    expect(side(rows[0]!.pieces, "insert")).toBe("It was a two-to-three-month overseas shoot.");
    expect(side(rows[0]!.pieces, "delete")).toBe("It lasted less than one month.");
  });

  it("puts an inserted paragraph in a row of its own, beside nothing", () => {
    const rows = diffRows(diffWords("First paragraph.\n\nSecond paragraph.", "Update: new words here.\n\nFirst paragraph.\n\nSecond paragraph."));
    expect(rows.map((r) => [side(r.pieces, "insert"), side(r.pieces, "delete"), r.changed])).toEqual([
      ["", "Update: new words here.", true],
      ["First paragraph.", "First paragraph.", false],
      ["Second paragraph.", "Second paragraph.", false],
    ]);
  });

  it("keeps every word of both sides", () => {
    const before = "One two three.\n\nFour five six.\n\nSeven.";
    const after = "One 2 three.\n\nFour five six and more.\n\nEight.";
    const rows = diffRows(diffWords(before, after));
    expect(rows.map((r) => side(r.pieces, "insert")).join("\n\n")).toBe(before);
    expect(rows.map((r) => side(r.pieces, "delete")).join("\n\n")).toBe(after);
  });
});

describe("diff blocks", () => {
  it("folds a long run of unchanged paragraphs into one control that counts its words", () => {
    const before = `${words(30, "a")}\n\n${words(30, "b")}\n\nThe end was near.`;
    const after = `${words(30, "a")}\n\n${words(30, "b")}\n\nThe end was far.`;
    const blocks = diffBlocks(diffWords(before, after));
    expect(blocks[0]).toMatchObject({ kind: "fold", words: 60 });
    expect(blocks[0]!.kind === "fold" && blocks[0]!.rows).toHaveLength(2);
    expect(blocks[1]).toMatchObject({ kind: "row", row: { changed: true } });
  });

  it("shows short unchanged paragraphs as they are", () => {
    const blocks = diffBlocks(diffWords("Short one.\n\nNear.", "Short one.\n\nFar."));
    expect(shown(blocks)).toEqual(["Short one.", "NearFar."]);
    expect(blocks.every((b) => b.kind === "row")).toBe(true);
  });

  it("inside a changed paragraph, keeps context words around the change and folds the rest", () => {
    const before = `${words(100)} old ending.`;
    const after = `${words(100)} new ending.`;
    const [block] = diffBlocks(diffWords(before, after), { foldOver: 40, context: 10 });
    expect(block!.kind).toBe("row");
    const pieces = block!.kind === "row" ? block!.row.pieces : [];
    expect(pieces[0]).toMatchObject({ kind: "fold", words: 90 });
    expect(pieces[1]).toMatchObject({ kind: "equal" });
    expect(pieces[1]!.text.trim().split(" ")).toHaveLength(10);
    // Folding hides text, it never loses it.
    expect(side(pieces, "insert")).toBe(before);
  });

  it("never folds a claim-sized diff", () => {
    const blocks = diffBlocks(diffWords("The reshoot was a two-to-three-month overseas shoot.", "The additional photography lasted less than one month."));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.kind === "row" && blocks[0]!.row.pieces.some((p) => p.kind === "fold")).toBe(false);
  });
});
