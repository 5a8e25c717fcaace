#!/usr/bin/env bash
# `npm test`: the whole suite. Lint and types, unit and integration tests on PGlite, the same
# integration tests on PostgreSQL when DATABASE_URL or TEST_DATABASE_URL names a server (each test
# file makes and drops a database of its own there), then browser tests against a production build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "lint"
node_modules/.bin/eslint . --max-warnings 0
step "typecheck"
node_modules/.bin/tsc --noEmit

step "unit and integration tests on PGlite"
env -u TEST_DATABASE_URL -u DATABASE_URL node_modules/.bin/vitest run

pg_url="${TEST_DATABASE_URL:-${DATABASE_URL:-}}"
if [ -n "$pg_url" ]; then
  step "integration tests on PostgreSQL"
  TEST_DATABASE_URL="$pg_url" node_modules/.bin/vitest run
else
  step "integration tests on PostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL to run them)"
fi

step "production build"
env -u DATABASE_URL node_modules/.bin/next build
step "browser tests (Playwright)"
env -u DATABASE_URL node_modules/.bin/playwright test
