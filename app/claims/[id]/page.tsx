import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ClaimSource, RelayNotice, SourceEditMark, sourceEditSentence } from "@/app/components/claim";
import { Diff, DiffLayoutSwitch, type DiffLayout } from "@/app/components/diff";
import { orNotFound } from "@/app/components/load";
import { QueryProblems } from "@/app/components/problems";
import { ProvenanceFigure } from "@/app/components/provenance";
import { hrefWith, readSearchParams, type SearchParams } from "@/app/components/query";
import { siteOrigin } from "@/app/components/site";
import { StatusBadge, When } from "@/app/components/status";
import { CITATION_TYPES, diffClaimTexts, readCitation, readClaim, readReference, type ClaimDetail, type ClaimView, type LinkView } from "@/lib/claims";
import { CARD } from "@/lib/cards/size";
import { diffStats, diffWords } from "@/lib/diff/words";
import { formatDate, formatInstant, hostLabel, instantParam, plural, statusLabel, statusMeaning, truncate } from "@/lib/format";
import { claimJsonLd, serializeJsonLd } from "@/lib/jsonld";
import { linkPassive, replaces } from "@/lib/links";
import { readClaimPicture } from "@/lib/provenance";
import { claimPageQuery, id as idSchema } from "@/lib/validation";

type Props = { params: Promise<{ id: string }>; searchParams: SearchParams };

const parseId = (raw: string) => {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success || !/^\d+$/.test(raw)) notFound();
  return parsed.data;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = parseId((await params).id);
  const { claim } = await orNotFound(readClaim(id));
  const path = `/claims/${claim.id}`;
  const description = truncate(
    `${claim.outlet.name}, ${formatDate(claim.assertedAt, claim.document.precision)}: “${claim.text}” ${statusLabel[claim.status]}: ${statusMeaning[claim.status]}`,
    200,
  );
  return {
    title: truncate(claim.text, 70),
    description,
    alternates: {
      canonical: path,
      ...(claim.quote && { types: { "application/ld+json": [{ url: `/api/claims/${claim.id}/annotation`, title: "The quote as a W3C Web Annotation" }] } }),
    },
    openGraph: {
      type: "article",
      title: truncate(claim.text, 90),
      description,
      url: path,
      publishedTime: claim.assertedAt.toISOString(),
      images: [{ url: `${path}/card.png`, ...CARD, alt: `${claim.outlet.name}: ${truncate(claim.text, 120)}` }],
    },
    twitter: { card: "summary_large_image" },
  };
}

/** A claim's words and quote against another's, older first, as the page's chosen layout. */
function ClaimPairDiff({ older, newer, layout }: { older: ClaimView; newer: ClaimView; layout: DiffLayout }) {
  const diff = diffClaimTexts(older, newer);
  const before = `${older.outlet.name}, ${formatDate(older.assertedAt, older.document.precision)}`;
  const after = `${newer.outlet.name}, ${formatDate(newer.assertedAt, newer.document.precision)}`;
  const quoteChanged = older.quote && newer.quote && (diffStats(diff.quote).inserted > 0 || diffStats(diff.quote).deleted > 0);
  return (
    <>
      <Diff ops={diff.text} layout={layout} before={before} after={after} caption="The statement" />
      {quoteChanged && <Diff ops={diff.quote} layout={layout} before={before} after={after} caption="The quote" />}
    </>
  );
}

function LinkItem({ link, self, direction, layout }: { link: LinkView & { claim: ClaimView }; self: ClaimView; direction: "in" | "out"; layout: DiffLayout }) {
  const other = link.claim;
  const [older, newer] = other.assertedAt <= self.assertedAt ? [other, self] : [self, other];
  return (
    <li id={`link-${link.id}`} className={`link-item link-${link.kind}`}>
      <h3>
        {direction === "in" ? (
          <>
            {linkPassive[link.kind]} {other.outlet.name}
          </>
        ) : (
          <>
            This claim {link.kind} {other.outlet.name}
          </>
        )}{" "}
        <span className="meta">
          · <When date={link.effectiveAt} />
        </span>
      </h3>
      <p className="claim-text">
        <Link href={`/claims/${other.id}`}>{other.text}</Link> <StatusBadge status={other.status} />
      </p>
      <ClaimSource claim={other} />
      {link.note && <p className="meta">Note: {link.note}</p>}
      <ClaimPairDiff older={older} newer={newer} layout={layout} />
    </li>
  );
}

/** What the source did to the quoted passage since, in later versions of its article. */
function SourceEdits({ claim, layout }: { claim: ClaimView; layout: DiffLayout }) {
  if (claim.sourceEdits.length === 0) {
    if (claim.anchor.state === "present" && claim.anchor.checkedVersionId !== claim.versionId) {
      return <p className="meta">Still in the newest version of the article Claimtrail has seen.</p>;
    }
    return null;
  }
  return (
    <div id="source-edits" className="source-edits">
      <p>
        <SourceEditMark claim={claim} />
      </p>
      <ol className="plain">
        {claim.sourceEdits.map((edit) => (
          <li key={edit.checkId}>
            <p>
              On <When date={edit.seenAt} /> {sourceEditSentence(claim, edit)}, without a correction notice.{" "}
              <Link href={`/documents/${claim.document.id}#version-${edit.versionId}`}>See that version</Link>
              <span className="meta"> · recorded {formatInstant(edit.recordedAt)}</span>
            </p>
            {edit.state !== "present" && (
              <Diff
                ops={diffWords(claim.quote ?? "", edit.found ?? "")}
                layout={layout}
                before="The passage as quoted"
                after={edit.state === "removed" ? "Removed" : "The passage now"}
                caption="What the source did to the passage"
              />
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Why({ detail }: { detail: ClaimDetail }) {
  const { claim } = detail;
  const byId = new Map([...detail.linksIn].map((l) => [l.id, l.claim]));
  return (
    <div className={`status-box status-${claim.status}`}>
      <p>
        <StatusBadge status={claim.status} /> {statusMeaning[claim.status]} <SourceEditMark claim={claim} />
      </p>
      {claim.causes.length > 0 && (
        <ul>
          {claim.causes.map((cause) => {
            const by = byId.get(cause.id);
            return (
              <li key={cause.id}>
                {linkPassive[cause.kind]}{" "}
                {by ? (
                  <>
                    <Link href={`/claims/${by.id}`}>{by.outlet.name}</Link> (“{truncate(by.text, 80)}”)
                  </>
                ) : (
                  <Link href={`/claims/${cause.fromClaimId}`}>another claim</Link>
                )}{" "}
                on <When date={cause.effectiveAt} />. <a href={`#link-${cause.id}`}>See what changed</a>
              </li>
            );
          })}
        </ul>
      )}
      <RelayNotice claim={claim} />
    </div>
  );
}

const VIA = { relay: "relayed", match: "in like words", self: "" } as const;

/** Who said it first, as far as Claimtrail knows at the clock, and which other outlets repeated it when. */
function FirstAppearance({ detail }: { detail: ClaimDetail }) {
  const { claim, firstAppearance: first, spread } = detail;
  const firstIsThis = first.claimId === claim.id;
  return (
    <section aria-labelledby="first-appearance">
      <h2 id="first-appearance">First appearance and spread</h2>
      <p>
        {firstIsThis ? (
          <>
            {claim.outlet.name} reported this first, on <When date={first.assertedAt} />, of the claims Claimtrail holds
          </>
        ) : (
          <>
            First reported by <Link href={`/claims/${first.claimId}`}>{first.outlet.name}</Link> on <When date={first.assertedAt} />
            {first.via === "match" ? ", in words like these" : ""}
          </>
        )}
        {spread.outlets > 0 ? (
          <>
            ; repeated by {plural(spread.outlets, "outlet")} within {plural(spread.days ?? 1, "day")}.
          </>
        ) : (
          <>; no other outlet is known to have repeated it.</>
        )}
      </p>
      {spread.outlets > 0 && (
        <ol className="spread">
          {spread.repeats.map((r) => (
            <li key={r.claimId}>
              <When date={r.assertedAt} />: {r.claimId === claim.id ? <strong>{r.outlet.name} (this claim)</strong> : <Link href={`/claims/${r.claimId}`}>{r.outlet.name}</Link>}
              {r.via !== "self" && <span className="meta"> · {VIA[r.via]}{r.score !== null && ` (match ${Math.round(r.score * 100)} %)`}</span>}
            </li>
          ))}
        </ol>
      )}
      <p className="meta">Counted: claims marked as relays, and claims worded closely alike that no editor has marked, dismissed, or linked as a correction or dispute.</p>
    </section>
  );
}

const CITATION_LABELS = { bibtex: "BibTeX", ris: "RIS", "csl-json": "CSL-JSON" } as const;

/** The claim as a reference in words and in the formats reference managers import. */
async function CiteThis({ id, origin }: { id: number; origin: string }) {
  const formats = Object.keys(CITATION_LABELS) as (keyof typeof CITATION_LABELS)[];
  const [reference, ...texts] = await Promise.all([readReference(id, origin), ...formats.map((f) => readCitation(id, origin, f))]);
  return (
    <section aria-labelledby="cite">
      <h2 id="cite">Cite this claim</h2>
      <p className="reference">{reference}</p>
      <p className="meta">
        The files below also carry the claim, its quote and this page’s address: {origin}/claims/{id}
      </p>
      {formats.map((format, i) => (
        <details key={format} className="citation">
          <summary>{CITATION_LABELS[format]}</summary>
          <pre>
            <code>{texts[i]}</code>
          </pre>
          <p className="meta">
            <a href={`/api/claims/${id}/cite?format=${format}`} download={`claim-${id}.${CITATION_TYPES[format].extension}`}>
              Download the {CITATION_LABELS[format]} file
            </a>
          </p>
        </details>
      ))}
    </section>
  );
}

export default async function ClaimPage({ params, searchParams }: Props) {
  await connection();
  const id = parseId((await params).id);
  const { data: query, problems } = await readSearchParams(searchParams, claimPageQuery);
  const layout: DiffLayout = query.layout ?? "inline";
  const timed = query.asOf !== undefined || query.knownAt !== undefined;
  const clock = { asOf: query.asOf, knownAt: query.knownAt };
  const [detail, picture] = await orNotFound(Promise.all([readClaim(id, clock), readClaimPicture(id, clock)]));
  const { claim, relayChain, linksIn, linksOut, revisions } = detail;
  const origin = await siteOrigin();
  const path = `/claims/${claim.id}`;
  const time = { asOf: query.asOf ? instantParam(query.asOf) : undefined, knownAt: query.knownAt ? instantParam(query.knownAt) : undefined };
  const layoutHref = (l: DiffLayout) => hrefWith(path, { ...time, layout: l === "inline" ? undefined : l });
  const corrections = [...linksIn, ...linksOut].some((l) => replaces(l.kind));
  const hasDiffs = relayChain.length > 0 || linksIn.length + linksOut.length > 0 || revisions.length > 1;
  const chain = [claim, ...relayChain];

  return (
    <article className="claim-page">
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeJsonLd(claimJsonLd(detail, (p) => `${origin}${p}`)) }} />
      <header className="page-head">
        <p className="kicker">
          Claim in <Link href={`/stories/${claim.storySlug}`}>the story</Link>
        </p>
        <h1>{claim.text}</h1>
        <ClaimSource claim={claim} />
        {timed && (
          <p className="meta">
            As {query.asOf ? <>published by {formatInstant(query.asOf)}</> : "published now"}
            {query.knownAt && <>, as recorded by {formatInstant(query.knownAt)}</>}. <Link href={path}>See it as of now</Link>
          </p>
        )}
      </header>
      <QueryProblems problems={problems} fallback="Showing the claim as it stands now, with inline diffs." />

      {claim.quote && (
        <section aria-labelledby="quote">
          <h2 id="quote">The quote</h2>
          <figure className="quote-figure">
            <blockquote className="quote" cite={claim.document.url ?? undefined}>
              <p>“{claim.quote}”</p>
            </blockquote>
            <figcaption>
              {claim.speaker ? `${claim.speaker}, in ` : "In "}
              <Link href={`/documents/${claim.document.id}`}>{claim.document.title}</Link> ({claim.outlet.name},{" "}
              <When date={claim.document.publishedAt} precision={claim.document.precision} />)
              {claim.document.url && (
                <>
                  {" · "}
                  <a href={claim.document.url} rel="external noopener">
                    the original at {hostLabel(claim.document.url)}
                  </a>
                </>
              )}
            </figcaption>
          </figure>
          <p className="meta">{claim.quoteVerified ? "Checked word for word against the stored text of the document." : "Not checked against a stored text of the document."}</p>
          <SourceEdits claim={claim} layout={layout} />
        </section>
      )}

      <section aria-labelledby="status">
        <h2 id="status">Status and why</h2>
        <Why detail={detail} />
      </section>

      <FirstAppearance detail={detail} />

      <section aria-labelledby="neighbourhood">
        <h2 id="neighbourhood">Where it came from and where it went</h2>
        {picture.relations.length === 0 ? (
          <p className="meta">No claim relays this one or answers it, and it relays or answers none.</p>
        ) : (
          <ProvenanceFigure drawn={picture} caption="This claim (outlined in blue), the relays it came through and went on to, and the claims it links with." />
        )}
      </section>

      {hasDiffs && <DiffLayoutSwitch current={layout} hrefFor={layoutHref} />}

      {relayChain.length > 0 && (
        <section aria-labelledby="relay">
          <h2 id="relay">Relay chain</h2>
          <p className="meta">
            {claim.outlet.name} passed this on from {relayChain.at(-1)!.outlet.name}
            {relayChain.length > 1 && ` through ${relayChain.length - 1} other ${relayChain.length === 2 ? "outlet" : "outlets"}`}. Where the words
            drifted along the way, the diff shows it.
          </p>
          <ol className="relay-chain">
            {relayChain.map((parent, i) => {
              const child = chain[i]!;
              return (
                <li key={parent.id}>
                  <p>
                    {child.id === claim.id ? "This claim" : child.outlet.name} relays{" "}
                    {i === relayChain.length - 1 ? <strong>the origin</strong> : "a relay"}:{" "}
                  </p>
                  <p className="claim-text">
                    <Link href={`/claims/${parent.id}`}>{parent.text}</Link> <StatusBadge status={parent.status} />
                  </p>
                  <ClaimSource claim={parent} />
                  <Diff ops={diffClaimTexts(parent, child).text} layout={layout} before={parent.outlet.name} after={child.outlet.name} caption="How the words drifted" />
                </li>
              );
            })}
          </ol>
        </section>
      )}

      <section aria-labelledby="links">
        <h2 id="links">{corrections ? "Corrections and other links" : "Links to other claims"}</h2>
        {linksIn.length + linksOut.length === 0 && <p className="meta">No other claim corrects, contradicts or confirms this one, and it links to none.</p>}
        {linksIn.length > 0 && (
          <>
            <h3 className="sub">About this claim</h3>
            <ul className="plain links">
              {linksIn.map((l) => (
                <LinkItem key={l.id} link={l} self={claim} direction="in" layout={layout} />
              ))}
            </ul>
          </>
        )}
        {linksOut.length > 0 && (
          <>
            <h3 className="sub">By this claim</h3>
            <ul className="plain links">
              {linksOut.map((l) => (
                <LinkItem key={l.id} link={l} self={claim} direction="out" layout={layout} />
              ))}
            </ul>
          </>
        )}
      </section>

      <CiteThis id={claim.id} origin={origin} />

      <section aria-labelledby="revisions">
        <h2 id="revisions">Revisions in Claimtrail</h2>
        {revisions.length <= 1 ? (
          <p className="meta">Recorded once, on {revisions[0] ? formatInstant(revisions[0].createdAt) : "an unknown date"}, and never edited.</p>
        ) : (
          <ol className="revisions">
            {revisions.map((rev, i) => {
              const prev = revisions[i - 1];
              return (
                <li key={rev.revision}>
                  <h3>
                    Revision {rev.revision} <span className="meta">· {formatInstant(rev.createdAt)}</span>
                  </h3>
                  {rev.reason && <p>Reason: {rev.reason}</p>}
                  {prev ? (
                    <Diff ops={diffClaimTexts(prev, rev).text} layout={layout} before={`Revision ${prev.revision}`} after={`Revision ${rev.revision}`} caption="Edit" />
                  ) : (
                    <p className="meta">First recorded as: “{rev.text}”</p>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </article>
  );
}
