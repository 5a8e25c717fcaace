import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { siteOrigin } from "@/app/components/site";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  return {
    metadataBase: new URL(await siteOrigin()),
    title: { default: "Claimtrail", template: "%s · Claimtrail" },
    description: "What the news said, who said it first, and how it was corrected.",
    openGraph: { siteName: "Claimtrail", type: "website" },
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#fdfcf9" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="site">
          <Link href="/" className="brand">
            Claimtrail
          </Link>
          <form action="/search" method="get" role="search" aria-label="Site" className="site-search">
            <label htmlFor="site-q" className="visually-hidden">
              Search claims, quotes, stories and outlets
            </label>
            <input id="site-q" name="q" type="search" placeholder="Search claims and quotes" autoComplete="off" />
            <button type="submit">Search</button>
          </form>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site">
          <p>Claimtrail tracks dated news claims, their sources and their corrections.</p>
          <p>
            <Link href="/">All stories</Link> · <Link href="/search">Search</Link>
          </p>
        </footer>
      </body>
    </html>
  );
}
