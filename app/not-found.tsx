import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not found", robots: { index: false } };

export default function NotFound() {
  return (
    <article className="not-found">
      <h1>We could not find that page</h1>
      <p>The story, claim, outlet or document at this address does not exist, or the address is mistyped.</p>
      <p>You could:</p>
      <ul>
        <li>
          <Link href="/">browse all stories</Link>, newest changes first;
        </li>
        <li>search for the words you remember:</li>
      </ul>
      <form action="/search" method="get" role="search" aria-label="Find it" className="big-search">
        <label htmlFor="nf-q">Search claims, quotes, stories and outlets</label>
        <div className="search-row">
          <input id="nf-q" name="q" type="search" />
          <button type="submit">Search</button>
        </div>
      </form>
    </article>
  );
}
