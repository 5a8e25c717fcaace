#!/usr/bin/env bash
# `npm start`: builds once if there is no build yet, then serves. The server itself migrates the
# database and loads the demo story at start (instrumentation.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f "${NEXT_DIST_DIR:-.next}/BUILD_ID" ]; then
  echo "No build yet: running next build once."
  node_modules/.bin/next build
fi
# The front (server.ts) and the application process it starts (app-server.ts), with the lib code
# they use, are bundled into plain JavaScript at each start (esbuild, well under a second; the
# packages stay in node_modules), so that they run without a TypeScript loader: tsx would turn
# Node's source-map support on for the whole process, Next's chunks included, which held about
# 100 MB more at start, and would wrap every inner function of ours with a call that names it.
# Written under names of their own and then renamed, so that servers started at once from one
# build never read a half-written file.
dist="${NEXT_DIST_DIR:-.next}"
node_modules/.bin/esbuild server.ts app-server.ts --bundle --platform=node --format=esm --target=node20 --packages=external \
  --log-level=warning --entry-names='claimtrail-[name]' --out-extension:.js=.mjs --outdir="$dist/bundle.$$"
mv -f "$dist/bundle.$$/claimtrail-app-server.mjs" "$dist/bundle.$$/claimtrail-server.mjs" "$dist/"
rmdir "$dist/bundle.$$"
# V8's heap settings, measured on the bench's data set:
# - Under load V8 lets its old heap grow to several times what is live before collecting it:
#   500 MB and more for about 60 MB of live objects. Growing it by half of what survives each full
#   collection holds the server near 300 MB at no measured cost in throughput.
# - The young generation: V8 had shrunk it to a few megabytes in a server holding 1,200 rendered
#   pages, and grows it again only when many of its objects survive, which a request's never do.
#   A 304 from the page cache then paid for a scavenge every 300 requests, 15–18 % of the
#   process's time at 2.5–3 ms each; with semi-spaces of 16 MB at the least, 3–4 %, and 20–30 %
#   more answers a second. Up to 32 MB lets the short-lived objects of a large write die young.
# NODE_OPTIONS cannot carry the first flag, so node gets them directly; the front passes them on to
# the application process.
exec node --heap-growing-percent=50 --min-semi-space-size=16 --max-semi-space-size=32 "$dist/claimtrail-server.mjs" "$@"
