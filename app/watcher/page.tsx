import type { Metadata } from "next";
import { connection } from "next/server";
import { ROBOTS_AGENT } from "@/lib/watch/hosts";

export const metadata: Metadata = {
  title: "Claimtrail's watcher",
  description: "What Claimtrail's watcher fetches, how often, and how a site can limit it or keep it out.",
  alternates: { canonical: "/watcher" },
};

/** For the owners of the sites the watcher reads: its User-Agent points here. */
export default async function WatcherPage() {
  await connection();
  return (
    <article className="narrow">
      <header className="page-head">
        <p className="kicker">For site owners</p>
        <h1>Claimtrail&apos;s watcher</h1>
        <p className="lede">
          Claimtrail tracks how news reports change. Its watcher reads the articles its editors follow, and the feeds of their outlets, to notice when
          an article is edited.
        </p>
      </header>
      <h2>What it fetches</h2>
      <ul>
        <li>Only the addresses an editor asked it to watch, and articles newly listed in a watched outlet&apos;s RSS or Atom feed.</li>
        <li>
          Often while an article is new or has just changed (every 15 minutes for its first three hours), then less and less: hourly to a day,
          every three hours to a week, every two days to a month, then monthly. After a year without a change it stops.
        </li>
        <li>One request at a time to a site, with a pause between requests, and conditional requests (ETag, Last-Modified), so an unchanged page costs a 304.</li>
        <li>HTML pages of up to a few megabytes; nothing else.</li>
      </ul>
      <h2>How to limit it or keep it out</h2>
      <ul>
        <li>
          It reads <code>robots.txt</code> (at most once a day) and obeys the rules for <code>{ROBOTS_AGENT}</code> or, failing those, for{" "}
          <code>*</code>, including <code>Crawl-delay</code>.
        </li>
        <li>
          It waits as long as a <code>429</code> or <code>503</code> answer&apos;s <code>Retry-After</code> asks, backs off further after errors,
          and stops checking a page after five failures in a row.
        </li>
      </ul>
    </article>
  );
}
