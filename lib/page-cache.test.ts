import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidateAll } from "@/lib/cache";
import { RENDER_HEADER, cachedPage, isCacheable, isRenderRequest, nonceStandIn, randomToken } from "@/lib/page-cache";

// A stand-in for the app server: it renders a page with the nonce the render request asks for,
// as the proxy makes Next do, and counts how often it is asked.
let server: http.Server;
let origin: string;
const renders: string[] = [];
let renderSecret: string | undefined;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    renders.push(req.url!);
    renderSecret = req.headers[RENDER_HEADER] as string | undefined;
    if (req.url!.startsWith("/claims/broken")) return void res.writeHead(500).end("boom");
    const status = req.url!.startsWith("/claims/missing") ? 404 : 200;
    // Slow enough for simultaneous misses to overlap.
    setTimeout(() => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", "x-internal": "not repeated" });
      res.end(`<html><script nonce="${nonceStandIn()}">1</script><p>${req.url} for ${req.headers["x-forwarded-host"]} — “quoted” 🦋 عربى</p></html>`);
    }, 50);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const page = async (path: string, nonce = randomToken()) => {
  const found = await cachedPage(new URL(path, "http://reader.example"), `http://reader.example${path}`, origin, new Headers({ host: "reader.example" }), nonce);
  return found && { ...found, body: new TextDecoder().decode(found.body) };
};

describe("page cache", () => {
  it("renders a page once and gives every response its own nonce, never the stand-in", async () => {
    renders.length = 0;
    const [a, b] = [randomToken(), randomToken()];
    const first = await page("/claims/1?layout=side", a);
    const second = await page("/claims/1?layout=side", b);
    expect(renders).toEqual(["/claims/1?layout=side"]);
    expect(first!.body).toContain(`nonce="${a}"`);
    expect(second!.body).toContain(`nonce="${b}"`);
    expect(second!.body).toContain("/claims/1?layout=side for reader.example — “quoted” 🦋 عربى");
    expect(second!.body).not.toContain(nonceStandIn());
    expect(second!.headers).toEqual([["content-type", "text/html; charset=utf-8"]]);
  });

  it("asks the server with a secret the proxy recognises, and nobody else can forge", async () => {
    await page("/claims/secret");
    expect(isRenderRequest(new Headers({ [RENDER_HEADER]: renderSecret! }))).toBe(true);
    expect(isRenderRequest(new Headers({ [RENDER_HEADER]: randomToken() }))).toBe(false);
    expect(isRenderRequest(new Headers())).toBe(false);
  });

  it("renders again after any write", async () => {
    renders.length = 0;
    await page("/claims/2");
    invalidateAll();
    await page("/claims/2");
    expect(renders).toEqual(["/claims/2", "/claims/2"]);
  });

  it("renders a page once for simultaneous first readers", async () => {
    renders.length = 0;
    const pages = await Promise.all(Array.from({ length: 20 }, () => page("/claims/3")));
    expect(renders).toEqual(["/claims/3"]);
    expect(new Set(pages.map((p) => p!.body)).size).toBe(20);
  });

  it("keeps a 404 page, but never a server error", async () => {
    renders.length = 0;
    expect((await page("/claims/missing"))!.status).toBe(404);
    expect((await page("/claims/missing"))!.status).toBe(404);
    expect(await page("/claims/broken")).toBeNull();
    expect(await page("/claims/broken")).toBeNull();
    expect(renders).toEqual(["/claims/missing", "/claims/broken", "/claims/broken"]);
  });

  it("gives up, so the page renders as usual, when the server cannot be reached", async () => {
    const unreachable = await cachedPage(new URL("http://reader.example/claims/9"), "unreachable", "http://127.0.0.1:9", new Headers(), randomToken());
    expect(unreachable).toBeNull();
  });
});

describe("what may come from the cache", () => {
  const plain = new Headers({ accept: "text/html" });
  it.each(["/", "/search", "/stories/who-reshot-ballerina", "/stories/who-reshot-ballerina/changes", "/claims/7", "/outlets/the-wrap", "/documents/2"])(
    "a reader's GET of %s",
    (path) => expect(isCacheable("GET", new URL(path, "http://reader.example"), plain)).toBe(true),
  );

  it.each(["/editor", "/editor/audit", "/signin", "/setup", "/api/stories", "/feed.xml", "/stories/x/feed.json", "/claims/7/extra"])("not %s", (path) =>
    expect(isCacheable("GET", new URL(path, "http://reader.example"), plain)).toBe(false),
  );

  it("not a form post, a client-side navigation, a prefetch, or a render for the cache itself", () => {
    const claim = new URL("http://reader.example/claims/7");
    expect(isCacheable("POST", claim, plain)).toBe(false);
    expect(isCacheable("HEAD", claim, plain)).toBe(false);
    expect(isCacheable("GET", new URL("http://reader.example/claims/7?_rsc=1x2y"), plain)).toBe(false);
    for (const header of ["rsc", "next-router-prefetch", "next-router-state-tree", "next-action", RENDER_HEADER]) {
      expect(isCacheable("GET", claim, new Headers({ [header]: "1" })), header).toBe(false);
    }
  });
});
