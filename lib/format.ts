import type { Precision } from "@/db/schema";
import type { Status } from "@/lib/status";

// Formatters are built once: building one costs more than formatting a date with it, and a page
// formats a date for every event it shows.
const formatters = {
  month: new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }),
  day: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
  time: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }),
};

/** A date as precise as it is known: "2025", "June 2025", "14 Oct 2024", or with the time. */
export function formatDate(date: Date, precision: Precision = "day"): string {
  switch (precision) {
    case "year":
      return String(date.getUTCFullYear());
    case "month":
    case "day":
      return formatters[precision].format(date);
    case "time":
      return `${formatters.time.format(date)} UTC`;
  }
}

/** The value for a <time datetime> attribute at the same precision. */
export function isoAt(date: Date, precision: Precision = "time"): string {
  const iso = date.toISOString();
  return precision === "year" ? iso.slice(0, 4) : precision === "month" ? iso.slice(0, 7) : precision === "day" ? iso.slice(0, 10) : iso;
}

export const statusLabel: Record<Status, string> = {
  standing: "Standing",
  confirmed: "Confirmed",
  disputed: "Disputed",
  corrected: "Corrected",
  retracted: "Retracted",
};

const isMidnight = (date: Date) => date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;

/** An instant in a reader's words: the day alone when it falls at midnight UTC, else with the time. */
export function formatInstant(date: Date): string {
  return formatDate(date, isMidnight(date) ? "day" : "time");
}

/** An instant as a shareable query value: `2024-10-14` for a midnight, the full ISO time otherwise. */
export function instantParam(date: Date): string {
  return isMidnight(date) ? date.toISOString().slice(0, 10) : date.toISOString();
}

/** What a status means, for readers and screen readers, who cannot rely on a badge's colour. */
export const statusMeaning: Record<Status, string> = {
  standing: "No later report has challenged it.",
  confirmed: "A later report confirmed it.",
  disputed: "A report that still stands contradicts it.",
  corrected: "A later report corrected or superseded it.",
  retracted: "It was retracted.",
};

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** Cuts a text at a word boundary, for titles and descriptions that have a length budget. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/u, "")}…`;
}

/** The host a link leads to, for link text ("the original at thewrap.com"); the address itself if it will not parse. */
export function hostLabel(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}
