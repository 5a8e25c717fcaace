import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { Parser } from "htmlparser2";
import { fetch } from "undici";
import type { Upstream } from "@/lib/app-process";
import { cacheStore } from "@/lib/cache";
import { acceptsCoding, isNotModified, worthCompressing } from "@/lib/conditional";
import { env } from "@/lib/env";
import { isHttps, publicOrigin } from "@/lib/origin";
import { FIXED_HEADERS, READER_HEADERS, readerPolicy, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";
import { sha256 } from "@/lib/sha256";

/**
 * Reader pages, the public files beside them (feeds, pictures, share cards) and the build's
 * stylesheets and fonts, rendered once by the application process and answered by the front
 * process (server.ts, lib/app-process.ts) until the next write, with the bytes of every encoding
 * prepared when the entry is made.
 *
 * Reader pages go out as plain HTML: they work in full without script, so the framework's
 * runtime, its copy of the page for the client router and the hints that preload them are cut
 * out of the rendering, and the page's policy lets no script run at all. Nothing in a page then
 * depends on the response, so one entry's bytes serve every reader.
 *
 * Entries belong to the read cache's generation, which every committed write (here, or in another
 * process through NOTIFY) moves on.
 */
export type CachedEntry = {
  status: number;
  etag: string;
  lastModified: Date | null;
  /** The whole header list of a 200 (or 404), one per encoding, ready for `writeHead`. */
  identity: Variant;
  gzip: Variant | null;
  br: Variant | null;
  /** The headers a 304 repeats. */
  notModified: string[];
};
type Variant = { headers: string[]; body: Buffer };

const pages = cacheStore<CachedEntry>("pages", { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, sizeOf: sizeOf });
/** Headers of the rendering worth repeating; the security headers are the cache's own. */
const KEPT_HEADERS = ["content-type", "cache-control", "vary", "link", "x-robots-tag", "etag", "last-modified"];
/** The paths of reader pages: no session, no per-reader content. */
export const READER_PAGE = /^\/(?:|search|watcher|stories\/[^/]+(?:\/changes)?|claims\/[^/]+|outlets\/[^/]+|documents\/[^/]+)$/;
/** The public files of reader pages (next.config.ts gives them the fixed headers: NOT_PAGE_SOURCES). */
export const READER_FILE = /^\/(?:(?:(?:stories|outlets)\/[^/]+\/)?feed\.(?:xml|atom|json)|stories\/[^/]+\/graph\.svg|(?:stories|claims)\/[^/]+\/card\.png)$/;
/** The build's own files (stylesheets, fonts, editor pages' scripts): the same bytes until the next build. */
const BUILD_FILES = "/_next/static/";
/** The framework's not-found page, rendered in full. */
const NOT_FOUND_PATH = "/_not-found";
/** Pages ask browsers to check with the server each time they show one; a 304 then costs a few headers. */
const PAGE_CACHE_CONTROL = "no-cache";

/** A nonce: 128 random bits in hex, which is also valid base64 as CSP asks. */
export function randomToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

type PageSecrets = { stand: string; secret: string };
/** How the front hands its secrets to the application process it starts, which renders with them. */
const SECRETS_ENV = "CLAIMTRAIL_PAGE_SECRETS";
const holder = globalThis as { claimtrailPageSecrets?: PageSecrets };
const inherited = process.env[SECRETS_ENV];
const state = (holder.claimtrailPageSecrets ??= inherited ? (JSON.parse(inherited) as PageSecrets) : { stand: randomToken(), secret: randomToken() });

/** The environment that gives a process started from this one the same secrets. */
export function pageSecretsEnv(): Record<string, string> {
  return { [SECRETS_ENV]: JSON.stringify(state) };
}

/** The header a rendering request carries, so that Next renders it rather than the cache answering it. */
export const RENDER_HEADER = "x-claimtrail-render";

export function isRenderRequest(headers: Headers): boolean {
  return headers.get(RENDER_HEADER) === state.secret;
}

/** The nonce a rendering for the cache is given (proxy.ts): known here, so that it can be cut out. */
export function nonceStandIn(): string {
  return state.stand;
}

/** Whether a path (its query aside) names a reader page or file or a file of the build. */
export function isCacheablePath(path: string): boolean {
  const query = path.indexOf("?");
  const pathname = query === -1 ? path : path.slice(0, query);
  return READER_PAGE.test(pathname) || READER_FILE.test(pathname) || pathname.startsWith(BUILD_FILES);
}

/**
 * Whether the cache answers a request: a plain GET or HEAD of a reader page or file or of a file
 * of the build, not one of the client router's requests for a page's data (from editor pages,
 * which keep the runtime).
 */
export function isCacheable(method: string | undefined, path: string, headers: IncomingHttpHeaders): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const query = path.indexOf("?");
  return (
    isCacheablePath(path) &&
    !(query !== -1 && path.includes("_rsc", query) && new URLSearchParams(path.slice(query)).has("_rsc")) &&
    headers.rsc === undefined &&
    headers["next-router-prefetch"] === undefined &&
    headers["next-router-state-tree"] === undefined &&
    headers["next-action"] === undefined &&
    headers[RENDER_HEADER] === undefined
  );
}

/**
 * Answers a cacheable request (isCacheable) from the cache, rendering the entry through `upstream`
 * (the application process) on a miss. When it cannot (the rendering failed or is not to be kept,
 * such as a server error, or no server answered), `otherwise` answers instead, as the framework
 * would.
 */
export function answerFromCache(request: IncomingMessage, response: ServerResponse, upstream: Upstream, otherwise: () => void): void {
  const headers = new NodeHeaders(request.headers);
  const https = isHttps(headers);
  const path = request.url!;
  // Pages name their own origin in their links, so the key holds the origin they will name.
  const key = `${https ? "s" : "p"} ${publicOrigin(headers)}${path}`;
  const hit = pages.peek(key);
  if (hit) return send(request, response, hit);
  const render = () => renderEntry(upstream, new URL(path, upstream.origin), headers, https);
  (env().PAGE_CACHE ? pages(key, render) : render()).then(
    (entry) => send(request, response, entry),
    () => otherwise(),
  );
}

const headerOf = (headers: IncomingHttpHeaders, name: string): string | null => {
  const value = headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
};

/** Node's request headers read as `Headers` are (lower-case names); a class, so a hit makes no closure. */
class NodeHeaders implements Pick<Headers, "get"> {
  constructor(private readonly headers: IncomingHttpHeaders) {}
  get(name: string): string | null {
    return headerOf(this.headers, name);
  }
}

function send(request: IncomingMessage, response: ServerResponse, entry: CachedEntry): void {
  if (entry.status === 200 && isNotModified(headerOf(request.headers, "if-none-match"), headerOf(request.headers, "if-modified-since"), entry.etag, entry.lastModified)) {
    response.writeHead(304, entry.notModified).end();
    return;
  }
  const variant = pickEncoding(request.headers["accept-encoding"], entry);
  response.writeHead(entry.status, variant.headers);
  response.end(request.method === "HEAD" ? undefined : variant.body);
}

/** Brotli, else gzip, else the bytes as they are; a coding the client gives q=0 is refused. */
function pickEncoding(accepted: string | undefined, entry: CachedEntry): Variant {
  if (!accepted || (!entry.br && !entry.gzip)) return entry.identity;
  if (entry.br && acceptsCoding(accepted, "br")) return entry.br;
  if (entry.gzip && acceptsCoding(accepted, "gzip")) return entry.gzip;
  return entry.identity;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Asks the application for the page or file; fails, so that nothing is kept, unless the answer may be kept. */
async function renderEntry({ dispatcher }: Upstream, url: URL, requestHeaders: Pick<Headers, "get">, https: boolean): Promise<CachedEntry> {
  const headers: Record<string, string> = { [RENDER_HEADER]: state.secret, "accept-encoding": "identity" };
  const proto = requestHeaders.get("x-forwarded-proto");
  if (proto) headers["x-forwarded-proto"] = proto;
  // The page names the reader's host in its links; a request to the application cannot set Host.
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host");
  if (host) headers["x-forwarded-host"] = host;
  const page = READER_PAGE.test(url.pathname);
  const response = await fetch(url, { headers, redirect: "manual", dispatcher });
  if (response.status !== 200 && response.status !== 404 && !(page && response.status === 400)) {
    // Not awaited: undici can leave the cancel of a body already received pending.
    void response.body?.cancel().catch(() => {});
    throw new Error(`${url.pathname} answered ${response.status}`);
  }
  const kept = new Map<string, string>();
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value) kept.set(name, value);
  }
  let body = Buffer.from(await response.arrayBuffer());
  if (page) {
    // A page that answers 404 (notFound()) comes as an empty document the framework's script
    // fills in with the not-found page; the framework renders that page in full for a path it has
    // no route for, and prerenders it as /_not-found.
    let html = body.toString("utf8");
    if (response.status === 404 && html.includes('<html id="__next_error__"')) {
      html = await (await fetch(new URL(NOT_FOUND_PATH, url), { headers, redirect: "manual", dispatcher })).text();
    }
    body = Buffer.from(plainPage(html, state.stand));
    kept.set("cache-control", PAGE_CACHE_CONTROL);
    // The stylesheet's preload hint names the nonce too; the policy allows it without.
    const link = kept.get("link");
    if (link) kept.set("link", link.replaceAll(`; nonce="${state.stand}"`, ""));
  }
  const etag = kept.get("etag") ?? `"${sha256(body).slice(0, 32)}"`;
  kept.set("etag", etag);
  const lastModified = kept.has("last-modified") ? new Date(kept.get("last-modified")!) : null;

  const compress = worthCompressing(kept.get("content-type"), body.byteLength);
  const vary = kept.get("vary");
  if (compress && !/\baccept-encoding\b/i.test(vary ?? "")) kept.set("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");

  const security: (readonly [string, string])[] = page ? [["Content-Security-Policy", readerPolicy(https)], ...READER_HEADERS] : [...FIXED_HEADERS];
  if (https) security.push(["Strict-Transport-Security", STRICT_TRANSPORT_SECURITY]);
  const common = [...security, ...kept].flat();
  const variant = (coded: Buffer, coding?: string): Variant => ({
    headers: [...common, ...(coding ? ["Content-Encoding", coding] : []), "Content-Length", String(coded.byteLength)],
    body: coded,
  });
  // Both codings are made before the first answer, side by side in libuv's threads. Every write
  // drops every entry, so each costs its share of the next render: brotli at its best quality (11)
  // took 225 ms for the largest story page (134 KB), more than the render itself, for 16.0 KB;
  // at quality 5, 2.5 ms for 18.3 KB, and 0.9–1.2 ms for the 35–103 KB claim, story and feeds.
  const [gzipped, brotlied] = compress
    ? await Promise.all([
        gzip(body, { level: 9 }),
        brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } }),
      ])
    : [null, null];
  return {
    status: response.status,
    etag,
    lastModified,
    identity: variant(body),
    br: brotlied && variant(brotlied, "br"),
    gzip: gzipped && variant(gzipped, "gzip"),
    notModified: [...security.flat(), ...["cache-control", "etag", "last-modified", "vary"].flatMap((name) => (kept.has(name) ? [name, kept.get(name)!] : []))],
  };
}

function sizeOf(entry: CachedEntry): number {
  return entry.identity.body.byteLength + (entry.gzip?.body.byteLength ?? 0) + (entry.br?.body.byteLength ?? 0);
}

/**
 * A reader page as plain HTML: the framework's scripts (its runtime and the page's data for the
 * client router) and the links that preload them cut out, JSON-LD kept, and the nonce the
 * rendering was given taken off its stylesheet links, which the policy allows as the site's own.
 * The markup is otherwise left byte for byte as rendered. Fails if the nonce is still found (an
 * inline style, say), as the page would then depend on it.
 */
export function plainPage(html: string, nonce: string): string {
  const edits: { start: number; end: number; text: string }[] = [];
  let scriptStart: number | null = null;
  const parser = new Parser({
    onopentag(name, attributes) {
      const [start, end] = [parser.startIndex, parser.endIndex + 1];
      const rel = attributes.rel?.toLowerCase();
      if (name === "script" && attributes.type !== "application/ld+json") scriptStart = start;
      else if (name === "link" && ((rel === "preload" && attributes.as === "script") || rel === "modulepreload")) edits.push({ start, end, text: "" });
      else if (name === "link" && attributes.nonce === nonce) edits.push({ start, end, text: html.slice(start, end).replace(` nonce="${nonce}"`, "") });
    },
    onclosetag(name) {
      if (name === "script" && scriptStart !== null) {
        edits.push({ start: scriptStart, end: parser.endIndex + 1, text: "" });
        scriptStart = null;
      }
    },
  });
  parser.end(html);
  let plain = "";
  let at = 0;
  for (const { start, end, text } of edits) {
    plain += html.slice(at, start) + text;
    at = end;
  }
  plain += html.slice(at);
  if (plain.includes(nonce)) throw new Error("The page uses its nonce outside the framework's scripts and stylesheet links.");
  return plain;
}
