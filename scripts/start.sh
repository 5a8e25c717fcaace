#!/usr/bin/env bash
# `npm start`: builds once if there is no build yet, then serves. The server itself migrates the
# database and loads the demo story at start (instrumentation.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f "${NEXT_DIST_DIR:-.next}/BUILD_ID" ]; then
  echo "No build yet: running next build once."
  node_modules/.bin/next build
fi
exec node_modules/.bin/next start "$@"
