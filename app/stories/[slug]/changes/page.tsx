import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ClaimSummary } from "@/app/components/claim";
import { Diff, DiffLayoutSwitch, type DiffLayout } from "@/app/components/diff";
import { orNotFound } from "@/app/components/load";
import { QueryProblems } from "@/app/components/problems";
import { hrefWith, readSearchParams, type SearchParams } from "@/app/components/query";
import { StatusBadge, When } from "@/app/components/status";
import { diffWords } from "@/lib/diff/words";
import type { ClaimView } from "@/lib/claims";
import { formatInstant, instantParam, plural } from "@/lib/format";
import { linkPassive } from "@/lib/links";
import { readChanges, readStoryOutline } from "@/lib/stories";
import { changesPageQuery } from "@/lib/validation";

type Props = { params: Promise<{ slug: string }>; searchParams: SearchParams };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { data: query } = await readSearchParams(searchParams, changesPageQuery);
  const { story } = await orNotFound(readStoryOutline((await params).slug, { knownAt: query.knownAt }));
  const path = `/stories/${story.slug}/changes`;
  return {
    title: `What changed: ${story.title}`,
    description: `How the account of “${story.title}” changed between two dates: answers before and after, claims added, statuses changed and why.`,
    alternates: { canonical: path },
  };
}

const dayValue = (d: Date) => d.toISOString().slice(0, 10);

export default async function ChangesPage({ params, searchParams }: Props) {
  await connection();
  const { slug } = await params;
  const { data: query, problems } = await readSearchParams(searchParams, changesPageQuery);
  // The story (as its metadata reads it) and its stops come from one read, at the recording date asked for.
  const { story, stops: events } = await orNotFound(readStoryOutline(slug, { knownAt: query.knownAt }));
  // Left out, the second date is the recording date asked for, else now (which the cached read keeps as "now").
  const givenTo = query.to ?? query.knownAt;
  let to = givenTo ?? new Date();
  // By default: from the change before the latest one, so the page opens on the most recent change.
  let from = query.from ?? (events.length > 1 ? events[events.length - 2]! : (events[0] ?? to));
  const swapped = from > to;
  if (swapped) {
    problems.push("The first date was after the second; they have been swapped.");
    [from, to] = [to, from];
  }
  const changes = await readChanges(slug, { from, to: givenTo || swapped ? to : undefined, knownAt: query.knownAt });
  const layout: DiffLayout = query.layout ?? "inline";
  const path = `/stories/${story.slug}/changes`;
  const params_ = { from: instantParam(from), to: query.to ? instantParam(to) : undefined, knownAt: query.knownAt ? instantParam(query.knownAt) : undefined };
  const known = new Map<number, ClaimView>();
  for (const c of [...changes.added, ...changes.statusChanges.map((s) => s.claim)]) known.set(c.id, c);
  for (const q of changes.questions) for (const c of [q.before, q.after]) if (c) known.set(c.id, c);
  const changed = changes.questions.filter((q) => q.changed);

  return (
    <article className="changes">
      <header className="page-head">
        <p className="kicker">
          <Link href={`/stories/${story.slug}`}>{story.title}</Link>
        </p>
        <h1>What changed</h1>
        <p className="lede">
          From <time dateTime={from.toISOString()}>{formatInstant(from)}</time> to{" "}
          {query.to ? <time dateTime={to.toISOString()}>{formatInstant(to)}</time> : "now"}: {plural(changed.length, "answer")} changed,{" "}
          {plural(changes.added.length, "claim")} added, {plural(changes.statusChanges.length, "status", "statuses")} changed.
        </p>
      </header>
      <QueryProblems problems={problems} fallback="The dates that could be read are used; the others take their defaults." />
      <form method="get" action={path} className="range-form">
        <div>
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={dayValue(from)} />
        </div>
        <div>
          <label htmlFor="to">To</label>
          <input id="to" name="to" type="date" defaultValue={query.to ? dayValue(to) : ""} aria-describedby="to-help" />
          <span id="to-help" className="meta">
            empty for now
          </span>
        </div>
        {query.knownAt && <input type="hidden" name="knownAt" value={instantParam(query.knownAt)} />}
        <button type="submit">Compare</button>
      </form>
      {events.length > 0 && (
        <p className="meta">
          Changes in this story happened on:{" "}
          {events.map((e, i) => (
            <span key={e.toISOString()}>
              {i > 0 && ", "}
              <When date={e} />
            </span>
          ))}
          .
        </p>
      )}

      <section aria-labelledby="answers">
        <h2 id="answers">Answers, before and after</h2>
        {changes.questions.length > 0 && changed.length > 0 && (
          <DiffLayoutSwitch current={layout} hrefFor={(l) => hrefWith(path, { ...params_, layout: l === "inline" ? undefined : l })} />
        )}
        {changes.questions.length === 0 && <p className="meta">This story has no questions yet.</p>}
        {changes.questions.map((q) => (
          <section key={q.id} className="question" aria-labelledby={`cq-${q.id}`}>
            <h3 id={`cq-${q.id}`}>{q.label}</h3>
            {!q.changed ? (
              <p>
                <span className="meta">Unchanged:</span> {q.after ? <Link href={`/claims/${q.after.id}`}>{q.after.text}</Link> : "no answer yet."}
              </p>
            ) : (
              <>
                <dl className="before-after">
                  <dt>Before</dt>
                  <dd>
                    {q.before ? (
                      <>
                        <Link href={`/claims/${q.before.id}`}>{q.before.text}</Link> <span className="meta">({q.before.outlet.name})</span>
                      </>
                    ) : (
                      "No answer yet."
                    )}
                  </dd>
                  <dt>After</dt>
                  <dd>
                    {q.after ? (
                      <>
                        <Link href={`/claims/${q.after.id}`}>{q.after.text}</Link> <span className="meta">({q.after.outlet.name})</span>
                      </>
                    ) : (
                      "No answer any more."
                    )}
                  </dd>
                </dl>
                <Diff
                  ops={diffWords(q.before?.text ?? "", q.after?.text ?? "")}
                  layout={layout}
                  before={`Before, ${formatInstant(from)}`}
                  after={query.to ? `After, ${formatInstant(to)}` : "Now"}
                  caption="The answer"
                />
              </>
            )}
          </section>
        ))}
      </section>

      <section aria-labelledby="added">
        <h2 id="added">Claims added</h2>
        {changes.added.length === 0 ? (
          <p className="meta">None.</p>
        ) : (
          <ol className="plain">
            {changes.added.map((c) => (
              <li key={c.id} className="card">
                <ClaimSummary claim={c} />
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="statuses">
        <h2 id="statuses">Statuses changed, and why</h2>
        {changes.statusChanges.length === 0 ? (
          <p className="meta">None.</p>
        ) : (
          <ol className="plain">
            {changes.statusChanges.map(({ claim, before, after, causes }) => (
              <li key={claim.id} className="card">
                <p className="claim-text">
                  <Link href={`/claims/${claim.id}`}>{claim.text}</Link>
                </p>
                <p>
                  <StatusBadge status={before} /> <span aria-hidden="true">→</span>
                  <span className="visually-hidden">became</span> <StatusBadge status={after} />{" "}
                  <span className="meta">({claim.outlet.name})</span>
                </p>
                {causes.length > 0 && (
                  <ul>
                    {causes.map((cause) => {
                      const by = known.get(cause.fromClaimId);
                      return (
                        <li key={cause.id}>
                          {linkPassive[cause.kind]} {by ? by.outlet.name : "another claim"} on <When date={cause.effectiveAt} />:{" "}
                          <Link href={`/claims/${cause.fromClaimId}`}>{by ? by.text : `claim ${cause.fromClaimId}`}</Link>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}
