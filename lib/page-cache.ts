import { cacheGeneration } from "@/lib/cache";

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
type Entry = { generation: number; storedAt: number; bytes: number; page: Promise<Rendered | null> };

type PageCacheState = { stand: string; secret: string; entries: Map<string, Entry>; bytes: number };
const holder = globalThis as { claimtrailPages?: PageCacheState };
const state: PageCacheState = (holder.claimtrailPages ??= {
  stand: randomToken(),
  secret: randomToken(),
  entries: new Map(),
  bytes: 0,
});

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_AGE_MS = 60_000;
/** Response headers of the rendering worth repeating; security headers are set on every response anyway. */
const KEPT_HEADERS = ["content-type", "cache-control", "vary", "link", "x-robots-tag"];
/** The paths of reader pages: no session, no per-reader content. */
const READER_PAGE = /^\/(?:|search|stories\/[^/]+(?:\/changes)?|claims\/[^/]+|outlets\/[^/]+|documents\/[^/]+)$/;

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
  const page = await lookup(key, () => render(new URL(url.pathname + url.search, origin), requestHeaders));
  if (!page) return null;
  // Joining bytes is a copy; no string is searched, built or encoded per response.
  const filler = Buffer.from(nonce);
  const body = Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [filler, part])));
  return { status: page.status, headers: page.headers, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
}

function lookup(key: string, load: () => Promise<Rendered | null>): Promise<Rendered | null> {
  const now = Date.now();
  const hit = state.entries.get(key);
  if (hit && hit.generation === cacheGeneration() && now - hit.storedAt < MAX_AGE_MS) {
    state.entries.delete(key);
    state.entries.set(key, hit);
    return hit.page;
  }
  if (hit) forget(key, hit);
  const entry: Entry = { generation: cacheGeneration(), storedAt: now, bytes: 0, page: load() };
  state.entries.set(key, entry);
  void entry.page.then(
    (page) => {
      if (state.entries.get(key) !== entry) return;
      if (!page) return forget(key, entry);
      entry.bytes = page.bytes;
      state.bytes += entry.bytes;
      while (state.bytes > MAX_BYTES && state.entries.size > 1) {
        const [oldestKey, oldest] = state.entries.entries().next().value!;
        forget(oldestKey, oldest);
      }
    },
    () => forget(key, entry),
  );
  return entry.page;
}

function forget(key: string, entry: Entry) {
  if (state.entries.get(key) !== entry) return;
  state.entries.delete(key);
  state.bytes -= entry.bytes;
}

async function render(url: URL, requestHeaders: Headers): Promise<Rendered | null> {
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
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: "manual", cache: "no-store" });
  } catch {
    return null;
  }
  if (response.status !== 200 && response.status !== 400 && response.status !== 404) return null;
  const body = await response.text();
  const kept: [string, string][] = [];
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value) kept.push([name, value]);
  }
  const parts = body.split(state.stand).map((part) => Buffer.from(part));
  return { status: response.status, headers: kept, parts, bytes: parts.reduce((sum, part) => sum + part.byteLength, 0) };
}
