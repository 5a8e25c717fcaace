import { plural } from "@/lib/format";

// An edit in a few words, the way a reader would tell it: "3 sentences added at the top".

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

const sentencesOf = (text: string) =>
  Array.from(segmenter.segment(text), (s) => s.segment.replace(/\s+/g, " ").trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));

const where = (indexes: number[], keptBefore: (i: number) => boolean, keptAfter: (i: number) => boolean) => {
  if (indexes.every((i) => !keptBefore(i))) return " at the top";
  if (indexes.every((i) => !keptAfter(i))) return " at the end";
  return "";
};

/**
 * What changed between two versions of a text, counted in sentences: what was added or removed,
 * and where, or how many were reworded. Sentences are matched whole, so a sentence changed in
 * one word counts as one reworded.
 */
export function describeEdit(before: string | null, after: string): string {
  if (before === null) return "its text stored for the first time";
  const old = sentencesOf(before);
  const now = sentencesOf(after);
  const oldSet = new Set(old);
  const newSet = new Set(now);
  const added = now.flatMap((s, i) => (oldSet.has(s) ? [] : [i]));
  const removed = old.flatMap((s, i) => (newSet.has(s) ? [] : [i]));
  const keptIn = (list: string[], other: Set<string>) => list.map((s) => other.has(s));
  const keptNew = keptIn(now, oldSet);
  const keptOld = keptIn(old, newSet);
  const anyBefore = (kept: boolean[]) => (i: number) => kept.slice(0, i).some(Boolean);
  const anyAfter = (kept: boolean[]) => (i: number) => kept.slice(i + 1).some(Boolean);
  if (added.length && !removed.length) return `${plural(added.length, "sentence")} added${where(added, anyBefore(keptNew), anyAfter(keptNew))}`;
  if (removed.length && !added.length) return `${plural(removed.length, "sentence")} removed${where(removed, anyBefore(keptOld), anyAfter(keptOld))}`;
  if (added.length === removed.length && added.length) return `${plural(added.length, "sentence")} reworded`;
  if (added.length) return `${plural(removed.length, "sentence")} rewritten as ${plural(added.length, "sentence")}`;
  return "its spacing or punctuation changed";
}
