import { NextResponse, type NextRequest } from "next/server";
import { isHttps } from "@/lib/origin";
import { isRenderRequest, nonceStandIn, randomToken } from "@/lib/page-cache";
import { pagePolicy, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";

/**
 * Pages Next renders and their server actions: the security headers, with a policy under which
 * scripts run only with this response's nonce, which Next reads from the request's CSP header and
 * puts on its own scripts and inline styles; 'strict-dynamic' lets those load their chunks.
 * Readers get reader pages from the page cache instead (lib/page-cache.ts), which renders them
 * here with a stand-in nonce and cuts the scripts out. What is not a page gets fixed headers from
 * next.config.ts (lib/security-headers.ts).
 */
export function proxy(request: NextRequest) {
  const nonce = isRenderRequest(request.headers) ? nonceStandIn() : randomToken();
  const https = isHttps(request.headers, request.nextUrl);
  const policy = pagePolicy(nonce, https);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

// Not pages: the JSON API, feeds and built assets. Next reads this literal at build time.
export const config = {
  matcher: ["/((?!api/|_next/static/|feed\\.(?:xml|atom|json)$|(?:stories|outlets)/[^/]+/feed\\.(?:xml|atom|json)$|stories/[^/]+/graph\\.svg$|(?:stories|claims)/[^/]+/card\\.png$).*)"],
};
