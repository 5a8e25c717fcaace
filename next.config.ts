import type { NextConfig } from "next";

const config: NextConfig = {
  // PGlite ships a WASM build of PostgreSQL; bundling it would copy that into .next/static.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
  // A separate build folder lets a test build run beside a developer's own.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default config;
