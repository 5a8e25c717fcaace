/**
 * The security headers of every response (reader pages leave one out: READER_HEADERS). Reader
 * pages get theirs from the page cache, with a policy that lets no script run; the pages Next
 * renders get theirs from the proxy, with a policy that names the response's nonce. Everything
 * else (the JSON API, feeds, built assets) runs no script, so it gets fixed headers from
 * next.config.ts under a policy that allows nothing, and skips the proxy: a proxied request pays
 * for a second pass through Next, a copy of its body included, which for a write through the API
 * cost as much as the write itself.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["X-Frame-Options", "DENY"],
  // Only browsers that predate CSP read this; block mode avoids the leaks of its filtering mode.
  ["X-XSS-Protection", "1; mode=block"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/**
 * What is not a page, as next.config.ts matches it to give it the fixed headers: the JSON API,
 * feeds and built assets. The proxy's matcher (proxy.ts) is its complement; a test holds the two,
 * and the route files, in agreement.
 */
export const NOT_PAGE_SOURCES = ["/api/:path*", "/_next/static/:path*", "/feed.:format(xml|atom|json)", "/:section(stories|outlets)/:slug/feed.:format(xml|atom|json)", "/stories/:slug/graph.svg", "/:section(stories|claims)/:key/card.png"];

/** Sent over HTTPS only: browsers ignore it over plain HTTP, and a local HTTP server would be locked out. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** The policy of responses that are not pages: nothing in them may load or run, or be framed. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The headers of every response that is not a page, and of any the app does not answer itself (server.ts). */
export const FIXED_HEADERS: ReadonlyArray<readonly [string, string]> = [["Content-Security-Policy", DATA_POLICY], ...SECURITY_HEADERS];

/** A page's policy: its own rules for scripts and styles, and the site's for everything else. */
function policy(script: string, style: string, https: boolean): string {
  return [
    "default-src 'self'",
    `script-src ${script}`,
    `style-src ${style}`,
    "img-src 'self' data:",
    "font-src 'self'",
    // Reader pages connect nowhere themselves; tools a reader runs in the page (Lighthouse reading
    // robots.txt, say) may reach the site itself.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * The policy of reader pages, which go out as plain HTML (lib/page-cache.ts): no script runs at
 * all, and styles come from the site's own stylesheets. JSON-LD is data, which a policy does not
 * govern. Being the same for every response, it lets every reader share one copy of the page.
 */
export const readerPolicy = (https: boolean): string => policy("'none'", "'self'", https);

/**
 * The security headers of reader pages: all but Cross-Origin-Opener-Policy. That header keeps a
 * window of another site that opens a page, or that the page opens, from holding a reference to
 * it, so that it cannot learn what the page shows its reader (how many frames, where it went).
 * A reader page has nothing of the kind to learn: it is the same bytes for every reader, reads no
 * cookie, runs no script and may not be framed. The header would cost it a browsing context group
 * of its own, and under Lighthouse's phone emulation one long task of 136–394 ms, against 86–129 ms
 * for the same bytes without it (runs alternating; bench/README.md). Editor pages keep it.
 */
export const READER_HEADERS = SECURITY_HEADERS.filter(([name]) => name !== "Cross-Origin-Opener-Policy");

/** The policy of the pages Next renders (editor pages): their scripts and styles run only with this response's nonce. */
export function pagePolicy(nonce: string, https: boolean): string {
  // Development needs eval for React's error overlays and injects styles without the nonce when
  // modules reload; a production build needs neither.
  const dev = process.env.NODE_ENV === "development";
  return policy(`'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`, dev ? "'self' 'unsafe-inline'" : `'self' 'nonce-${nonce}'`, https);
}
