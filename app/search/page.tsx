import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ClaimSource, RelayNotice } from "@/app/components/claim";
import { QueryProblems } from "@/app/components/problems";
import { readSearchParams, type SearchParams } from "@/app/components/query";
import { StatusBadge } from "@/app/components/status";
import { plural } from "@/lib/format";
import { readSearch, RESULTS_PER_KIND, type Highlighted } from "@/lib/search";
import { searchQuery } from "@/lib/validation";

type Props = { searchParams: SearchParams };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { data } = await readSearchParams(searchParams, searchQuery);
  return {
    title: data.q ? `Search: ${data.q}` : "Search",
    description: "Full-text search over claims, quotes, stories and outlets.",
    alternates: { canonical: "/search" },
    // Result pages are endless and thin; the pages they lead to are what should be indexed.
    robots: data.q ? { index: false, follow: true } : undefined,
  };
}

function Marked({ parts }: { parts: Highlighted }) {
  return parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>));
}

export default async function SearchPage({ searchParams }: Props) {
  await connection();
  const { data, problems } = await readSearchParams(searchParams, searchQuery);
  const q = data.q ?? "";
  const results = q ? await readSearch(q) : null;
  const total = results ? results.claims.length + results.stories.length + results.outlets.length : 0;
  return (
    <>
      <header className="page-head">
        <h1>Search</h1>
        <form action="/search" method="get" role="search" aria-label="Claims and stories" className="big-search">
          <label htmlFor="search-q">Search claims, quotes, stories and outlets</label>
          <div className="search-row">
            <input id="search-q" name="q" type="search" defaultValue={q} maxLength={200} aria-describedby="search-help" />
            <button type="submit">Search</button>
          </div>
          <p id="search-help" className="meta">
            Put a phrase in “quotes” to find those words together; put a minus before a word to leave it out; “or” between words finds either.
          </p>
        </form>
      </header>
      <QueryProblems problems={problems} fallback="Nothing was searched." />
      {results && (
        <section aria-labelledby="results">
          <h2 id="results">
            {!results.searchable
              ? `“${q}” is made only of words too common to search for`
              : total === 0
                ? `Nothing found for “${q}”`
                : `${plural(total, "result")} for “${q}”`}
          </h2>
          {!results.searchable && <p>Try a more particular word, a name or a phrase from the quote.</p>}
          {results.claims.length > 0 && (
            <>
              <h3>Claims and quotes</h3>
              <ol className="plain results">
                {results.claims.map(({ claim, text, quote }) => (
                  <li key={claim.id} className="card">
                    <p className="claim-text">
                      <Link href={`/claims/${claim.id}`}>
                        <Marked parts={text} />
                      </Link>{" "}
                      <StatusBadge status={claim.status} />
                    </p>
                    {quote && (
                      <blockquote className="quote">
                        <p>
                          “<Marked parts={quote} />”
                        </p>
                      </blockquote>
                    )}
                    <ClaimSource claim={claim} />
                    <RelayNotice claim={claim} />
                  </li>
                ))}
              </ol>
              {results.claims.length === RESULTS_PER_KIND && <p className="meta">Showing the best {RESULTS_PER_KIND}; add words to narrow the search.</p>}
            </>
          )}
          {results.stories.length > 0 && (
            <>
              <h3>Stories</h3>
              <ol className="plain results">
                {results.stories.map((s) => (
                  <li key={s.slug} className="card">
                    <p className="claim-text">
                      <Link href={`/stories/${s.slug}`}>
                        <Marked parts={s.title} />
                      </Link>
                    </p>
                    {s.summary && (
                      <p className="summary">
                        <Marked parts={s.summary} />
                      </p>
                    )}
                  </li>
                ))}
              </ol>
            </>
          )}
          {results.outlets.length > 0 && (
            <>
              <h3>Outlets</h3>
              <ul className="plain results">
                {results.outlets.map((o) => (
                  <li key={o.slug} className="card">
                    <Link href={`/outlets/${o.slug}`}>
                      <Marked parts={o.name} />
                    </Link>{" "}
                    <span className="meta">· {plural(o.claims, "claim")}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}
