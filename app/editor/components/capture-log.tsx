import type { CaptureView } from "@/lib/watch";
import { formatInstant } from "@/lib/format";

const OUTCOMES: Record<CaptureView["outcome"], string> = {
  "not-modified": "not modified (304)",
  unchanged: "unchanged",
  cosmetic: "cosmetic change only",
  "timestamp-only": "timestamp only",
  "flip-flop": "back to an earlier version",
  "extraction-suspect": "extraction suspect, kept aside",
  refused: "refused",
  failed: "failed",
  "new-version": "new version",
  "feed-read": "feed read",
};

/** The watcher's captures of a document, newest first, with outcomes and reasons. */
export function CaptureLog({ captures }: { captures: CaptureView[] }) {
  if (captures.length === 0) return <p className="meta">No captures yet.</p>;
  return (
    <table className="captures">
      <caption>The watcher&apos;s checks, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Outcome</th>
          <th scope="col">HTTP</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {captures.map((c) => (
          <tr key={c.id}>
            <td>
              <time dateTime={c.at.toISOString()}>{formatInstant(c.at)}</time>
            </td>
            <td className={`outcome outcome-${c.outcome}`}>
              {OUTCOMES[c.outcome]}
              {c.versionId !== null && <> (version {c.versionId})</>}
            </td>
            <td>{c.httpStatus ?? "–"}</td>
            <td>{c.reason ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
