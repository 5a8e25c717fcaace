#!/usr/bin/env bash
# `npm test`: the whole suite. Lint and types, unit and integration tests on PGlite, the same
# integration tests on PostgreSQL (each test file makes and drops a database of its own there),
# then browser tests against a production build.
#
# It sets up what it needs. The system programs the checks use (Chromium, Java for the Nu HTML
# checker, feedparser and newsboat as feed readers, nginx as a load balancer) and a PostgreSQL
# server to test against: where one is missing and this is Debian as root, it is installed or
# started; elsewhere the run stops at once and names what to install. TEST_DATABASE_URL (or DATABASE_URL) names a server to use;
# without one, the local server on 127.0.0.1:5432 is used, with a database made for this run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
can_install() { [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

# Debian package, and how to tell it is there.
missing=()
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
/usr/bin/python3 -c 'import feedparser' 2>/dev/null || missing+=(python3-feedparser)
command -v newsboat >/dev/null || missing+=(newsboat)
# In front of two instances in the browser tests (e2e/instances.spec.ts).
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
pg_url="${TEST_DATABASE_URL:-${DATABASE_URL:-}}"
if [ -z "$pg_url" ] && ! command -v pg_ctlcluster >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if can_install; then
    step "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The test suite needs programs this machine lacks: ${missing[*]}." >&2
    echo "On Debian or Ubuntu: sudo apt-get install ${missing[*]}" >&2
    echo "Elsewhere install their equivalents; CHROMIUM_PATH names another Chromium, TEST_DATABASE_URL another PostgreSQL." >&2
    exit 1
  fi
fi

if [ -z "$pg_url" ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = 0 ]; then
      step "starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
      for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    else
      echo "No PostgreSQL answers on 127.0.0.1:5432. Start it, or set TEST_DATABASE_URL=postgres://user@host:port/database." >&2
      exit 1
    fi
  fi
  pg_url="postgres://postgres@127.0.0.1:5432/postgres"
fi

# The run's own database on that server, dropped when the run ends however it ends.
run_db="claimtrail_test_$(date +%s)_$$"
admin() { node -e 'const sql = require("postgres")(process.argv[1], { onnotice() {} }); sql.unsafe(process.argv[2]).then(() => sql.end(), (e) => { console.error(e.message); process.exit(1); });' "$pg_url" "$1"; }
admin "create database $run_db"
trap 'admin "drop database if exists $run_db with (force)" || true' EXIT
test_url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString());' "$pg_url" "$run_db")

step "lint"
node_modules/.bin/eslint . --max-warnings 0
step "typecheck"
node_modules/.bin/tsc --noEmit

step "unit and integration tests on PGlite"
env -u TEST_DATABASE_URL -u DATABASE_URL node_modules/.bin/vitest run

step "integration tests on PostgreSQL"
TEST_DATABASE_URL="$test_url" node_modules/.bin/vitest run

step "production build"
env -u DATABASE_URL node_modules/.bin/next build
step "browser tests (Playwright)"
CHROMIUM_PATH="$chromium" E2E_POSTGRES_URL="$test_url" env -u DATABASE_URL node_modules/.bin/playwright test
