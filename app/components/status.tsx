import type { Precision } from "@/db/schema";
import { formatDate, isoAt, statusLabel, statusMeaning } from "@/lib/format";
import type { Status } from "@/lib/status";

// A shape as well as a word: the status must read without colour.
const glyph: Record<Status, string> = {
  standing: "○",
  confirmed: "✓",
  disputed: "⚠",
  corrected: "✎",
  retracted: "✕",
};

export function StatusBadge({ status, explain = false }: { status: Status; explain?: boolean }) {
  return (
    <>
      <span className={`badge badge-${status}`}>
        <span aria-hidden="true">{glyph[status]} </span>
        {statusLabel[status]}
      </span>
      {explain && <span className="visually-hidden"> ({statusMeaning[status]})</span>}
    </>
  );
}

export function ContestedBadge() {
  return (
    <span className="badge badge-contested">
      <span aria-hidden="true">⇄ </span>Contested
    </span>
  );
}

export function When({ date, precision = "day" }: { date: Date; precision?: Precision }) {
  return <time dateTime={isoAt(date, precision)}>{formatDate(date, precision)}</time>;
}
