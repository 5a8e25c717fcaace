import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { clientAddressOf, ownTarget, SERVER_TITLE } from "@/lib/edge";
import { env } from "@/lib/env";
import { FIXED_HEADERS } from "@/lib/security-headers";

// `npm start` (scripts/start.sh): Next's request handler behind a plain HTTP server, which turns
// away requests for other sites, fixes the client's address, and gives every response the
// security headers, before the framework does anything.

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME ?? "0.0.0.0";
// The page cache renders a missing page by asking this server for it (lib/page-cache.ts).
process.env.PORT = String(port);
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });

// How the bench and process lists find it.
process.title = SERVER_TITLE;
const hops = env().TRUST_PROXY_HOPS;
const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  for (const [name, value] of FIXED_HEADERS) response.setHeader(name, value);
  const path = ownTarget(request.url ?? "", request.headers.host);
  if (path === null) {
    response.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("This server answers for its own site only.\n");
    return;
  }
  request.url = path;
  // The one address the app reads (lib/auth/web.ts), in place of whatever the client sent.
  request.headers["x-forwarded-for"] = clientAddressOf(request.socket.remoteAddress ?? "", request.headers["x-forwarded-for"], hops);
  void handle(request, response);
});
server.listen(port, hostname, () => console.log(`Claimtrail listening on http://${hostname}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    process.exit(0);
  });
}
