import type { ClaimOutline } from "@/lib/claims/graph";
import { formatDate, plural } from "@/lib/format";
import type { TimelineEvent } from "@/lib/stories";
import { timeOf } from "@/lib/time";
import { xmlAttr, xmlText } from "@/lib/xml";

// A story's change over time as a strip: a dated axis with a column for each stretch of time that
// saw reports, relays, links or silent edits, stacked by kind, and a line at the as-of date. It is
// a plain chart, so it is drawn here rather than by the layout library.

type Kind = "report" | "relay" | "link" | "edit";
const KINDS: Kind[] = ["report", "relay", "link", "edit"];
const KIND_WORDS: Record<Kind, [string, string]> = {
  report: ["report", "reports"],
  relay: ["relay", "relays"],
  link: ["correction or other link", "corrections and other links"],
  edit: ["silent edit", "silent edits"],
};
const COLOUR: Record<Kind, string> = { report: "#0b57a4", relay: "#7a8089", link: "#8a1212", edit: "#4a2a7a" };

type Event = TimelineEvent<ClaimOutline>;

const kindOf = (e: Event): Kind => (e.type === "claim" ? (e.claim.relaysClaimId ? "relay" : "report") : e.type === "link" ? "link" : "edit");

const DAY = 86_400_000;
const WIDTH = 720;
const HEIGHT = 132;
const LEFT = 16;
const RIGHT = 16;
const BASE = 92;
const BAR_MAX = 64;
const COLUMNS = 60;

type Column = { start: number; end: number; first: number; last: number; counts: Record<Kind, number>; total: number };

function ticks(from: number, to: number): number[] {
  const span = to - from;
  const out: number[] = [];
  const d = new Date(from);
  if (span <= 14 * DAY) {
    for (let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); t <= to; t += DAY) if (t >= from) out.push(t);
  } else if (span <= 3 * 365 * DAY) {
    const step = span <= 200 * DAY ? 1 : span <= 400 * DAY ? 2 : 6;
    for (let m = d.getUTCMonth(), y = d.getUTCFullYear(); ; m += step) {
      const t = Date.UTC(y, m, 1);
      if (t > to) break;
      if (t >= from) out.push(t);
    }
  } else {
    for (let y = d.getUTCFullYear(); Date.UTC(y, 0, 1) <= to; y++) if (Date.UTC(y, 0, 1) >= from) out.push(Date.UTC(y, 0, 1));
  }
  // Keep the labels apart on the axis.
  const every = Math.ceil(out.length / 8);
  return out.filter((_, i) => i % every === 0);
}

const tickLabel = (t: number, span: number) => formatDate(new Date(t), span <= 200 * DAY ? "day" : span <= 3 * 365 * DAY ? "month" : "year");

/**
 * The strip for a story's events (all it holds, as known at the page's knownAt), with the as-of
 * date marked and what came after it faded. `href` gives the address of the account as of an instant.
 */
export function drawStrip(events: Event[], options: { asOf?: Date; href: (at: Date) => string; title: string }): string | null {
  if (events.length === 0) return null;
  const first = timeOf(events[0]!.at);
  const last = timeOf(events.at(-1)!.at);
  const asOf = options.asOf ? timeOf(options.asOf) : null;
  const from = first - DAY / 2;
  const to = Math.max(last, asOf ?? last) + DAY / 2;
  const step = Math.max(DAY, Math.ceil((to - from) / COLUMNS / DAY) * DAY);
  const x = (t: number) => LEFT + ((t - from) / (to - from)) * (WIDTH - LEFT - RIGHT);
  const columns = new Map<number, Column>();
  for (const e of events) {
    const at = timeOf(e.at);
    const index = Math.floor((at - from) / step);
    const col = columns.get(index) ?? columns.set(index, { start: from + index * step, end: from + (index + 1) * step, first: at, last: at, counts: { report: 0, relay: 0, link: 0, edit: 0 }, total: 0 }).get(index)!;
    col.last = at;
    col.counts[kindOf(e)]++;
    col.total++;
  }
  const most = Math.max(...[...columns.values()].map((c) => c.total));
  // Heights grow with the square root, so a burst of relays does not flatten the rest.
  const height = (n: number) => (n === 0 ? 0 : Math.max(6, (Math.sqrt(n) / Math.sqrt(most)) * BAR_MAX));
  const barWidth = Math.max(4, Math.min(18, (x(from + step) - x(from)) * 0.7));
  const span = to - from;
  const parts: string[] = [];
  for (const t of ticks(from, to)) {
    parts.push(`<line x1="${x(t).toFixed(1)}" y1="${BASE}" x2="${x(t).toFixed(1)}" y2="${BASE + 5}" stroke="#555b64"/>`);
    parts.push(`<text x="${x(t).toFixed(1)}" y="${BASE + 18}" font-size="11" text-anchor="middle" fill="#555b64">${xmlText(tickLabel(t, span))}</text>`);
  }
  for (const col of columns.values()) {
    const centre = x(Math.min(Math.max(col.start + step / 2, from), to));
    // Events come oldest first, so a column's first event tells whether all of it came later.
    const later = asOf !== null && col.first > asOf;
    const words = KINDS.filter((k) => col.counts[k]).map((k) => plural(col.counts[k], KIND_WORDS[k][0], KIND_WORDS[k][1]));
    const when = step === DAY ? formatDate(new Date(col.start + DAY / 2)) : `${formatDate(new Date(col.start))} – ${formatDate(new Date(col.end - 1))}`;
    const label = `${when}: ${words.join(", ")}${later ? " (after the date shown)" : ""}`;
    let y = BASE;
    const total = height(col.total);
    const bars = KINDS.filter((k) => col.counts[k]).map((k) => {
      const h = (col.counts[k] / col.total) * total;
      y -= h;
      return `<rect x="${(centre - barWidth / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOUR[k]}"/>`;
    });
    parts.push(
      `<a href="${xmlAttr(options.href(new Date(col.last)))}" aria-label="${xmlAttr(label)}"><g${later ? ` opacity="0.35"` : ""}>${bars.join("")}</g></a>`,
    );
  }
  if (asOf !== null) {
    const ax = x(asOf).toFixed(1);
    const anchor = x(asOf) > WIDTH * 0.75 ? "end" : "start";
    parts.push(`<line x1="${ax}" y1="14" x2="${ax}" y2="${BASE + 4}" stroke="#f0a500" stroke-width="3"/>`);
    parts.push(`<text x="${ax}" y="11" font-size="11" font-weight="600" text-anchor="${anchor}" fill="#1b1d21">As of ${xmlText(formatDate(options.asOf!))}</text>`);
  }
  const key = KINDS.map(
    (k, i) => `<rect x="${LEFT + i * 170}" y="${HEIGHT - 12}" width="10" height="10" fill="${COLOUR[k]}"/><text x="${LEFT + i * 170 + 14}" y="${HEIGHT - 3}" font-size="11" fill="#1b1d21">${xmlText(KIND_WORDS[k][1])}</text>`,
  ).join("");
  return (
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="group" aria-labelledby="strip-title" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">` +
    `<title id="strip-title">${xmlText(options.title)}</title>` +
    `<line x1="${LEFT}" y1="${BASE}" x2="${WIDTH - RIGHT}" y2="${BASE}" stroke="#555b64"/>` +
    parts.join("") +
    key +
    `</svg>`
  );
}
