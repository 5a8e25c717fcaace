import { timeOf } from "@/lib/time";

// How often a watched article is checked. Articles change most while they are young, so the
// cadence slows as an article ages, as NewsDiffs' does, and a change makes it young again.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The interval for an article of this age (since its publication, last change or watching, whichever is latest); null: stop. */
export function cadenceFor(ageMs: number): number | null {
  if (ageMs < 3 * HOUR) return 15 * MINUTE;
  if (ageMs < DAY) return HOUR;
  if (ageMs < 7 * DAY) return 3 * HOUR;
  if (ageMs < 30 * DAY) return 2 * DAY;
  if (ageMs < 365 * DAY) return 30 * DAY;
  return null;
}

/** Checks are spread by up to a tenth of their interval either way, so that watches made together do not stay together. */
export const JITTER = 0.1;

export type CadenceInput = {
  /** An editor's fixed interval, which replaces the cadence. */
  everyMinutes: number | null;
  publishedAt: Date | null;
  lastChangeAt: Date | null;
  watchedAt: Date;
};

/** When to check next, from `now`; null when the article is over a year old and no editor fixed an interval. */
export function nextCheckAt(watch: CadenceInput, now: Date, random: () => number = Math.random): Date | null {
  const basis = Math.max(...[watch.publishedAt, watch.lastChangeAt, watch.watchedAt].filter((d): d is Date => d !== null).map(timeOf));
  const interval = watch.everyMinutes !== null ? watch.everyMinutes * MINUTE : cadenceFor(timeOf(now) - basis);
  if (interval === null) return null;
  const jitter = (random() * 2 - 1) * JITTER * interval;
  return new Date(timeOf(now) + Math.round(interval + jitter));
}

/** The wait after `failures` failures in a row: a minute, doubled each time, at most six hours. */
export const backoffMs = (failures: number): number => Math.min(6 * HOUR, MINUTE * 2 ** Math.max(0, failures - 1));

/** Failures in a row after which a watch pauses itself. */
export const PAUSE_AFTER_FAILURES = 5;
