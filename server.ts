import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { API_ROUTES } from "@/app/api/routes";
import { apiAnswerer } from "@/lib/api-server";
import { clientAddressOf, ownTarget, SERVER_TITLE } from "@/lib/edge";
import { env } from "@/lib/env";
import { answerFromCache, isCacheable } from "@/lib/page-cache";
import { FIXED_HEADERS } from "@/lib/security-headers";

// `npm start` (scripts/start.sh): Next's request handler behind a plain HTTP server, which turns
// away requests for other sites, fixes the client's address, answers readers from the page cache
// and the JSON API with its route handlers (lib/api-server.ts), and for the rest gives every
// response the security headers before the framework does anything.

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME ?? "0.0.0.0";
process.env.PORT = String(port);
// The page cache renders a missing page by asking this server for it.
const origin = `http://127.0.0.1:${port}`;
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });

// How the bench and process lists find it.
process.title = SERVER_TITLE;
const hops = env().TRUST_PROXY_HOPS;
const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
const answerApi = apiAnswerer(API_ROUTES);

const server = createServer((request, response) => {
  const path = ownTarget(request.url ?? "", request.headers.host);
  if (path === null) {
    response.writeHead(400, [...FIXED_HEADERS.flat(), "Content-Type", "text/plain; charset=utf-8"]).end("This server answers for its own site only.\n");
    return;
  }
  request.url = path;
  if (isCacheable(request.method, path, request.headers)) {
    answerFromCache(request, response, origin, () => beyondCache(request, response, path));
  } else {
    beyondCache(request, response, path);
  }
});

function beyondCache(request: IncomingMessage, response: ServerResponse, path: string): void {
  // The one address the app reads (lib/auth/web.ts), in place of whatever the client sent.
  request.headers["x-forwarded-for"] = clientAddressOf(request.socket.remoteAddress ?? "", request.headers["x-forwarded-for"], hops);
  if (answerApi(request, response, path)) return;
  for (const [name, value] of FIXED_HEADERS) response.setHeader(name, value);
  void handle(request, response);
}
// A port already taken (or not ours to take) ends the process. Otherwise the framework's handler
// of uncaught exceptions would log it and the process would run on with nothing listening.
server.on("error", (err) => {
  console.error(`Claimtrail cannot listen on ${hostname}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`Claimtrail listening on http://${hostname}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    process.exit(0);
  });
}
