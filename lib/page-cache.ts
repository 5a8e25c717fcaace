import { cacheStore } from "@/lib/cache";

/**
 * Whole reader pages, rendered once and served from memory until the next write.
 *
 * A page carries a per-response CSP nonce, so its HTML cannot be cached as it is. Pages are
 * rendered instead with a secret stand-in for the nonce, known only to this process, and each
 * response swaps it for a fresh one. Entries belong to the read cache's generation, which every
 * committed write (here, or in another process through NOTIFY) moves on.
 */
export type CachedPage = { status: number; headers: [string, string][]; body: Uint8Array<ArrayBuffer> };
/** A rendered page, kept as the UTF-8 bytes between the places where the nonce goes. */
type Rendered = { status: number; headers: [string, string][]; parts: Buffer[]; bytes: number };

const holder = globalThis as { claimtrailPageSecrets?: { stand: string; secret: string } };
const state = (holder.claimtrailPageSecrets ??= { stand: randomToken(), secret: randomToken() });
const pages = cacheStore<Rendered>("pages", { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, sizeOf: (page) => page.bytes });
/** Response headers of the rendering worth repeating; security headers are set on every response anyway. */
const KEPT_HEADERS = ["content-type", "cache-control", "vary", "link", "x-robots-tag"];
/** The paths of reader pages: no session, no per-reader content. */
export const READER_PAGE = /^\/(?:|search|watcher|stories\/[^/]+(?:\/changes)?|claims\/[^/]+|outlets\/[^/]+|documents\/[^/]+)$/;

/** A nonce: 128 random bits in hex, which is also valid base64 as CSP asks. */
export function randomToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header a rendering request carries, so it is rendered with the stand-in rather than served from here. */
export const RENDER_HEADER = "x-claimtrail-render";

export function isRenderRequest(headers: Headers): boolean {
  return headers.get(RENDER_HEADER) === state.secret;
}

export function nonceStandIn(): string {
  return state.stand;
}

/**
 * Whether a request may be answered from the cache: a plain document GET of a reader page, not one
 * of the router's requests for its data (which the proxy sees thanks to skipProxyUrlNormalize).
 */
export function isCacheable(method: string, url: URL, headers: Headers): boolean {
  return (
    method === "GET" &&
    READER_PAGE.test(url.pathname) &&
    !url.searchParams.has("_rsc") &&
    !headers.has("rsc") &&
    !headers.has("next-router-prefetch") &&
    !headers.has("next-router-state-tree") &&
    !headers.has("next-action") &&
    !headers.has(RENDER_HEADER)
  );
}

/**
 * The page at `url` with `nonce` in place of the stand-in, rendered by `origin` (this server) on a
 * miss. Null when it cannot be cached (a server error, or no server to ask): the caller renders it.
 */
export async function cachedPage(url: URL, key: string, origin: string, requestHeaders: Headers, nonce: string): Promise<CachedPage | null> {
  let page: Rendered;
  try {
    page = await pages(key, () => render(new URL(url.pathname + url.search, origin), requestHeaders));
  } catch {
    return null;
  }
  // Joining bytes is a copy; no string is searched, built or encoded per response.
  const filler = Buffer.from(nonce);
  const body = Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [filler, part])));
  return { status: page.status, headers: page.headers, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
}

/** Asks this server for the page; fails, so that nothing is kept, unless the answer may be kept. */
async function render(url: URL, requestHeaders: Headers): Promise<Rendered> {
  const headers = new Headers();
  for (const name of ["x-forwarded-proto", "user-agent", "accept"]) {
    const value = requestHeaders.get(name);
    if (value) headers.set(name, value);
  }
  // The page names the reader's host in its links; a request to this server cannot set Host.
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host");
  if (host) headers.set("x-forwarded-host", host);
  headers.set(RENDER_HEADER, state.secret);
  headers.set("accept-encoding", "identity");
  const response = await fetch(url, { headers, redirect: "manual", cache: "no-store" });
  if (response.status !== 200 && response.status !== 400 && response.status !== 404) {
    await response.body?.cancel();
    throw new Error(`${url.pathname} answered ${response.status}`);
  }
  const body = await response.text();
  const kept: [string, string][] = [];
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value) kept.push([name, value]);
  }
  const parts = body.split(state.stand).map((part) => Buffer.from(part));
  return { status: response.status, headers: kept, parts, bytes: parts.reduce((sum, part) => sum + part.byteLength, 0) };
}
