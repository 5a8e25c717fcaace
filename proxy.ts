import { NextResponse, userAgent, type NextRequest } from "next/server";
import { env } from "@/lib/env";
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
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const policy = pagePolicy(nonce, https);

  const origin = pageCacheOrigin();
  const cached = origin && isCacheable(request.method, request.nextUrl, request.headers) && !userAgent(request).isBot
    ? await cachedPage(request.nextUrl, pageKey(request, https), origin, request.headers, nonce)
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

/** Pages name their own origin in canonical links, so the key holds what that origin is taken from. */
function pageKey(request: NextRequest, https: boolean): string {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? "";
  return `${https ? "https" : "http"}://${host}${request.nextUrl.pathname}${request.nextUrl.search}`;
}

// Not pages: the JSON API, feeds and built assets. Next reads this literal at build time.
export const config = {
  matcher: ["/((?!api/|_next/static/|feed\\.(?:xml|atom|json)$|(?:stories|outlets)/[^/]+/feed\\.(?:xml|atom|json)$).*)"],
};
