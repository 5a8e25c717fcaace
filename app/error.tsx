"use client";

import Link from "next/link";

/** Shown when a page fails on the server; the message never carries the server's details. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <article className="error-page" role="alert">
      <h1>Something went wrong on our side</h1>
      <p>The page could not be put together just now. It is not something you did; trying again in a moment usually works.</p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>{" "}
        or <Link href="/">go to all stories</Link>.
      </p>
      {error.digest && <p className="meta">Reference for the site's team: {error.digest}</p>}
    </article>
  );
}
