import type { DiffOp } from "@/lib/diff/words";

export type Piece = { kind: DiffOp["op"]; text: string } | { kind: "fold"; text: string; words: number };
/** One paragraph of the diff: both sides of it line up in the side-by-side layout. */
export type Row = { pieces: Piece[]; changed: boolean };
export type Block = { kind: "row"; row: Row } | { kind: "fold"; rows: Row[]; words: number };

export type FoldOptions = {
  /** Unchanged runs with more words than this fold away. */
  foldOver?: number;
  /** Words kept visible on the side of a folded run that touches a change. */
  context?: number;
};

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const NEWLINES = /\n[\s]*\n|\n/;

export const countWords = (text: string) => text.match(WORD)?.length ?? 0;

/**
 * Splits a diff into paragraphs. Unchanged text breaks rows at its line breaks; a change that
 * starts or ends with a line break next to unchanged text becomes a row of its own, so an
 * inserted paragraph sits beside an empty cell rather than inside its neighbour.
 */
export function diffRows(ops: readonly DiffOp[]): Row[] {
  const rows: Row[] = [];
  let pieces: Piece[] = [];
  const close = () => {
    const kept = pieces.filter((p) => p.text !== "");
    if (kept.some((p) => p.text.trim() !== "")) rows.push({ pieces: kept, changed: kept.some((p) => p.kind !== "equal" && p.text.trim() !== "") });
    pieces = [];
  };
  ops.forEach((op, i) => {
    if (op.op === "equal") {
      const parts = op.text.split(NEWLINES);
      parts.forEach((part, k) => {
        if (k > 0) close();
        pieces.push({ kind: "equal", text: part });
      });
      return;
    }
    let text = op.text;
    const prevEqual = i === 0 || ops[i - 1]!.op === "equal";
    const nextEqual = i === ops.length - 1 || ops[i + 1]!.op === "equal";
    const lead = /^\s*\n\s*/.exec(text);
    if (lead && prevEqual) {
      close();
      text = text.slice(lead[0].length);
    }
    const trail = /\s*\n\s*$/.exec(text);
    if (trail && nextEqual) {
      pieces.push({ kind: op.op, text: text.slice(0, text.length - trail[0].length) });
      close();
      return;
    }
    pieces.push({ kind: op.op, text });
  });
  close();
  return rows;
}

/** Cuts `text` after its first `n` words (`from: "start"`) or before its last `n` words. */
function cutAtWords(text: string, n: number, from: "start" | "end"): number {
  const words = [...text.matchAll(WORD)];
  if (n <= 0) return from === "start" ? 0 : text.length;
  if (words.length <= n) return from === "start" ? text.length : 0;
  return from === "start" ? words[n - 1]!.index! + words[n - 1]![0].length : words[words.length - n]!.index!;
}

/** Inside a changed paragraph, long unchanged stretches keep a little context next to each change. */
function foldWithin(row: Row, foldOver: number, context: number): Row {
  if (!row.changed) return row;
  const pieces: Piece[] = [];
  row.pieces.forEach((piece, i) => {
    const words = piece.kind === "equal" ? countWords(piece.text) : 0;
    if (piece.kind !== "equal" || words <= foldOver) {
      pieces.push(piece);
      return;
    }
    const keepHead = i > 0 ? context : 0;
    const keepTail = i < row.pieces.length - 1 ? context : 0;
    const headEnd = cutAtWords(piece.text, keepHead, "start");
    const tailStart = cutAtWords(piece.text, keepTail, "end");
    const middle = piece.text.slice(headEnd, tailStart);
    const hidden = countWords(middle);
    if (hidden <= context) {
      pieces.push(piece);
      return;
    }
    if (headEnd > 0) pieces.push({ kind: "equal", text: piece.text.slice(0, headEnd) });
    pieces.push({ kind: "fold", text: middle, words: hidden });
    if (tailStart < piece.text.length) pieces.push({ kind: "equal", text: piece.text.slice(tailStart) });
  });
  return { ...row, pieces };
}

/**
 * A diff laid out for reading: paragraphs, with runs of unchanged paragraphs longer than
 * `foldOver` words folded into one block, and long unchanged stretches inside a changed
 * paragraph folded down to `context` words either side of the change.
 */
export function diffBlocks(ops: readonly DiffOp[], { foldOver = 40, context = 10 }: FoldOptions = {}): Block[] {
  const blocks: Block[] = [];
  let run: Row[] = [];
  const flush = () => {
    const words = run.reduce((n, r) => n + r.pieces.reduce((m, p) => m + countWords(p.text), 0), 0);
    if (words > foldOver) blocks.push({ kind: "fold", rows: run, words });
    else for (const row of run) blocks.push({ kind: "row", row });
    run = [];
  };
  for (const row of diffRows(ops)) {
    if (!row.changed) {
      run.push(row);
      continue;
    }
    flush();
    blocks.push({ kind: "row", row: foldWithin(row, foldOver, context) });
  }
  flush();
  return blocks;
}
