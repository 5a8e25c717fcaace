import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { Agent, type Dispatcher } from "undici";
import { afterInvalidation, invalidateAll } from "@/lib/cache";
import { pageSecretsEnv } from "@/lib/page-cache";
import { FIXED_HEADERS } from "@/lib/security-headers";

/**
 * `npm start` runs two processes. The front (server.ts) owns the public port: it turns away
 * requests for other sites, fixes the client's address, and answers reader pages and feeds from
 * the page cache. Everything else, and the renderings the cache is made of, it passes to the
 * application process (app-server.ts: Next, the JSON API, the watcher's jobs), which listens on a
 * Unix socket of its own that no other user can reach.
 *
 * Why two: the same cached bytes cost 40–52 µs of CPU an answer in the process that also runs
 * Next, and 26–30 µs in a plain Node process (bench/README.md); the front holds neither the
 * framework nor the database, so a cache hit costs what writing the bytes costs.
 *
 * The front's cache follows every write the application commits: the application reports each
 * invalidation over the IPC channel, and the front drops its cache before it passes on the answer
 * to any request that could have written (any method but GET and HEAD), so that a writer's next
 * read never races that report.
 */
export type Upstream = { origin: string; dispatcher: Dispatcher };

/** The message the application sends once it listens, and the one after each invalidation. */
const READY = "ready";
const WRITTEN = "written";
/** Where the application listens, given in its environment. */
const APP_SOCKET_ENV = "CLAIMTRAIL_APP_SOCKET";

export type AppProcess = { upstream: Upstream; child: ChildProcess; stop: (signal?: NodeJS.Signals) => Promise<number | null> };

/**
 * Starts the application process from `entry` with this process's Node flags and the page
 * cache's secrets, and resolves once it listens. Rejects if it exits first.
 */
export function startAppProcess(entry: string, args: string[]): Promise<AppProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "claimtrail-"));
  const socketPath = path.join(dir, "app.sock");
  const child = fork(entry, args, { env: { ...process.env, ...pageSecretsEnv(), [APP_SOCKET_ENV]: socketPath }, execArgv: process.execArgv, stdio: "inherit" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  child.on("message", (message) => {
    if (message === WRITTEN) invalidateAll();
  });
  const upstream: Upstream = { origin: "http://localhost", dispatcher: new Agent({ connect: { socketPath }, keepAliveTimeout: 30_000 }) };
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    child.on("message", (message) => message === READY && resolve({ upstream, child, stop }));
    void exited.then((code) => reject(new Error(`The application process exited (status ${code}) before it listened.`)));
  });
}

/**
 * In the application process: listens on the socket the front gave it, tells the front once it
 * does and then of every invalidation, and takes the socket's folder with it when it exits (the
 * front does too, but cannot if it was killed outright).
 */
export function listenForFront(server: Server): void {
  const socketPath = process.env[APP_SOCKET_ENV];
  if (!socketPath || !process.send) throw new Error("The application process is started by the front (server.ts), not by itself.");
  process.once("exit", () => rmSync(path.dirname(socketPath), { recursive: true, force: true }));
  server.listen(socketPath, () => {
    process.send!(READY);
    afterInvalidation(() => process.send?.(WRITTEN));
  });
}

/** Headers that describe one connection, not the message: each side of the front sets its own. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect", "http2-settings"]);
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** The headers meant for the far side: without the hop-by-hop ones and those the Connection header names. */
function endToEnd(headers: IncomingMessage["headers"]): Record<string, string | string[]> {
  const named = [headers.connection ?? []].flat().flatMap((value) => value.toLowerCase().split(",").map((token) => token.trim()));
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !named.includes(name)) kept[name] = value;
  return kept;
}

/**
 * Passes a request to the application and its answer back, bodies streamed both ways. undici is
 * the HTTP client already used here (the page cache renders through it too), and its `stream`
 * writes the answer straight into the response: for a 148 KB JSON answer, 2,400–2,600 answers a
 * second at 50 connections against 1,650–1,900 through `request` and a pipe, and on par for a
 * 4 KB one (5,800–6,500; Node's own client 5,600–5,900). What is left is to drop the hop-by-hop
 * headers, a few lines, not a proxy library's worth.
 */
export function forward(request: IncomingMessage, response: ServerResponse, upstream: Upstream): void {
  const length = Number(request.headers["content-length"] ?? NaN);
  if (SAFE_METHODS.has(request.method ?? "GET") || !(length <= SMALL_BODY)) return send(request, response, upstream, request);
  // A small body (a single write's JSON) goes on whole, in one write with its headers: one write
  // after another through the front, p50 4.2–5.0 ms this way against 5.5–5.8 ms streamed (3.6–3.9
  // straight to the application).
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => send(request, response, upstream, Buffer.concat(chunks)));
}
const SMALL_BODY = 64 * 1024;

function send(request: IncomingMessage, response: ServerResponse, { origin, dispatcher }: Upstream, body: IncomingMessage | Buffer): void {
  const method = request.method ?? "GET";
  const safe = SAFE_METHODS.has(method);
  dispatcher
    .stream({ origin, path: request.url!, method: method as Dispatcher.HttpMethod, headers: endToEnd(request.headers), body: safe ? undefined : body }, ({ statusCode, headers }) => {
      if (!safe) invalidateAll();
      response.writeHead(statusCode, endToEnd(headers));
      return response;
    })
    .catch(() => {
      if (response.headersSent) return void response.destroy();
      response.writeHead(502, [...FIXED_HEADERS.flat(), "Content-Type", "text/plain; charset=utf-8"]).end("The application did not answer.\n");
    });
}
