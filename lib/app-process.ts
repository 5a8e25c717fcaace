import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { Agent, type Dispatcher } from "undici";
import { afterInvalidation, invalidateAll } from "@/lib/cache";
import { isCacheablePath, pageSecretsEnv } from "@/lib/page-cache";
import { FIXED_HEADERS } from "@/lib/security-headers";

/**
 * `npm start` runs two processes. The front (server.ts) owns the public port and answers reader
 * pages, feeds and the build's files from the page cache. The application process
 * (app-server.ts: Next, the JSON API, the watcher's jobs) renders what the cache keeps, and
 * listens on a Unix socket of its own that no other user can reach.
 *
 * Why two: the same cached bytes cost 40–52 µs of CPU an answer in the process that also runs
 * Next, and 26–30 µs in a plain Node process (bench/README.md); the front holds neither the
 * framework nor the database, so a cache hit costs what writing the bytes costs.
 *
 * A connection goes where its first request is answered. The front reads that request's first
 * bytes: a GET or HEAD of a page or file the cache keeps stays in the front; anything else (a
 * write, an API read) hands the whole connection to the application process, socket and all,
 * with the bytes already read. So a writer's connection pays nothing for the second process; a
 * request the front cannot answer on a connection it kept (a browser's form post after a page,
 * say) is passed on over the Unix socket.
 *
 * The front's cache follows every write the application commits: the application reports each
 * invalidation over the IPC channel, and a committing write waits for the front to say it has
 * dropped its cache before it answers (lib/invalidation.ts), so a writer's next read, on any
 * connection, never sees what was there before.
 */
export type Upstream = { origin: string; dispatcher: Dispatcher };

/** What the application tells the front: it listens; it dropped its caches (the n-th time). */
type FromApp = { ready: true } | { written: number };
/** What the front tells the application: it dropped its cache for the n-th invalidation; here is a connection. */
type FromFront = { caughtUp: number } | { head: string };
/** Where the application listens, given in its environment. */
const APP_SOCKET_ENV = "CLAIMTRAIL_APP_SOCKET";
/** How long a write waits for the front's word before it answers anyway: the front is gone or stuck. */
const CATCH_UP_MS = 2_000;

export type AppProcess = {
  upstream: Upstream;
  child: ChildProcess;
  /** Passes a connection to the application, with the bytes the front has read from it. */
  handOff: (socket: Socket, head: Buffer) => void;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/** An undici client for a server on a Unix socket. */
export const unixUpstream = (socketPath: string): Upstream => ({ origin: "http://localhost", dispatcher: new Agent({ connect: { socketPath }, keepAliveTimeout: 30_000 }) });

/**
 * Starts the application process from `entry` with the page cache's secrets and, unless told
 * otherwise, this process's Node flags, and resolves once it listens. Rejects if it exits first.
 */
export function startAppProcess(entry: string, args: string[], execArgv = process.execArgv): Promise<AppProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "claimtrail-"));
  const socketPath = path.join(dir, "app.sock");
  const child = fork(entry, args, { env: { ...process.env, ...pageSecretsEnv(), [APP_SOCKET_ENV]: socketPath }, execArgv, stdio: "inherit" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  child.on("message", (message: FromApp) => {
    if (!("written" in message)) return;
    invalidateAll();
    send(child, { caughtUp: message.written });
  });
  const handOff = (socket: Socket, head: Buffer) => {
    // Sent once the handles before it have been taken, so the socket must read nothing more
    // meanwhile: what it read would be lost with its handle. Pausing the stream stops it asking
    // for more; only the handle can stop what is already asked for.
    socket.pause();
    (socket as unknown as { _handle?: { readStop?: () => number } })._handle?.readStop?.();
    child.send({ head: head.toString("latin1") } satisfies FromFront, socket, { keepOpen: false }, (err) => err && socket.destroy());
  };
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    child.on("message", (message: FromApp) => "ready" in message && resolve({ upstream: unixUpstream(socketPath), child, handOff, stop }));
    void exited.then((code) => reject(new Error(`The application process exited (status ${code}) before it listened.`)));
  });
}

const send = (target: ChildProcess | NodeJS.Process, message: FromApp | FromFront) => target.connected && target.send!(message);

/** A request line as far as the front needs it: method and target. */
const REQUEST_LINE = /^([A-Z]+) (\S+) /;

/**
 * Whether the front keeps a connection, from its first bytes: yes for a GET or HEAD of what the
 * page cache keeps, and for a target in absolute form or a line it cannot read (its HTTP server
 * answers those); no for the rest, which the application answers.
 */
export function staysInFront(head: Buffer): boolean {
  const line = REQUEST_LINE.exec(head.toString("latin1", 0, 8 * 1024));
  if (!line) return true;
  const [, method, target] = line as unknown as [string, string, string];
  if (method !== "GET" && method !== "HEAD") return false;
  return !target.startsWith("/") || isCacheablePath(target);
}

/**
 * Makes the front's HTTP server take only the connections that stay in the front (staysInFront)
 * and hand the others to the application, deciding on each connection's first bytes. The server
 * keeps its own handling of the connections it keeps, timeouts included.
 */
export function splitConnections(server: Server, app: Pick<AppProcess, "handOff">): void {
  const own = server.listeners("connection") as ((socket: Socket) => void)[];
  server.removeAllListeners("connection");
  server.on("connection", (socket: Socket) => {
    // A client that connects and says nothing is let go as the server's own timeout would.
    socket.setTimeout(server.headersTimeout, () => socket.destroy());
    const failed = () => socket.destroy();
    socket.once("error", failed);
    socket.once("data", (head: Buffer) => {
      socket.setTimeout(0);
      socket.removeListener("error", failed);
      if (!staysInFront(head)) return app.handOff(socket, head);
      for (const listener of own) listener.call(server, socket);
      socket.emit("data", head);
    });
  });
}

/**
 * In the application process: listens on the socket the front gave it and answers there what the
 * front passes on (`fromFront`); takes the connections the front hands over (`handedOff`, which
 * must check them as the front would; `listeners` is given the socket's path to render through);
 * and reports every invalidation to the front, each one's promise settled once the front has
 * dropped its cache. The socket's folder goes with the process (the front removes it too, but
 * cannot if it was killed outright).
 */
export function listenForFront(server: Server, listeners: (socketPath: string) => { fromFront: RequestListener; handedOff: RequestListener }): void {
  const socketPath = process.env[APP_SOCKET_ENV];
  if (!socketPath || !process.send) throw new Error("The application process is started by the front (server.ts), not by itself.");
  process.once("exit", () => rmSync(path.dirname(socketPath), { recursive: true, force: true }));
  const handlers = listeners(socketPath);
  const handed = new WeakSet<Socket>();
  server.on("request", (request: IncomingMessage, response: ServerResponse) =>
    (handed.has(request.socket) ? handlers.handedOff : handlers.fromFront)(request, response),
  );

  let reported = 0;
  const waiting = new Map<number, () => void>();
  afterInvalidation(() => {
    const n = ++reported;
    send(process, { written: n });
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => settle(n), CATCH_UP_MS).unref();
      waiting.set(n, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  });
  const settle = (upTo: number) => {
    for (const [n, resolve] of waiting) {
      if (n > upTo) break;
      waiting.delete(n);
      resolve();
    }
  };
  process.on("message", (message: FromFront, socket?: Socket) => {
    if ("caughtUp" in message) return settle(message.caughtUp);
    if (!socket) return;
    handed.add(socket);
    server.emit("connection", socket);
    socket.emit("data", Buffer.from(message.head, "latin1"));
  });
  server.listen(socketPath, () => send(process, { ready: true }));
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
  if (SAFE_METHODS.has(request.method ?? "GET") || !(length <= SMALL_BODY)) return pass(request, response, upstream, request);
  // A small body (a single write's JSON) goes on whole, in one write with its headers: one write
  // after another through the front, p50 4.2–5.0 ms this way against 5.5–5.8 ms streamed (3.6–3.9
  // straight to the application).
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => pass(request, response, upstream, Buffer.concat(chunks)));
}
const SMALL_BODY = 64 * 1024;

function pass(request: IncomingMessage, response: ServerResponse, { origin, dispatcher }: Upstream, body: IncomingMessage | Buffer): void {
  const method = request.method ?? "GET";
  dispatcher
    .stream({ origin, path: request.url!, method: method as Dispatcher.HttpMethod, headers: endToEnd(request.headers), body: SAFE_METHODS.has(method) ? undefined : body }, ({ statusCode, headers }) => {
      response.writeHead(statusCode, endToEnd(headers));
      return response;
    })
    .catch(() => {
      if (response.headersSent) return void response.destroy();
      response.writeHead(502, [...FIXED_HEADERS.flat(), "Content-Type", "text/plain; charset=utf-8"]).end("The application did not answer.\n");
    });
}
