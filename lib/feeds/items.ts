import type { LinkKind } from "@/db/schema";
import { diffClaimTexts } from "@/lib/claims/diffs";
import type { ClaimView } from "@/lib/claims/graph";
import { describeEdit } from "@/lib/diff/edits";
import { diffWords, type DiffOp } from "@/lib/diff/words";
import { formatDate, statusLabel } from "@/lib/format";
import { linkTarget, possessive, replaces } from "@/lib/links";
import { timeOf } from "@/lib/time";
import type { ClaimEvent, FeedClaim, FeedEvent, LinkEvent, QuoteEvent, StatusChangeEvent, VersionEvent } from "./events";
import { questionPhrase } from "./phrase";

export type FeedCategory = { scheme: "kind" | "question"; term: string };

/** One event, ready for any of the three formats. Text fields are plain; `html` is markup. */
export type FeedItem = {
  /** Never changes once the event exists, whatever host or format serves it. */
  id: string;
  url: string;
  title: string;
  summary: string;
  html: string;
  /** When Claimtrail published the event. */
  published: Date;
  /** The newest change to anything the item shows. */
  updated: Date;
  authors: string[];
  categories: FeedCategory[];
  /** Machine-readable facts for the JSON Feed extension. */
  facts: Record<string, string | number | null>;
};

export const CATEGORY_SCHEMES: Record<FeedCategory["scheme"], string> = {
  kind: "urn:claimtrail:kind",
  question: "urn:claimtrail:question",
};

// Attributes are always double-quoted, so an apostrophe needs no escaping.
const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Shortens text for a title at a word boundary, never inside a character or an emoji. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const graphemes = Array.from(segmenter.segment(flat), (s) => s.segment);
  if (graphemes.length <= max) return flat;
  const cut = graphemes.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function topicOf(claim: FeedClaim): string {
  if (claim.question) return questionPhrase(claim.question) ?? claim.question;
  return `“${clip(claim.text, 100)}”`;
}

export function linkTitle(event: LinkEvent): string {
  const target = linkTarget({ outlet: event.from.outlet, target: event.to.outlet, targetRelays: event.toRelays?.outlet ?? null });
  return clip(`${event.from.outlet.name} ${event.link.kind} ${target}: ${topicOf(event.to)}`, 300);
}

export function claimTitle(claim: FeedClaim): string {
  return clip(`${claim.outlet.name}: ${claim.text}`, 300);
}

const labelled = (label: string, content: string) => `<p><strong>${escapeHtml(label)}:</strong> ${content}</p>`;

function diffHtml(ops: DiffOp[]): string {
  return ops.map(({ op, text }) => (op === "equal" ? escapeHtml(text) : op === "delete" ? `<del>${escapeHtml(text)}</del>` : `<ins>${escapeHtml(text)}</ins>`)).join("");
}

const sourceDate = (claim: ClaimView) => formatDate(claim.assertedAt, claim.document.precision);
const loggedDate = (at: Date) => formatDate(at, "time");

function sourceHtml(claim: FeedClaim): string {
  const title = escapeHtml(claim.document.title);
  const document = claim.document.url ? `<a href="${escapeHtml(claim.document.url)}">${title}</a>` : title;
  const speaker = claim.speaker && claim.speaker !== claim.outlet.name ? `, quoting ${escapeHtml(claim.speaker)}` : "";
  return `${document}, ${escapeHtml(claim.outlet.name)}${speaker}; published ${escapeHtml(sourceDate(claim))}`;
}

function claimHtml(claim: FeedClaim, label: string, base: string): string {
  const parts = [labelled(label, `<span dir="auto">${escapeHtml(claim.text)}</span>`)];
  if (claim.quote) parts.push(`<blockquote dir="auto"><p>“${escapeHtml(claim.quote)}”</p></blockquote>`);
  parts.push(labelled("Source", sourceHtml(claim)));
  parts.push(`<p><a href="${escapeHtml(`${base}/claims/${claim.id}`)}">Claim ${claim.id} on Claimtrail</a></p>`);
  return parts.join("\n");
}

const storyHtml = (claim: FeedClaim, base: string) =>
  labelled("Story", `<a href="${escapeHtml(`${base}/stories/${claim.story.slug}`)}">${escapeHtml(claim.story.title)}</a>`);

const categoriesOf = (kind: string, claim: FeedClaim): FeedCategory[] => [
  { scheme: "kind", term: kind },
  ...(claim.question ? [{ scheme: "question" as const, term: claim.question }] : []),
];

const authorsOf = (claim: FeedClaim) => (claim.authors.length ? claim.authors : [claim.outlet.name]);

const latest = (...dates: Date[]) => new Date(Math.max(...dates.map(timeOf)));

export function claimItem(event: ClaimEvent, base: string): FeedItem {
  const { claim } = event;
  const now = claim.status;
  const status =
    now === event.statusWhenLogged
      ? statusLabel[now]
      : `${statusLabel[event.statusWhenLogged]} when logged; ${statusLabel[now].toLowerCase()} now`;
  const html = [
    claimHtml(claim, "Statement", base),
    claim.relayOf ? labelled("Relays", `a claim that is now ${statusLabel[claim.relayOf.status].toLowerCase()}`) : "",
    claim.question ? labelled("Question", escapeHtml(claim.question)) : "",
    labelled("Status", escapeHtml(status)),
    storyHtml(claim, base),
    `<p>Logged in Claimtrail on ${escapeHtml(loggedDate(event.at))}.</p>`,
  ].filter(Boolean);
  return {
    id: `urn:claimtrail:claim:${claim.id}`,
    url: `${base}/claims/${claim.id}`,
    title: claimTitle(claim),
    summary: `${claim.text} (${claim.outlet.name}, published ${sourceDate(claim)}; ${status.toLowerCase()})`,
    html: html.join("\n"),
    published: event.at,
    updated: latest(event.at, claim.revisedAt, ...event.linksIn.map((e) => e.createdAt)),
    authors: authorsOf(claim),
    categories: categoriesOf("claim", claim),
    facts: { event: "claim", claim_id: claim.id, status_when_logged: event.statusWhenLogged, status: now },
  };
}

// Corrections replace words (lib/links.ts); contradictions and confirmations set two accounts side by side.
const linkLabels: Record<LinkKind, string> = {
  corrects: "The claim it corrects",
  contradicts: "The claim it contradicts",
  confirms: "The claim it confirms",
  supersedes: "The claim it supersedes",
  retracts: "The claim it retracts",
};

export function linkItem(event: LinkEvent, base: string): FeedItem {
  const { link, from, to } = event;
  const diff = diffClaimTexts(to, from);
  const status = event.before === event.after ? `${statusLabel[event.after]} (unchanged)` : `${statusLabel[event.before]} → ${statusLabel[event.after]}`;
  const whose = `${possessive(to.outlet.name)} claim`;
  const html = [
    labelled(`${replaces(link.kind) ? "Words changed from" : "Words compared with"} ${whose}`, `<span dir="auto">${diffHtml(diff.text)}</span>`),
    to.quote || from.quote ? labelled(replaces(link.kind) ? "Quote changed" : "Quotes compared", `<span dir="auto">${diffHtml(diff.quote)}</span>`) : "",
    labelled(`Status of ${whose}`, escapeHtml(status)),
    link.note ? labelled("Note", `<span dir="auto">${escapeHtml(link.note)}</span>`) : "",
    claimHtml(from, `${possessive(from.outlet.name)} claim`, base),
    claimHtml(to, linkLabels[link.kind], base),
    to.question ? labelled("Question", escapeHtml(to.question)) : "",
    storyHtml(from, base),
    `<p>In effect from ${escapeHtml(formatDate(link.effectiveAt, from.document.precision))}. Logged in Claimtrail on ${escapeHtml(loggedDate(event.at))}.</p>`,
  ].filter(Boolean);
  const title = linkTitle(event);
  return {
    id: `urn:claimtrail:link:${link.id}`,
    url: `${base}/claims/${from.id}`,
    title,
    summary: `${title}. ${whose}: ${status}. Now: “${from.text}” Before: “${to.text}”`,
    html: html.join("\n"),
    published: event.at,
    updated: latest(event.at, from.revisedAt, to.revisedAt),
    authors: authorsOf(from),
    categories: categoriesOf(link.kind, to),
    facts: { event: "link", kind: link.kind, link_id: link.id, from_claim_id: from.id, to_claim_id: to.id, status_before: event.before, status_after: event.after },
  };
}

/** A version the watcher found: "ComicBook edited “Ballerina reshoots”: 2 sentences added at the top", with the word diff. */
export function versionItem(event: VersionEvent, base: string): FeedItem {
  const { version, previous, document, outlet } = event;
  const edit = describeEdit(previous?.text ?? null, version.text);
  const title = clip(`${outlet.name} edited “${clip(document.title, 120)}”: ${edit}`, 300);
  const page = `${base}/documents/${document.id}#version-${version.id}`;
  const source = document.url ? `<a href="${escapeHtml(document.url)}">${escapeHtml(document.title)}</a>` : escapeHtml(document.title);
  const html = [
    previous ? labelled("What changed", `<span dir="auto">${diffHtml(diffWords(previous.text, version.text))}</span>`) : labelled("Text", `<span dir="auto">${escapeHtml(clip(version.text, 2000))}</span>`),
    labelled("Source", `${source}, ${escapeHtml(outlet.name)}`),
    `<p>Seen by Claimtrail's watcher on ${escapeHtml(loggedDate(version.seenAt))}, without an editor. <a href="${escapeHtml(page)}">Every version of this document on Claimtrail</a></p>`,
  ];
  return {
    id: `urn:claimtrail:version:${version.id}`,
    url: page,
    title,
    summary: `${title}. Seen ${loggedDate(version.seenAt)}.`,
    html: html.join("\n"),
    published: event.at,
    updated: event.at,
    authors: document.authors.length ? document.authors : [outlet.name],
    categories: [{ scheme: "kind", term: "version" }],
    facts: { event: "version", version_id: version.id, document_id: document.id, capture_id: version.captureId, previous_version_id: previous?.id ?? null },
  };
}

/** A silent edit: "ComicBook removed a passage a claim quotes: “most of the movie”". */
export function quoteItem(event: QuoteEvent, base: string): FeedItem {
  const { check, claim } = event;
  const quote = claim.quote ?? "";
  const what = check.state === "removed" ? "removed" : check.state === "changed" ? "reworded" : "repeated";
  const title = clip(`${claim.outlet.name} ${what} a passage a claim quotes: “${clip(quote, 120)}”`, 300);
  const page = `${base}/claims/${claim.id}#source-edits`;
  const change =
    check.state === "changed" && check.found !== null
      ? labelled("The passage now", `<span dir="auto">${diffHtml(diffWords(quote, check.found))}</span>`)
      : check.state === "removed"
        ? labelled("Removed", `<span dir="auto"><del>${escapeHtml(quote)}</del></span>`)
        : labelled("Now found more than once", `<span dir="auto">${escapeHtml(quote)}</span>`);
  const html = [
    change,
    `<p>${escapeHtml(claim.outlet.name)} changed its article without a correction notice; Claimtrail saw the new text on ${escapeHtml(loggedDate(check.seenAt))}.</p>`,
    claimHtml(claim, "The claim that quotes it", base),
    storyHtml(claim, base),
  ];
  return {
    id: `urn:claimtrail:quote:${check.id}`,
    url: page,
    title,
    summary: `${title}. Seen ${loggedDate(check.seenAt)}.`,
    html: html.join("\n"),
    published: event.at,
    updated: event.at,
    authors: authorsOf(claim),
    categories: categoriesOf("quote", claim),
    facts: { event: "quote", claim_id: claim.id, state: check.state === "ambiguous" ? "changed" : check.state, version_id: check.versionId, check_id: check.id },
  };
}

/** A status change: "The Wrap’s claim is now disputed: …", with before, after and why. */
export function statusItem(event: StatusChangeEvent, base: string): FeedItem {
  const { change, claim } = event;
  const title = clip(`${possessive(claim.outlet.name)} claim is now ${change.after}: “${clip(claim.text, 120)}”`, 300);
  const html = [
    labelled("Status", `${escapeHtml(change.before)} → ${escapeHtml(change.after)}`),
    labelled("Why", escapeHtml(change.reason)),
    claimHtml(claim, "Statement", base),
    storyHtml(claim, base),
    `<p>In effect from ${escapeHtml(formatDate(change.effectiveAt, "day"))}. Logged in Claimtrail on ${escapeHtml(loggedDate(event.at))}.</p>`,
  ];
  return {
    id: `urn:claimtrail:status:${change.id}`,
    url: `${base}/claims/${claim.id}`,
    title,
    summary: `${title} (was ${change.before}): ${change.reason}.`,
    html: html.join("\n"),
    published: event.at,
    updated: event.at,
    authors: authorsOf(claim),
    categories: categoriesOf("status", claim),
    facts: { event: "status", claim_id: claim.id, status_before: change.before, status_after: change.after, reason: change.reason, link_id: change.linkId },
  };
}

export function feedItem(event: FeedEvent, base: string): FeedItem {
  switch (event.type) {
    case "claim":
      return claimItem(event, base);
    case "link":
      return linkItem(event, base);
    case "version":
      return versionItem(event, base);
    case "quote":
      return quoteItem(event, base);
    case "status":
      return statusItem(event, base);
  }
}
