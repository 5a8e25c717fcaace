import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getGlobalDispatcher } from "undici";
import { invalidateAll } from "@/lib/cache";
import { RENDER_HEADER, answerFromCache, isCacheable, isRenderRequest, nonceStandIn, plainPage, randomToken } from "@/lib/page-cache";

// A stand-in for Next: it renders a page with the stand-in nonce, as the proxy makes Next do for
// the cache, and counts how often it is asked. In front of it, a server answering from the cache
// as server.ts does, falling back to a plain "framework" answer when the cache declines.
let app: http.Server;
let front: http.Server;
let appOrigin: string;
let base: string;
const renders: string[] = [];
let renderSecret: string | undefined;

const runtime = (nonce: string) =>
  `<link rel="preload" as="script" fetchPriority="low" nonce="${nonce}" href="/_next/static/chunks/a.js"/>` +
  `<script src="/_next/static/chunks/a.js" async="" nonce="${nonce}"></script>` +
  `<script nonce="${nonce}">self.__next_f.push([1,"</p><p>payload"])</script>`;

beforeAll(async () => {
  app = http.createServer((req, res) => {
    renders.push(req.url!);
    renderSecret = req.headers[RENDER_HEADER] as string | undefined;
    if (req.url!.startsWith("/claims/broken")) return void res.writeHead(500).end("boom");
    if (req.url === "/_next/static/chunks/a1.css") {
      res.writeHead(200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" });
      return void res.end(`main{margin:0 auto}${".claim{color:#222}".repeat(200)}`);
    }
    if (req.url === "/feed.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag: 'W/"feed-1"', "last-modified": "Tue, 15 Oct 2024 10:00:00 GMT", "cache-control": "public, max-age=300" });
      return void res.end(`<?xml version="1.0"?><rss>${"<item>relayed</item>".repeat(200)}</rss>`);
    }
    if (req.url === "/claims/shell") {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      return void res.end(`<!DOCTYPE html><html id="__next_error__"><head></head><body>${runtime(nonceStandIn())}</body></html>`);
    }
    if (req.url === "/_not-found") {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      return void res.end(`<!DOCTYPE html><html><body><h1>We could not find that page</h1>${runtime(nonceStandIn())}</body></html>`);
    }
    const status = req.url!.startsWith("/claims/missing") ? 404 : 200;
    const stand = nonceStandIn();
    // Slow enough for simultaneous misses to overlap.
    setTimeout(() => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", "x-internal": "not repeated", "cache-control": "private, no-store", link: `</s.css>; rel=preload; as="style"; nonce="${stand}"` });
      res.end(
        `<!DOCTYPE html><html><head><link rel="stylesheet" href="/s.css" nonce="${stand}"/>${runtime(stand)}</head>` +
          `<body><p>${req.url} for ${req.headers["x-forwarded-host"]} — “quoted” 🦋 عربى</p>${"<p>filler</p>".repeat(200)}` +
          `<script type="application/ld+json">{"@type":"ClaimReview"}</script>${runtime(stand)}</body></html>`,
      );
    }, 50);
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  front = http.createServer((req, res) => {
    if (!isCacheable(req.method, req.url!, req.headers)) return void res.writeHead(418).end("framework");
    answerFromCache(req, res, { origin: appOrigin, dispatcher: getGlobalDispatcher() }, () => res.writeHead(418).end("framework"));
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

/** A raw GET, so that what comes back is the bytes as sent, whatever their coding. */
function get(path: string, headers: http.OutgoingHttpHeaders = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers: { host: "reader.example", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("page cache", () => {
  it("renders a page once and serves it as plain HTML: no script but JSON-LD, no nonce, no preload of scripts", async () => {
    renders.length = 0;
    const first = await get("/claims/1?layout=side");
    const second = await get("/claims/1?layout=side");
    expect(renders).toEqual(["/claims/1?layout=side"]);
    expect(second.body.equals(first.body)).toBe(true);
    const html = second.body.toString("utf8");
    expect(html).toContain("/claims/1?layout=side for reader.example — “quoted” 🦋 عربى");
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script type="application/ld+json">']);
    expect(html).not.toContain("payload");
    expect(html).not.toContain('rel="preload"');
    expect(html).not.toContain("nonce");
    expect(html).toContain('<link rel="stylesheet" href="/s.css"/>');
    expect(Number(second.headers["content-length"])).toBe(second.body.byteLength);
  });

  it("sends the reader policy and the security headers, keeps the page's own type and drops the rest", async () => {
    const res = await get("/claims/1?layout=side");
    expect(res.headers["content-security-policy"]).toContain("script-src 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["cross-origin-opener-policy"]).toBeUndefined();
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["x-internal"]).toBeUndefined();
    expect(res.headers.link).toBe('</s.css>; rel=preload; as="style"');
    expect(res.headers["strict-transport-security"]).toBeUndefined();
    const https = await get("/claims/1?layout=side", { "x-forwarded-proto": "https" });
    expect(https.headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    expect(https.headers["content-security-policy"]).toContain("upgrade-insecure-requests");
  });

  it("answers a revalidation with 304 and the validator, and a HEAD with headers only", async () => {
    const page = await get("/claims/1?layout=side");
    const etag = page.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await get("/claims/1?layout=side", { "if-none-match": `"other", ${etag}` });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers["content-security-policy"]).toContain("script-src 'none'");
    expect((await get("/claims/1?layout=side", { "if-none-match": '"other"' })).status).toBe(200);
    const head = await get("/claims/1?layout=side", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(page.headers["content-length"]);
  });

  it("serves brotli or gzip as the client accepts them, each the same page", async () => {
    // The very reader whose request fills the entry gets brotli.
    const path = "/claims/7";
    const br = await get(path, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    const plain = await get(path);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.byteLength).toBeLessThan(plain.body.byteLength / 4);
    const gz = await get(path, { "accept-encoding": "gzip, br;q=0" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const none = await get(path, { "accept-encoding": "identity" });
    expect(none.headers["content-encoding"]).toBeUndefined();
    expect(none.body.equals(plain.body)).toBe(true);
    for (const res of [plain, br, gz, none]) expect(res.headers.vary).toBe("Accept-Encoding");
  });

  it("keeps a feed's own validators and caching, answers If-Modified-Since, and compresses it", async () => {
    renders.length = 0;
    const feed = await get("/feed.xml", { "accept-encoding": "gzip" });
    expect(feed.headers.etag).toBe('W/"feed-1"');
    expect(feed.headers["cache-control"]).toBe("public, max-age=300");
    expect(feed.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(zlib.gunzipSync(feed.body).toString()).toContain("<item>relayed</item>");
    expect((await get("/feed.xml", { "if-none-match": '"feed-1"' })).status).toBe(304);
    expect((await get("/feed.xml", { "if-modified-since": "Tue, 15 Oct 2024 10:00:00 GMT" })).status).toBe(304);
    expect((await get("/feed.xml", { "if-modified-since": "Tue, 15 Oct 2024 09:59:59 GMT" })).status).toBe(200);
    expect(renders).toEqual(["/feed.xml"]);
  });

  it("keeps a file of the build as the framework sends it, immutable, with the fixed headers and gzip", async () => {
    renders.length = 0;
    const css = await get("/_next/static/chunks/a1.css", { "accept-encoding": "gzip" });
    const again = await get("/_next/static/chunks/a1.css");
    expect(renders).toEqual(["/_next/static/chunks/a1.css"]);
    expect(css.status).toBe(200);
    expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(css.headers["x-content-type-options"]).toBe("nosniff");
    expect(css.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(css.body).equals(again.body)).toBe(true);
    expect(again.body.toString("utf8")).toMatch(/^main\{margin:0 auto\}/);
  });

  it("asks the server with a secret the proxy recognises, and nobody else can forge", async () => {
    await get("/claims/secret");
    expect(isRenderRequest(new Headers({ [RENDER_HEADER]: renderSecret! }))).toBe(true);
    expect(isRenderRequest(new Headers({ [RENDER_HEADER]: randomToken() }))).toBe(false);
    expect(isRenderRequest(new Headers())).toBe(false);
  });

  it("renders again after any write, and per host", async () => {
    renders.length = 0;
    await get("/claims/2");
    invalidateAll();
    await get("/claims/2");
    const other = await get("/claims/2", { host: "mirror.example" });
    expect(other.body.toString()).toContain("for mirror.example");
    expect(renders).toEqual(["/claims/2", "/claims/2", "/claims/2"]);
  });

  it("renders a page once for simultaneous first readers", async () => {
    renders.length = 0;
    const pages = await Promise.all(Array.from({ length: 20 }, () => get("/claims/3")));
    expect(renders).toEqual(["/claims/3"]);
    expect(new Set(pages.map((p) => p.body.toString())).size).toBe(1);
  });

  it("keeps a 404 page, but never a server error, which the framework then answers", async () => {
    renders.length = 0;
    expect((await get("/claims/missing")).status).toBe(404);
    expect((await get("/claims/missing")).status).toBe(404);
    expect((await get("/claims/broken")).status).toBe(418);
    expect((await get("/claims/broken")).status).toBe(418);
    expect(renders).toEqual(["/claims/missing", "/claims/broken", "/claims/broken"]);
  });
  it("serves the framework's not-found page in full where a page's 404 is an empty document for its script to fill", async () => {
    const res = await get("/claims/shell");
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe("<!DOCTYPE html><html><body><h1>We could not find that page</h1></body></html>");
  });
});

describe("plain pages", () => {
  it("refuses a page that uses its nonce anywhere but the framework's scripts", () => {
    const nonce = randomToken();
    expect(() => plainPage(`<html><style nonce="${nonce}">p{}</style></html>`, nonce)).toThrow(/nonce/);
    expect(plainPage(`<html><script nonce="${nonce}">x</script><p>kept</p></html>`, nonce)).toBe("<html><p>kept</p></html>");
  });
});

describe("what may come from the cache", () => {
  const plain = { accept: "text/html" };
  it.each(["/", "/search?q=x", "/stories/who-reshot-ballerina", "/stories/who-reshot-ballerina/changes", "/claims/7", "/outlets/the-wrap", "/documents/2", "/feed.xml", "/stories/x/feed.json", "/outlets/x/feed.atom", "/stories/x/graph.svg", "/claims/7/card.png", "/_next/static/chunks/a1.css"])(
    "a reader's GET of %s",
    (path) => expect(isCacheable("GET", path, plain)).toBe(true),
  );

  it.each(["/editor", "/editor/audit", "/signin", "/setup", "/api/stories", "/claims/7/extra", "/claims/7/feed.xml"])("not %s", (path) => expect(isCacheable("GET", path, plain)).toBe(false));

  it("not a form post, a client-side navigation, a prefetch, or a render for the cache itself", () => {
    expect(isCacheable("POST", "/claims/7", plain)).toBe(false);
    expect(isCacheable("HEAD", "/claims/7", plain)).toBe(true);
    expect(isCacheable("GET", "/claims/7?_rsc=1x2y", plain)).toBe(false);
    for (const header of ["rsc", "next-router-prefetch", "next-router-state-tree", "next-action", RENDER_HEADER]) {
      expect(isCacheable("GET", "/claims/7", { [header]: "1" }), header).toBe(false);
    }
  });
});
