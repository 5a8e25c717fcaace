import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { acceptsCoding, worthCompressing } from "@/lib/conditional";
import { toAppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { isHttps } from "@/lib/origin";
import { FIXED_HEADERS, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";

/** A route file's exports: its handlers by method (app/api/routes.ts lists them by OpenAPI path). */
type RouteHandler = (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteModules = Record<string, Partial<Record<string, unknown>>>;

type Route = { pattern: RegExp; names: string[]; module: Partial<Record<string, unknown>> };

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const gzip = promisify(zlib.gzip);

/**
 * The JSON API answered by the application process (app-server.ts): the same route handlers Next
 * calls (app/api/routes.ts), given a standard `Request` straight from Node's, without the
 * framework's request pipeline. That pipeline cost about as much CPU as the write itself: single
 * claim writes at 50 connections ran at 230–270 a second through Next and at 430–460 this way on
 * the same database, two cores, one run each.
 *
 * Every response carries the fixed security headers, and a JSON or text answer of more than a
 * packet goes out gzipped to a client that accepts it, as from Next. A HEAD is answered by the
 * route's GET without its body. What this does not answer, it leaves to Next (returns false): a
 * path that is not an API route, a method its route does not export (Next answers OPTIONS and 405
 * with the methods allowed), a path segment that is not valid percent-encoding. `next dev` serves
 * the same handlers through their route files.
 */
export function apiAnswerer(modules: RouteModules): (request: IncomingMessage, response: ServerResponse, path: string) => boolean {
  const routes: Route[] = Object.entries(modules).map(([template, module]) => {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { pattern: new RegExp(`^${source}$`), names, module };
  });

  return (request, response, path) => {
    const query = path.indexOf("?");
    const pathname = query === -1 ? path : path.slice(0, query);
    if (!pathname.startsWith("/api/")) return false;
    const method = request.method === "HEAD" ? "GET" : (request.method ?? "");
    if (!METHODS.has(method)) return false;
    for (const route of routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      const handler = route.module[method];
      if (typeof handler !== "function") return false;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
      } catch {
        return false;
      }
      answer(request, response, path, handler as RouteHandler, params).catch((err: unknown) => fail(response, err));
      return true;
    }
    return false;
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, path: string, handler: RouteHandler, params: Record<string, string>): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (value) for (const v of value) headers.append(name, v);
  }
  const host = request.headers.host && /^[a-z0-9.:[\]-]+$/i.test(request.headers.host) ? request.headers.host : "localhost";
  const body = request.method === "GET" || request.method === "HEAD" ? null : bodyOf(request);
  try {
    const req = new Request(`http://${host}${path}`, {
      method: request.method,
      headers,
      ...(body && { body: body.stream, duplex: "half" }),
    } as RequestInit);
    const res = await handler(req, { params: Promise.resolve(params) }).catch(errorResponse);
    let bytes = Buffer.from(await res.arrayBuffer());

    const out: string[] = FIXED_HEADERS.flat();
    if (isHttps(headers)) out.push("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    res.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "vary") out.push(name, value);
    });
    let vary = res.headers.get("vary");
    if (worthCompressing(res.headers.get("content-type"), bytes.byteLength) && !res.headers.has("content-encoding")) {
      vary = vary ? `${vary}, Accept-Encoding` : "Accept-Encoding";
      if (acceptsCoding(request.headers["accept-encoding"], "gzip")) {
        bytes = await gzip(bytes);
        out.push("Content-Encoding", "gzip");
      }
    }
    if (vary) out.push("Vary", vary);
    out.push("Content-Length", String(bytes.byteLength));
    response.writeHead(res.status, out);
    response.end(request.method === "HEAD" || res.status === 204 || res.status === 304 ? undefined : bytes);
  } finally {
    body?.drop();
  }
}

/**
 * A failure the handler could not answer for itself, such as a request `Request` refuses or a body
 * that broke off: the API's error shape if nothing was sent yet, else the connection is cut, so
 * that the client does not take a partial answer for a whole one.
 */
function fail(response: ServerResponse, err: unknown): void {
  console.error(err);
  if (response.headersSent) return void response.destroy();
  const error = toAppError(err);
  const text = JSON.stringify(error.toJSON());
  response.writeHead(error.status, [...FIXED_HEADERS.flat(), "Content-Type", "application/json", "Content-Length", String(Buffer.byteLength(text))]).end(text);
}

/**
 * The request's body as a stream, read as the handler asks for it, and `drop`, which reads what
 * the handler left (it refused the body, or failed, before its end) and throws it away, as Node
 * does with a body no one reads: the answer then reaches the client and the connection stays
 * usable. Node's own stream adapter would destroy the socket instead.
 */
function bodyOf(request: IncomingMessage): { stream: ReadableStream<Uint8Array>; drop: () => void } {
  let open = true;
  const drop = () => {
    open = false;
    request.removeAllListeners("data");
    request.resume();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      request.pause();
      request.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      });
      request.once("end", () => open && controller.close());
      request.once("error", (err) => open && controller.error(err));
    },
    pull() {
      request.resume();
    },
    cancel: drop,
  });
  return { stream, drop };
}
