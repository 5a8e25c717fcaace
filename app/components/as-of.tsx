import Link from "next/link";
import { formatInstant, instantParam } from "@/lib/format";
import { timeOf } from "@/lib/time";
import { hrefWith } from "./query";

export type Stops = { position: number; total: number; previous: Date | null; next: Date | null };

/** Where `asOf` falls among a story's event instants (oldest first): the stops either side of it. */
export function stopsAround(events: Date[], asOf: Date | undefined): Stops {
  const at = asOf ? timeOf(asOf) : Infinity;
  let position = -1;
  events.forEach((e, i) => {
    if (timeOf(e) <= at) position = i;
  });
  return {
    position,
    total: events.length,
    previous: position > 0 ? events[position - 1]! : null,
    next: position + 1 < events.length ? events[position + 1]! : null,
  };
}

/**
 * The date control of a story's as-of view: a plain GET form (a shareable `?asOf=`), and
 * links that step to the previous and next change, one click each.
 */
export function AsOfControl({ path, events, asOf, knownAt }: { path: string; events: Date[]; asOf?: Date; knownAt?: Date }) {
  const stops = stopsAround(events, asOf);
  const known = knownAt ? instantParam(knownAt) : undefined;
  const link = (at: Date) => hrefWith(path, { asOf: instantParam(at), knownAt: known });
  return (
    <div className="as-of">
      <form method="get" action={path} className="as-of-form">
        <label htmlFor="as-of-date">Show the account as of</label>
        <input id="as-of-date" name="asOf" type="date" defaultValue={asOf ? asOf.toISOString().slice(0, 10) : ""} />
        {known && <input type="hidden" name="knownAt" value={known} />}
        <button type="submit">Show</button>
      </form>
      <nav aria-label="Step through the story's changes" className="stepper">
        <ul>
          <li>
            {stops.previous ? (
              <Link href={link(stops.previous)} rel="prev">
                ← Previous change <span className="meta">({formatInstant(stops.previous)})</span>
              </Link>
            ) : (
              <span className="meta">No earlier change</span>
            )}
          </li>
          <li>
            {stops.next ? (
              <Link href={link(stops.next)} rel="next">
                Next change <span className="meta">({formatInstant(stops.next)})</span> →
              </Link>
            ) : (
              <span className="meta">No later change</span>
            )}
          </li>
          {asOf && (
            <li>
              <Link href={hrefWith(path, { knownAt: known })}>Latest account</Link>
            </li>
          )}
        </ul>
        {stops.total > 0 && (
          <p className="meta">
            {stops.position < 0 ? "Before the first change" : `Change ${stops.position + 1} of ${stops.total}`}
          </p>
        )}
      </nav>
    </div>
  );
}
