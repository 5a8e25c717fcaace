import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { QueryProblems } from "@/app/components/problems";
import { hrefWith, readSearchParams, type SearchParams } from "@/app/components/query";
import { When } from "@/app/components/status";
import { feedAlternates } from "@/lib/feeds/discovery";
import { plural } from "@/lib/format";
import { describeChange, readStoryList } from "@/lib/stories";
import { pageQuery } from "@/lib/validation";

const description = "What the news said, who said it first, and how it was corrected: dated claims, their sources, and the corrections between them.";

export const metadata: Metadata = {
  title: { absolute: "Claimtrail: news claims and their corrections" },
  description,
  alternates: { canonical: "/", ...feedAlternates("", "Claimtrail") },
  openGraph: { type: "website", title: "Claimtrail", description, url: "/" },
};

export default async function Home({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const { data, problems } = await readSearchParams(searchParams, pageQuery);
  const page = data.page ?? 1;
  const list = await readStoryList(page);
  return (
    <>
      <header className="page-head">
        <h1>Stories</h1>
        <p className="lede">What was reported, what is known now, and who corrected whom.</p>
        <form action="/search" method="get" role="search" aria-label="Claims and stories" className="big-search">
          <label htmlFor="home-q">Search claims, quotes, stories and outlets</label>
          <div className="search-row">
            <input id="home-q" name="q" type="search" placeholder="“less than one month”" />
            <button type="submit">Search</button>
          </div>
        </form>
      </header>
      <QueryProblems problems={problems} fallback="Showing the first page instead." />
      <h2 className="visually-hidden">Latest changes</h2>
      {list.items.length === 0 ? (
        <p>{page > 1 ? `There is no page ${page}.` : "No stories yet."}</p>
      ) : (
        <ol className="plain stories">
          {list.items.map(({ story, latest }) => (
            <li key={story.id} className="card">
              <h3>
                <Link href={`/stories/${story.slug}`}>{story.title}</Link>
              </h3>
              {latest ? (
                <p className="latest">
                  <Link href={`/claims/${latest.claimId}`}>{describeChange(latest)}</Link> · <When date={latest.at} />
                </p>
              ) : (
                <p className="meta">Nothing reported yet.</p>
              )}
              {story.summary && <p className="summary">{story.summary}</p>}
            </li>
          ))}
        </ol>
      )}
      {list.pages > 1 && (
        <nav aria-label="Pages" className="pager">
          <p className="meta">
            Page {page} of {list.pages} · {plural(list.total, "story", "stories")}
          </p>
          <ul>
            {page > 1 && (
              <li>
                <Link href={hrefWith("/", { page: page - 1 === 1 ? undefined : page - 1 })} rel="prev">
                  ← Newer stories
                </Link>
              </li>
            )}
            {page < list.pages && (
              <li>
                <Link href={hrefWith("/", { page: page + 1 })} rel="next">
                  Older stories →
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}
