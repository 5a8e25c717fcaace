import type { NextConfig } from "next";

const config: NextConfig = {
  // PGlite ships a WASM build of PostgreSQL; bundling it would copy that into .next/static.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
  // The proxy must tell a page request from the router's data requests (RSC headers, ?_rsc=), which
  // it answers from the page cache only in the first case; Next hides those from it otherwise.
  skipProxyUrlNormalize: true,
  // A separate build folder lets a test build run beside a developer's own.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default config;
