import type { Metadata } from "next";
import { connection } from "next/server";
import { ClaimSummary } from "@/app/components/claim";
import { orNotFound } from "@/app/components/load";
import { Pager, pageOf } from "@/app/components/pager";
import { QueryProblems } from "@/app/components/problems";
import { hrefWith, readSearchParams, type SearchParams } from "@/app/components/query";
import { feedAlternates } from "@/lib/feeds/discovery";
import { hostLabel, plural } from "@/lib/format";
import { readOutlet } from "@/lib/outlets";
import { pageQuery } from "@/lib/validation";

type Props = { params: Promise<{ slug: string }>; searchParams: SearchParams };

// An outlet may have logged thousands of claims; a page lists this many, so its size stays the same.
const CLAIMS_PAGE = 25;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { outlet, record } = await orNotFound(readOutlet((await params).slug));
  const path = `/outlets/${outlet.slug}`;
  const description = `${outlet.name}'s claims in Claimtrail and how they fared: ${plural(record.claims, "claim")}, ${record.corrected} later corrected, ${record.disputed} contradicted, ${record.retracted} retracted; ${plural(record.correctionsIssued, "correction")} issued.`;
  return {
    title: outlet.name,
    description,
    alternates: { canonical: path, ...feedAlternates(path, outlet.name) },
    openGraph: { type: "profile", title: outlet.name, description, url: path },
  };
}

export default async function OutletPage({ params, searchParams }: Props) {
  await connection();
  const { data: query, problems } = await readSearchParams(searchParams, pageQuery);
  const { outlet, claims, record } = await orNotFound(readOutlet((await params).slug));
  const path = `/outlets/${outlet.slug}`;
  const { page, pages, shown } = pageOf(claims, query.page, CLAIMS_PAGE);
  const pageHref = (n: number) => hrefWith(path, { page: n === 1 ? undefined : n });
  const figures: [number, string, string][] = [
    [record.claims, "claims", "recorded in Claimtrail"],
    [record.corrected, "corrected", "later corrected or superseded"],
    [record.disputed, "contradicted", "contradicted by a report that still stands"],
    [record.retracted, "retracted", "retracted"],
    [record.correctionsIssued, "corrections issued", "corrections it published itself, of its own or others' claims"],
  ];
  return (
    <article className="outlet">
      <header className="page-head">
        <p className="kicker">Outlet</p>
        <h1>{outlet.name}</h1>
        {outlet.homepage && (
          <p className="meta">
            <a href={outlet.homepage} rel="external noopener">
              {hostLabel(outlet.homepage)}
            </a>
          </p>
        )}
      </header>
      <QueryProblems problems={problems} fallback="Showing the first page instead." />
      <section aria-labelledby="record">
        <h2 id="record">Its record</h2>
        <dl className="record">
          {figures.map(([n, label, meaning]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>
                <span className="figure">{n.toLocaleString("en")}</span> <span className="meta">{meaning}</span>
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="claims">
        <h2 id="claims">Its claims, newest first</h2>
        {claims.length === 0 ? (
          <p className="meta">No claims from {outlet.name} yet.</p>
        ) : (
          <ol className="plain" start={(page - 1) * CLAIMS_PAGE + 1}>
            {shown.map((c) => (
              <li key={c.id} className="card">
                <ClaimSummary claim={c} />
              </li>
            ))}
          </ol>
        )}
        <Pager label="Pages of claims" page={page} pages={pages} href={pageHref} previous="Newer claims" next="Older claims" />
      </section>
    </article>
  );
}
