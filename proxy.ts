import { NextResponse, userAgent, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { isHttps, publicOrigin } from "@/lib/origin";
import { cachedPage, isCacheable, isRenderRequest, nonceStandIn, randomToken } from "@/lib/page-cache";
import { pagePolicy, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";

/**
 * Pages and their server actions: the security headers, with a policy under which scripts run only
 * with this response's nonce, which Next reads from the request's CSP header and puts on its own
 * scripts and inline styles; 'strict-dynamic' lets those load their chunks. Reader pages come from
 * the page cache with the nonce swapped in (lib/page-cache.ts). What is not a page gets fixed
 * headers from next.config.ts instead (lib/security-headers.ts).
 */
export async function proxy(request: NextRequest) {
  // A rendering for the page cache carries the stand-in, which each cached response replaces.
  const nonce = isRenderRequest(request.headers) ? nonceStandIn() : randomToken();
  const https = isHttps(request.headers, request.nextUrl);
  const policy = pagePolicy(nonce, https);

  const origin = pageCacheOrigin();
  const cached = origin && isCacheable(request.method, request.nextUrl, request.headers) && !userAgent(request).isBot
    ? await cachedPage(request.nextUrl, pageKey(request), origin, request.headers, nonce)
    : null;
  const response = cached
    ? new NextResponse(cached.body, { status: cached.status, headers: cached.headers })
    : NextResponse.next({ request: { headers: renderHeaders(request, policy, nonce) } });

  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

/** The request as the page renders it: with the nonce its scripts and styles are to carry. */
function renderHeaders(request: NextRequest, policy: string, nonce: string): Headers {
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  headers.set("x-nonce", nonce);
  return headers;
}

/** This server's own address, where a missing page is rendered; none in development or when turned off. */
function pageCacheOrigin(): string | null {
  if (process.env.NODE_ENV !== "production" || !env().PAGE_CACHE || !process.env.PORT) return null;
  return `http://127.0.0.1:${process.env.PORT}`;
}

/** Pages name their own origin in canonical links, so the key holds the origin they will name. */
const pageKey = (request: NextRequest): string => `${publicOrigin(request.headers)}${request.nextUrl.pathname}${request.nextUrl.search}`;

// Not pages: the JSON API, feeds and built assets. Next reads this literal at build time.
export const config = {
  matcher: ["/((?!api/|_next/static/|feed\\.(?:xml|atom|json)$|(?:stories|outlets)/[^/]+/feed\\.(?:xml|atom|json)$|stories/[^/]+/graph\\.svg$|(?:stories|claims)/[^/]+/card\\.png$).*)"],
};
