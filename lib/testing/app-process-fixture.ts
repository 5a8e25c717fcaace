import { createServer, type IncomingMessage, type RequestListener } from "node:http";
import { listenForFront } from "@/lib/app-process";
import { invalidateAll } from "@/lib/cache";

// A stand-in for the application process (app-server.ts) in lib/app-process.test.ts: it says how
// each request reached it and what it read, and a POST to /write drops the caches as a committed
// write does, answering once the front has dropped its own, with how long that took.

const seen = (request: IncomingMessage, via: string) =>
  new Promise<string>((resolve) => {
    let bytes = 0;
    request.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
    request.on("end", () => resolve(JSON.stringify({ via, method: request.method, url: request.url, peer: request.socket.remoteAddress ?? null, bytes })));
  });

const answer =
  (via: string): RequestListener =>
  async (request, response) => {
    const text = await seen(request, via);
    if (request.url !== "/write") return void response.writeHead(200, { "content-type": "application/json" }).end(text);
    const started = performance.now();
    await invalidateAll();
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...JSON.parse(text), waitedMs: performance.now() - started }));
  };

listenForFront(createServer(), () => ({ fromFront: answer("passed on"), handedOff: answer("handed over") }));
for (const event of ["disconnect", "SIGTERM"] as const) process.once(event, () => process.exit(0));
