import type { NextConfig } from "next";
import { FIXED_HEADERS, NOT_PAGE_SOURCES as NOT_PAGES, STRICT_TRANSPORT_SECURITY } from "./lib/security-headers";
const fixedHeaders = FIXED_HEADERS.map(([key, value]) => ({ key, value }));

const config: NextConfig = {
  // PGlite ships a WASM build of PostgreSQL; bundling it would copy that into .next/static.
  // The watcher's libraries run as they are, outside the bundle: pg-boss brings its own driver.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg-boss", "pg", "undici", "linkedom", "@mozilla/readability", "iconv-lite", "robots-parser", "@rowanmanning/feed-parser", "satori", "@resvg/resvg-js", "elkjs"],
  poweredByHeader: false,
  // Metadata is rendered into the head before the page streams, for every client: reader pages go
  // out as the HTML rendered, with no script to move it there later (lib/page-cache.ts).
  htmlLimitedBots: /./,
  // A separate build folder lets a test build run beside a developer's own.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  headers: () => [
    ...NOT_PAGES.map((source) => ({ source, headers: fixedHeaders })),
    // Behind a proxy that ends TLS; the first of several forwarded protocols is the client's.
    ...NOT_PAGES.map((source) => ({
      source,
      has: [{ type: "header" as const, key: "x-forwarded-proto", value: "\\s*https\\s*(?:,.*)?" }],
      headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
    })),
  ],
};

export default config;
