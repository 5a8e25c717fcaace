import Link from "next/link";
import { plural } from "@/lib/format";
import { edgeVerb, type DrawnPicture } from "@/lib/provenance";

// The words beside a picture are capped like the timeline: a reader who needs them all has the
// story's API and provenance document.
const RELATIONS_LISTED = 60;

/** A provenance picture with its key and, for readers who do not see it, the same relations in words. */
export function ProvenanceFigure({ drawn, caption, file }: { drawn: DrawnPicture; caption: string; file?: string }) {
  const { picture, relations, alone } = drawn;
  const listed = relations.slice(0, RELATIONS_LISTED);
  return (
    <>
      <figure className="provenance">
        {/* Drawn on the server from escaped text (lib/provenance/draw.ts); it carries no script. */}
        <div className="provenance-scroll" dangerouslySetInnerHTML={{ __html: drawn.svg }} />
        <figcaption>
          <p>
            {caption} Each box is a claim, with its outlet, its date and its status, written out and shown by its border and icon: a ring
            for standing, a tick for confirmed, a warning sign for disputed, a struck ring for corrected, a cross for retracted. Arrows point
            from a relay or an answer to the claim it relays or answers; the first report sits on the left.
          </p>
          {picture.grouped && (
            <p className="notice">
              This story has {plural(picture.grouped.claims, "claim")} from {plural(picture.grouped.outlets, "outlet")}, too many to draw one
              by one: each box gathers an outlet’s claims on one question (the busiest outlets of each, the others together), and each arrow
              counts the relays or links it stands for. A half-filled ring marks a box whose claims stand differently.
              {picture.undrawn.length > 0 &&
                ` The ${plural(picture.undrawn.length, "smallest bundle")} of arrows are left out of the drawing; the list below starts with the largest, and the story’s provenance document holds every relation.`}
            </p>
          )}
          {file && (
            <p className="meta">
              <a href={file} type="image/svg+xml">
                The picture alone (SVG)
              </a>
            </p>
          )}
        </figcaption>
      </figure>
      <details className="provenance-words">
        <summary>The same relations in words</summary>
        {relations.length === 0 ? (
          <p className="meta">No claim relays or answers another yet.</p>
        ) : (
          <ul className="compact">
            {listed.map(({ edge, from, to }) => (
              <li key={edge.id}>
                <Link href={from.href}>{from.name}</Link> {edgeVerb[edge.kind]} <Link href={to.href}>{to.name}</Link>
                {edge.count > 1 && ` (${plural(edge.count, "time")})`}
              </li>
            ))}
          </ul>
        )}
        {relations.length > listed.length && <p className="meta">…and {plural(relations.length - listed.length, "more relation")}.</p>}
        {alone.length > 0 && (
          <>
            <p className="meta">Standing alone, with no relay or link:</p>
            <ul className="compact">
              {alone.map((n) => (
                <li key={n.id}>
                  <Link href={n.href}>{n.name}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </details>
    </>
  );
}
