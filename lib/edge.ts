import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Upstream } from "@/lib/app-process";
import { answerFromCache, isCacheable } from "@/lib/page-cache";
import { FIXED_HEADERS } from "@/lib/security-headers";

// What the server decides before the framework sees a request (the front, server.ts, and the
// application process for the connections handed to it): which requests are for this site at
// all, which the page cache answers, and who sent the rest.

/** The titles of the front process (server.ts) and of the application process it starts (app-server.ts). */
export const SERVER_TITLE = "claimtrail-server";
export const APP_TITLE = "claimtrail-app";

/**
 * The path a request asks for, or null when it asks for another site. A target in absolute form
 * (`GET http://elsewhere/…`, as a proxy is asked) names its host itself: it must be the host the
 * request was sent to, and is then read as its path, so nothing downstream sees the other name.
 */
export function ownTarget(target: string, host: string | undefined): string | null {
  if (target.startsWith("/")) return target;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !host || url.host !== hostOf(host)) return null;
  return `${url.pathname}${url.search}`;
}

/** A Host header as a URL names it (lower case, default port dropped), or null when it names nothing. */
function hostOf(header: string): string | null {
  try {
    return new URL(`http://${header}`).host;
  } catch {
    return null;
  }
}

/**
 * The client's address: the connection's peer, or behind `hops` proxies of the deployment's own,
 * the address the outermost of them was connected from. Each proxy appends its peer's address to
 * X-Forwarded-For, so only the last `hops` entries were written by trusted proxies; what comes
 * before them is the client's to make up, and is never read.
 */
export function clientAddressOf(peer: string, forwardedFor: string | string[] | undefined, hops: number): string {
  if (hops === 0) return peer;
  const entries = [forwardedFor ?? []]
    .flat()
    .flatMap((h) => h.split(","))
    .map((e) => e.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - hops)] ?? peer;
}

/**
 * The first listener of a public connection's requests: turns away requests for other sites,
 * answers what the page cache keeps (rendered through `upstream` on a miss), and gives the rest to
 * `beyondCache` with the client's address as the one X-Forwarded-For (lib/auth/web.ts reads it),
 * in place of whatever the client sent.
 */
export function edgeListener(upstream: Upstream, hops: number, beyondCache: RequestListener): RequestListener {
  const beyond = (request: IncomingMessage, response: ServerResponse) => {
    request.headers["x-forwarded-for"] = clientAddressOf(request.socket.remoteAddress ?? "", request.headers["x-forwarded-for"], hops);
    beyondCache(request, response);
  };
  return (request, response) => {
    const path = ownTarget(request.url ?? "", request.headers.host);
    if (path === null) {
      response.writeHead(400, [...FIXED_HEADERS.flat(), "Content-Type", "text/plain; charset=utf-8"]).end("This server answers for its own site only.\n");
      return;
    }
    request.url = path;
    if (isCacheable(request.method, path, request.headers)) answerFromCache(request, response, upstream, () => beyond(request, response));
    else beyond(request, response);
  };
}
