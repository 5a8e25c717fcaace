import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AsOfControl } from "@/app/components/as-of";
import { ClaimSource, ClaimSummary, Quote, RelayNotice, sourceEditSentence } from "@/app/components/claim";
import { orNotFound } from "@/app/components/load";
import { Pager } from "@/app/components/pager";
import { ProvenanceFigure } from "@/app/components/provenance";
import { QueryProblems } from "@/app/components/problems";
import { hrefWith, readSearchParams, type SearchParams } from "@/app/components/query";
import { ContestedBadge, StatusBadge, When } from "@/app/components/status";
import { CARD } from "@/lib/cards/size";
import { feedAlternates } from "@/lib/feeds/discovery";
import type { ClaimView } from "@/lib/claims";
import { formatInstant, instantParam, plural, truncate } from "@/lib/format";
import { describeLink, replaces } from "@/lib/links";
import { readStoryPicture, readStoryStrip } from "@/lib/provenance";
import { readStoryOutline, readStoryPage, type ShownQuestion, type TimelineEvent } from "@/lib/stories";
import { storyPageQuery } from "@/lib/validation";

type Props = { params: Promise<{ slug: string }>; searchParams: SearchParams };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { slug } = await params;
  const { data: query } = await readSearchParams(searchParams, storyPageQuery);
  const { story } = await orNotFound(readStoryOutline(slug, query));
  const path = `/stories/${story.slug}`;
  const description = truncate(story.summary ?? `What was reported about “${story.title}”, and how it was corrected.`, 200);
  return {
    title: story.title,
    description,
    alternates: {
      canonical: path,
      types: {
        ...feedAlternates(path, story.title).types,
        "application/ld+json": [{ url: `/api/stories/${story.slug}/provenance`, title: "Provenance (W3C PROV-O)" }],
      },
    },
    openGraph: { type: "article", title: story.title, description, url: path, siteName: "Claimtrail", images: [{ url: `${path}/card.png`, ...CARD, alt: story.title }] },
    twitter: { card: "summary_large_image" },
  };
}

function Answer({ claim }: { claim: ClaimView }) {
  return (
    <div className="answer" role="group" aria-label="Best answer">
      <p className="answer-text">
        <Link href={`/claims/${claim.id}`}>{claim.text}</Link> <StatusBadge status={claim.status} />
      </p>
      <Quote claim={claim} />
      <ClaimSource claim={claim} />
      <RelayNotice claim={claim} />
    </div>
  );
}

function Question({ question }: { question: ShownQuestion }) {
  const { others, unlisted } = question;
  return (
    <section className="question" aria-labelledby={`q-${question.id}`}>
      <h3 id={`q-${question.id}`}>
        {question.label} {question.contested && <ContestedBadge />}
      </h3>
      {question.best ? <Answer claim={question.best} /> : <p className="meta">No answer has been reported yet.</p>}
      {question.contested && <p className="notice">Reports that still stand disagree on this.</p>}
      {others.length > 0 && (
        <>
          <h4>Also reported</h4>
          <ul className="plain compact">
            {others.map((c) => (
              <li key={c.id}>
                <ClaimSummary claim={c} quote={false} document={false} />
              </li>
            ))}
          </ul>
          {unlisted > 0 && <p className="meta">…and {plural(unlisted, "more claim")} in the timeline below.</p>}
        </>
      )}
      {question.replaced.length > 0 && (
        <>
          <h4>Answers it replaced</h4>
          <ul className="plain compact replaced">
            {question.replaced.map((c) => (
              <li key={c.id}>
                <ClaimSummary claim={c} quote={false} document={false} relay={false} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Event({ event, path, knownAt }: { event: TimelineEvent; path: string; knownAt?: string }) {
  const asOfHere = hrefWith(path, { asOf: instantParam(event.at), knownAt });
  if (event.type === "claim") {
    return (
      <li className="event event-claim">
        <p className="event-when">
          <Link href={asOfHere} title="The account as of this change">
            <When date={event.at} precision={event.claim.document.precision} />
          </Link>{" "}
          · {event.claim.relaysClaimId ? "relayed" : "reported"}
        </p>
        <ClaimSummary claim={event.claim} />
      </li>
    );
  }
  if (event.type === "source-edit") {
    const { claim, edit } = event;
    return (
      <li className="event event-source-edit">
        <p className="event-when">
          <Link href={asOfHere} title="The account as of this change">
            <When date={event.at} />
          </Link>{" "}
          · edited without notice
        </p>
        <p className="event-headline">
          {sourceEditSentence(claim, edit)}: <Link href={`/claims/${claim.id}#source-edits`}>the passage a claim quotes</Link>
        </p>
        <ClaimSummary claim={claim} />
      </li>
    );
  }
  const { link, from, to, toRelays } = event;
  const headline = describeLink(link.kind, { outlet: from.outlet, target: to.outlet, targetRelays: toRelays?.outlet ?? null });
  const sameOutlet = from.outlet.id === to.outlet.id;
  const hasDiff = replaces(link.kind);
  return (
    <li className={`event event-link event-${link.kind}`}>
      <p className="event-when">
        <Link href={asOfHere} title="The account as of this change">
          <When date={event.at} />
        </Link>{" "}
        · {link.kind}
      </p>
      <p className="event-headline">{headline}</p>
      <dl className="link-ends">
        <dt>{sameOutlet ? "Now" : from.outlet.name}</dt>
        <dd>
          <Link href={`/claims/${from.id}`}>{from.text}</Link> <StatusBadge status={from.status} />
        </dd>
        <dt>{sameOutlet ? "Before" : to.outlet.name}</dt>
        <dd>
          <Link href={`/claims/${to.id}`}>{to.text}</Link> <StatusBadge status={to.status} />
        </dd>
      </dl>
      {link.note && <p className="meta">{link.note}</p>}
      {hasDiff && (
        <p className="meta">
          <Link href={`/claims/${to.id}#link-${link.id}`}>What the {link.kind === "retracts" ? "retraction" : "correction"} changed</Link>
        </p>
      )}
    </li>
  );
}

export default async function StoryPage({ params, searchParams }: Props) {
  await connection();
  const { slug } = await params;
  const { data: query, problems } = await readSearchParams(searchParams, storyPageQuery);
  // The page reads the story's words only for what it shows: the leading answers and one page of
  // the timeline, which big stories page so that a page's size does not grow with the story.
  const [view, picture, strip] = await orNotFound(Promise.all([readStoryPage(slug, query), readStoryPicture(slug, query), readStoryStrip(slug, query)]));
  const path = `/stories/${view.story.slug}`;
  const clockParams = { asOf: query.asOf ? instantParam(query.asOf) : undefined, knownAt: query.knownAt ? instantParam(query.knownAt) : undefined };
  const knownAt = query.knownAt ? instantParam(query.knownAt) : undefined;
  const firstEvent = view.stops[0];
  const { page, pages, first, events } = view.timeline;
  const pageHref = (n: number) => hrefWith(path, { asOf: query.asOf ? instantParam(query.asOf) : undefined, knownAt, page: n === 1 ? undefined : n });
  const changesHref = hrefWith(`${path}/changes`, {
    from: firstEvent ? instantParam(firstEvent) : undefined,
    to: query.asOf ? instantParam(query.asOf) : undefined,
  });

  return (
    <article className="story">
      <header className="page-head">
        <p className="kicker">Story</p>
        <h1>{view.story.title}</h1>
        {view.story.summary && <p className="lede">{view.story.summary}</p>}
      </header>
      <QueryProblems problems={problems} fallback="Showing the latest account instead." />
      <AsOfControl path={path} events={view.stops} asOf={query.asOf} knownAt={query.knownAt} />
      {strip && (
        <figure className="strip">
          {/* Drawn on the server from escaped text (lib/provenance/strip.ts); it carries no script. */}
          <div className="strip-scroll" dangerouslySetInnerHTML={{ __html: strip }} />
          <figcaption className="meta">
            The story over time: each column counts what happened in its stretch of time, and leads to the account as of then
            {query.asOf && "; the line marks the date shown, and what came later is faded"}.
          </figcaption>
        </figure>
      )}

      <section aria-labelledby="account">
        <h2 id="account">
          {query.asOf ? (
            <>
              The account as of <time dateTime={query.asOf.toISOString()}>{formatInstant(query.asOf)}</time>
            </>
          ) : (
            "The current account"
          )}
        </h2>
        {query.knownAt && (
          <p className="meta">
            As Claimtrail had recorded it by <time dateTime={query.knownAt.toISOString()}>{formatInstant(query.knownAt)}</time>.
          </p>
        )}
        {view.questions.length === 0 && <p className="meta">No questions have been set for this story yet.</p>}
        {view.questions.map((q) => (
          <Question key={q.id} question={q} />
        ))}
      </section>

      <section className="later" aria-labelledby="provenance">
        <h2 id="provenance">Who relayed and answered whom</h2>
        <ProvenanceFigure
          drawn={picture}
          caption={query.asOf ? "The claims published by the date above and the links between them." : "The claims of this story and the links between them."}
          file={hrefWith(`${path}/graph.svg`, clockParams)}
        />
      </section>

      <section className="later" aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <p className="meta">
          Every claim and correction in date order: {plural(view.claimCount, "claim")}, {plural(view.linkCount, "link")} between claims.{" "}
          <Link href={changesHref}>Compare two dates</Link>
        </p>
        {events.length === 0 ? (
          <p className="meta">Nothing had been reported by then.</p>
        ) : (
          <ol className="timeline" start={first}>
            {events.map((e) => (
              <Event key={e.type === "claim" ? `c${e.claim.id}` : e.type === "link" ? `l${e.link.id}` : `e${e.edit.checkId}`} event={e} path={path} knownAt={knownAt} />
            ))}
          </ol>
        )}
        <Pager label="Timeline pages" page={page} pages={pages} href={pageHref} previous="Earlier events" next="Later events" />
      </section>
    </article>
  );
}
