import { createServer, type RequestListener } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { API_ROUTES } from "@/app/api/routes";
import { apiAnswerer } from "@/lib/api-server";
import { listenForFront, unixUpstream } from "@/lib/app-process";
import { APP_TITLE, edgeListener } from "@/lib/edge";
import { env } from "@/lib/env";
import { FIXED_HEADERS } from "@/lib/security-headers";

// The application process, started by the front (server.ts, lib/app-process.ts): Next's request
// handler, with the JSON API answered by its route handlers (lib/api-server.ts) and every other
// response given the security headers before the framework does anything. It answers what the
// front passes on over a Unix socket only the front reaches (the client's address already fixed),
// and the connections the front hands over, which it checks as the front would (lib/edge.ts).

const { values } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" } } });
process.title = APP_TITLE;
const app = next({ dev: false, hostname: values.hostname, port: Number(values.port) });
const handle = app.getRequestHandler();
await app.prepare();
const answerApi = apiAnswerer(API_ROUTES);

const fromFront: RequestListener = (request, response) => {
  if (answerApi(request, response, request.url!)) return;
  for (const [name, value] of FIXED_HEADERS) response.setHeader(name, value);
  void handle(request, response);
};
const server = createServer();
listenForFront(server, (socketPath) => ({
  fromFront,
  // Reader pages asked for on these connections come from a page cache of this process's own.
  handedOff: edgeListener(unixUpstream(socketPath), env().TRUST_PROXY_HOPS, fromFront),
}));
const stop = () => {
  server.close();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stop);
// The front is gone (killed outright, say): nothing can reach this process any more.
process.once("disconnect", stop);
