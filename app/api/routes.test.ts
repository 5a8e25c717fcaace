import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument, undescribedMethods, type RouteModule } from "@/lib/openapi";
import { READER_FILE, READER_PAGE } from "@/lib/page-cache";
import { NOT_PAGE_SOURCES } from "@/lib/security-headers";
import { config as proxyConfig } from "@/proxy";
import { API_ROUTES } from "./routes";

// The route files are the truth; OpenAPI, the proxy's matcher, next.config's list of what is not a
// page, and the page cache's list of reader pages are each kept beside them and must agree.

const APP = path.join(process.cwd(), "app");

function files(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, name);
    return entry.name === name ? [full] : [];
  });
}

/** A file's route as Next serves it: `app/claims/[id]/page.tsx` is `/claims/[id]`. */
const routeOf = (file: string) => `/${path.relative(APP, path.dirname(file)).split(path.sep).join("/")}`.replace(/\/$/, "") || "/";
/** An address that route answers: each dynamic segment filled in. */
const sampleOf = (route: string) => route.replace(/\[\.\.\.[^\]]+\]/g, "a/b").replace(/\[[^\]]+\]/g, "x");
/** The OpenAPI path of an API route: `[id]` is `{id}`. */
const openApiPathOf = (route: string) => route.replace(/\[([^\].]+)\]/g, "{$1}");

const routeFiles = files(APP, "route.ts").map(routeOf);
const pageFiles = files(APP, "page.tsx").map(routeOf);
// The catch-all answers unknown API paths with a JSON 404; it is not part of the API.
const apiRoutes = routeFiles.filter((r) => r.startsWith("/api/") && !r.includes("[..."));

// Next compiles the matcher itself; its own compiler is used so that the test sees what Next will.
const { getMiddlewareMatchers } = createRequire(import.meta.url)("next/dist/build/analysis/get-page-static-info") as {
  getMiddlewareMatchers(matchers: string[], config: object): { regexp: string }[];
};
const proxied = getMiddlewareMatchers(proxyConfig.matcher, {}).map((m) => new RegExp(m.regexp));
const throughProxy = (address: string) => proxied.some((r) => r.test(address));

/** next.config's `source` patterns, compiled by the path-to-regexp Next itself uses for them. */
const { pathToRegexp } = createRequire(import.meta.url)("next/dist/compiled/path-to-regexp") as { pathToRegexp(source: string): RegExp };
const notPages = NOT_PAGE_SOURCES.map((source) => pathToRegexp(source));
const fixedHeaders = (address: string) => notPages.some((r) => r.test(address));

describe("the API routes", () => {
  it("are the route files under app/api, each listed by its OpenAPI path", () => {
    expect(Object.keys(API_ROUTES).sort()).toEqual(apiRoutes.map(openApiPathOf).sort());
  });

  it.each(Object.entries(API_ROUTES))("%s declares what it accepts on every method", (openApiPath, module) => {
    const methods = Object.keys(module).filter((k) => /^[A-Z]+$/.test(k));
    expect(methods.length).toBeGreaterThan(0);
    expect(undescribedMethods(module as RouteModule)).toEqual([]);
    const documented = openApiDocument(API_ROUTES).paths[openApiPath] ?? {};
    expect(Object.keys(documented).sort()).toEqual(methods.map((m) => m.toLowerCase()).sort());
    // Each path parameter is declared with the schema it is parsed with.
    const segments = [...openApiPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const operation of Object.values(documented) as { parameters: { name: string; in: string }[] }[]) {
      expect(operation.parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(segments);
    }
  });

  it("documents every query parameter a route parses, the changes route's knownAt included", () => {
    const changes = openApiDocument(API_ROUTES).paths["/api/stories/{slug}/changes"]!.get as { parameters: { name: string; required: boolean }[] };
    expect(changes.parameters.map((p) => [p.name, p.required])).toEqual([
      ["slug", true],
      ["from", true],
      ["to", false],
      ["knownAt", false],
    ]);
  });
});

describe("pages and everything else", () => {
  it.each(pageFiles)("the page %s passes through the proxy, which gives it its nonce", (route) => {
    expect(throughProxy(sampleOf(route))).toBe(true);
    expect(fixedHeaders(sampleOf(route))).toBe(false);
  });

  it.each(routeFiles)("the route %s skips the proxy and gets the fixed headers instead", (route) => {
    expect(throughProxy(sampleOf(route))).toBe(false);
    expect(fixedHeaders(sampleOf(route))).toBe(true);
  });

  it("built assets skip the proxy too", () => {
    expect(throughProxy("/_next/static/chunks/main.js")).toBe(false);
    expect(fixedHeaders("/_next/static/chunks/main.js")).toBe(true);
  });

  it("the page cache keeps exactly the reader pages: no editor page, no route", () => {
    const editorOnly = (route: string) => /^\/(editor|signin|setup)(\/|$)/.test(route);
    for (const route of pageFiles) expect([route, READER_PAGE.test(sampleOf(route))]).toEqual([route, !editorOnly(route)]);
    for (const route of routeFiles) expect([route, READER_PAGE.test(sampleOf(route))]).toEqual([route, false]);
  });

  it("the page cache keeps every public file beside the pages (feeds, pictures, cards), and no API route", () => {
    for (const route of routeFiles) expect([route, READER_FILE.test(sampleOf(route))]).toEqual([route, !route.startsWith("/api/")]);
    for (const route of pageFiles) expect([route, READER_FILE.test(sampleOf(route))]).toEqual([route, false]);
  });
});
