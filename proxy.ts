import { NextResponse, userAgent, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { cachedPage, isCacheable, isRenderRequest, nonceStandIn, randomToken } from "@/lib/page-cache";

/**
 * Security headers on every response: pages, JSON, feeds, static files and errors alike.
 * Scripts run only with this response's nonce, which Next reads from the request's CSP header and
 * puts on its own scripts and inline styles; 'strict-dynamic' lets those load their chunks.
 * Reader pages come from the page cache with the nonce swapped in (lib/page-cache.ts).
 */
export async function proxy(request: NextRequest) {
  // A rendering for the page cache carries the stand-in, which each cached response replaces.
  const nonce = isRenderRequest(request.headers) ? nonceStandIn() : randomToken();
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const policy = contentSecurityPolicy(nonce, https);

  const origin = pageCacheOrigin();
  const cached = origin && isCacheable(request.method, request.nextUrl, request.headers) && !userAgent(request).isBot
    ? await cachedPage(request.nextUrl, pageKey(request, https), origin, request.headers, nonce)
    : null;
  // The JSON API renders no page, so its requests go on as they came.
  const response = cached
    ? new NextResponse(cached.body, { status: cached.status, headers: cached.headers })
    : request.nextUrl.pathname.startsWith("/api/")
      ? NextResponse.next()
      : NextResponse.next({ request: { headers: renderHeaders(request, policy, nonce) } });

  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("X-Frame-Options", "DENY");
  // Only browsers that predate CSP read this; block mode avoids the leaks of its filtering mode.
  response.headers.set("X-XSS-Protection", "1; mode=block");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  response.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  // Browsers ignore HSTS over plain HTTP, and promising HTTPS on a local HTTP server would lock it out.
  if (https) response.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
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

function contentSecurityPolicy(nonce: string, https: boolean): string {
  // Development needs eval for React's error overlays and injects styles without the nonce when
  // modules reload; a production build needs neither.
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
