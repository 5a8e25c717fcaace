// What a fresh copy of an article is, against the versions already kept: the same, the same but
// for typography or a timestamp, an earlier version back again, or a new version.

export type Kept = { id: number; text: string };

export type Comparison =
  | { outcome: "unchanged"; versionId: number }
  | { outcome: "cosmetic"; versionId: number; reason: string }
  | { outcome: "timestamp-only"; versionId: number; reason: string }
  | { outcome: "flip-flop"; versionId: number; reason: string }
  | { outcome: "new-version" };

/**
 * The words of a text, for comparing without typography: quote marks, dashes, other punctuation
 * and whitespace drop out; letters, digits and the marks inside a word or number ("Wiseman's",
 * "3.5", "1,000", "10:30") stay, case included. So a changed word or number is never cosmetic.
 */
export function wordsOf(text: string): string[] {
  const plain = text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201B\u2032\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"');
  return plain.match(/[\p{L}\p{N}\p{M}]+(?:['.,:\u00B7][\p{L}\p{N}\p{M}]+)*/gu) ?? [];
}

const MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const WEEKDAY = "(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\\.?,?";
const TIME = "\\d{1,2}[:.]\\d{2}(?:[:.]\\d{2})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s*(?:utc|gmt|[a-z]{1,3}t)(?:\\s*[+-]\\d{1,2}(?::?\\d{2})?)?)?";
const DATE = [
  "\\d{4}-\\d{2}-\\d{2}(?:[t ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:z|[+-]\\d{2}:?\\d{2})?)?",
  `${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?(?:\\s+\\d{4})?`,
  `\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?(?:\\s+\\d{4})?`,
  "\\d{1,2}/\\d{1,2}/\\d{2,4}",
].join("|");
const RELATIVE = "(?:\\d+|an?|one)\\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?\\s+ago|just now|yesterday|today";
// A stamp: an optional label ("Updated", "Last modified on"), then dates, times and relative
// times, in any order; the label is only dropped together with what it labels.
const STAMP = new RegExp(
  `(?:\\b(?:last\\s+)?(?:updated|published|posted|modified|edited)(?:\\s+(?:on|at))?:?\\s*)?(?:\\b(?:${WEEKDAY}\\s*)?(?:${DATE}|${RELATIVE}|${TIME})(?:\\s*(?:,|at|@|·|-|\\|)?\\s*(?:${DATE}|${TIME}))*)`,
  "giu",
);

/** A text without its timestamps ("Updated 3 minutes ago", "Oct. 15, 2024 10:32 AM ET"). */
export const withoutTimestamps = (text: string): string => text.replace(STAMP, " ");

const sameWords = (a: string[], b: string[]) => a.length === b.length && a.every((w, i) => w === b[i]);

/** Classifies `text` against the latest version and the earlier ones. */
export function compareWithVersions(text: string, latest: Kept | null, earlier: Kept[]): Comparison {
  if (!latest) return { outcome: "new-version" };
  if (text === latest.text) return { outcome: "unchanged", versionId: latest.id };
  const words = wordsOf(text);
  if (sameWords(words, wordsOf(latest.text))) return { outcome: "cosmetic", versionId: latest.id, reason: "only whitespace, quote marks, dashes or punctuation changed" };
  if (sameWords(wordsOf(withoutTimestamps(text)), wordsOf(withoutTimestamps(latest.text)))) {
    return { outcome: "timestamp-only", versionId: latest.id, reason: "only a date or time in the text changed" };
  }
  // A page that goes back to what it was, as A/B tests make them do, is no new version.
  for (const version of [...earlier].reverse()) {
    if (version.text === text || sameWords(words, wordsOf(version.text))) {
      return { outcome: "flip-flop", versionId: version.id, reason: `identical to version ${version.id}, an earlier one` };
    }
  }
  return { outcome: "new-version" };
}
