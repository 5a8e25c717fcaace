import Link from "next/link";
import { statusLabel } from "@/lib/format";
import type { ClaimView } from "@/lib/claims";
import { StatusBadge, When } from "./status";

/** Where a claim comes from, in one line: outlet, who it quotes, the document and the date. */
export function ClaimSource({ claim, document = true }: { claim: ClaimView; document?: boolean }) {
  const quoting = claim.speaker && claim.speaker.toLowerCase() !== claim.outlet.name.toLowerCase() ? claim.speaker : null;
  return (
    <p className="meta source">
      <Link href={`/outlets/${claim.outlet.slug}`}>{claim.outlet.name}</Link>
      {quoting && <>, citing {quoting}</>}
      {document && (
        <>
          {" · "}
          <Link href={`/documents/${claim.document.id}`}>{claim.document.title}</Link>
        </>
      )}
      {" · "}
      <When date={claim.assertedAt} precision={claim.document.precision} />
    </p>
  );
}

export function Quote({ claim }: { claim: ClaimView }) {
  if (!claim.quote) return null;
  return (
    <blockquote className="quote">
      <p>“{claim.quote}”</p>
    </blockquote>
  );
}

/** The notice a relay carries when the claim it passes on has fallen. */
export function RelayNotice({ claim }: { claim: ClaimView }) {
  if (!claim.relayOf) return null;
  return (
    <p className="notice">
      This relays <Link href={`/claims/${claim.relayOf.claimId}`}>a claim</Link> that is now {statusLabel[claim.relayOf.status].toLowerCase()}.
    </p>
  );
}

/** A claim as a list item: its words (linking to its page), status, quote and source. */
export function ClaimSummary({ claim, quote = true, document = true, relay = true }: { claim: ClaimView; quote?: boolean; document?: boolean; relay?: boolean }) {
  return (
    <div className={`claim claim-${claim.status}`}>
      <p className="claim-text">
        <Link href={`/claims/${claim.id}`}>{claim.text}</Link> <StatusBadge status={claim.status} /> <SourceEditMark claim={claim} />
      </p>
      {quote && <Quote claim={claim} />}
      <ClaimSource claim={claim} document={document} />
      {relay && <RelayNotice claim={claim} />}
    </div>
  );
}

const EDITED: Record<"changed" | "removed", string> = { changed: "reworded by its source", removed: "removed by its source" };

/**
 * The mark of a silent edit: the source took out or reworded the passage the claim quotes. It is
 * not a status an editor gave, so it is shown apart from the status badge, in words and a shape.
 */
export function SourceEditMark({ claim }: { claim: ClaimView }) {
  const state = claim.anchor.state;
  if (state !== "changed" && state !== "removed") return null;
  return (
    <span className="badge badge-source-edit">
      <span aria-hidden="true">{state === "removed" ? "⌫ " : "≈ "}</span>Quote {EDITED[state]}
    </span>
  );
}

/** "On 16 Oct 2024 ComicBook removed this passage from its article." */
export function sourceEditSentence(claim: ClaimView, edit: ClaimView["sourceEdits"][number]): string {
  const what = edit.state === "removed" ? "removed this passage from" : edit.state === "changed" ? "reworded this passage in" : "put this passage back in";
  return `${claim.outlet.name} ${what} its article`;
}
