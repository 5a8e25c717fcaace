import { expect, test, type APIResponse, type Page } from "@playwright/test";

const SEED_STORY = "/stories/who-reshot-ballerina";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectCommonHeaders(res: APIResponse) {
  const headers = res.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toContain("camera=()");
  // Served over plain HTTP here: HSTS would be ignored, and is not sent.
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["x-powered-by"]).toBeUndefined();
  return directives(headers["content-security-policy"] ?? "");
}

/**
 * A page rendered by Next (editor pages, and paths with no page) runs its own scripts and styles,
 * and only those that carry this response's nonce; a reader page runs no script at all.
 */
function expectPageHeaders(res: APIResponse, reader: boolean) {
  const csp = expectCommonHeaders(res);
  const scripts = csp.get("script-src") ?? [];
  if (reader) {
    expect(scripts).toEqual(["'none'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    // The same bytes for every reader, with nothing a window of another site could learn from them.
    expect(res.headers()["cross-origin-opener-policy"]).toBeUndefined();
  } else {
    expect(scripts).toContainEqual(expect.stringMatching(/^'nonce-[A-Za-z0-9+/]+={0,2}'$/));
    expect(res.headers()["cross-origin-opener-policy"]).toBe("same-origin");
  }
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'self'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(csp.get("form-action")).toEqual(["'self'"]);
  expect(csp.get("style-src")).not.toContain("'unsafe-inline'");
}

/** JSON and feeds: opened in a browser, nothing in them may load or run, and nothing may frame them. */
function expectDataHeaders(res: APIResponse) {
  const csp = expectCommonHeaders(res);
  expect(csp.get("default-src")).toEqual(["'none'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(csp.has("script-src")).toBe(false);
}

/**
 * Records, from the first script on, CSP violations, console errors and failed loads. A missing
 * favicon is the browser guessing, not the page asking, so it is left out.
 */
async function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (r.status() >= 400 && r.request().resourceType() !== "document" && url.pathname !== "/favicon.ico") {
      problems.push(`${r.status()} for ${url.pathname}`);
    }
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __violations?: string[] };
      (w.__violations ??= []).push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sample})`);
    });
  });
  return {
    problems,
    async violations(): Promise<string[]> {
      return page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    },
  };
}

/** Next's client sets `window.next` once its bundles ran: had the policy blocked them, it never appears. */
async function expectHydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { next?: { appDir?: boolean } }).next?.appDir === true);
  expect(await page.evaluate(() => Array.isArray((self as unknown as { __next_f?: unknown[] }).__next_f))).toBe(true);
}

test.describe("security headers", () => {
  test("pages, API routes, feeds and 404s all carry them", async ({ request }) => {
    const readerPages = ["/", SEED_STORY, "/search?q=Ballerina", "/outlets/the-wrap", "/claims/1", "/documents/1", "/stories/no-such-story"];
    const pages = [...readerPages, "/signin", "/no-such-page", "/_next/no-such-thing", "/_next/image/no-such-image"];
    const data = [
      "/feed.xml",
      `${SEED_STORY}/feed.atom`,
      "/outlets/the-wrap/feed.json",
      "/api/health",
      "/api/openapi.json",
      "/api/stories/who-reshot-ballerina",
      "/api/stories/no-such-story",
      "/api/no-such-route",
      "/_next/static/no-such-chunk.js",
    ];
    for (const path of [...pages, ...data]) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(path.includes("no-such") ? 404 : 200);
      if (pages.includes(path)) expectPageHeaders(res, readerPages.includes(path));
      else expectDataHeaders(res);
    }
  });

  test("an unknown API path answers in the API's JSON error shape", async ({ request }) => {
    const answers = [
      await request.get("/api/no-such-route"),
      await request.post("/api/stories/who-reshot-ballerina/no-such-thing", { data: {} }),
      await request.fetch("/api/no-such-route", { method: "OPTIONS" }),
    ];
    for (const res of answers) {
      expect(res.status()).toBe(404);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect((await res.json()).error.code).toBe("not_found");
    }
  });

  test("a write refused by the API carries them too", async ({ request }) => {
    const res = await request.post("/api/stories", { data: { title: "No token" } });
    expect(res.status()).toBe(401);
    expectDataHeaders(res);
  });

  test("each response of a page Next renders gets a fresh nonce, and the page's scripts carry exactly that one", async ({ request }) => {
    const first = await request.get("/signin");
    const second = await request.get("/signin");
    const nonceOf = (res: APIResponse) => /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"]!)![1]!;
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    for (const res of [first, second]) {
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(res)}"`);
    }
  });

  test("reader pages carry no script but their JSON-LD, and no nonce: every reader gets the same bytes", async ({ request }) => {
    for (const path of ["/", SEED_STORY, "/claims/4", "/stories/no-such-story"]) {
      const [first, second] = [await request.get(path), await request.get(path)];
      const html = await first.text();
      expect(await second.text(), path).toBe(html);
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.filter((tag) => tag !== '<script type="application/ld+json">'), path).toEqual([]);
      expect(html, path).not.toMatch(/nonce|\/_next\/static\/[^"]+\.js/);
    }
  });

  test("static files are served with nosniff", async ({ request }) => {
    const html = await (await request.get("/signin")).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const res = await request.get(asset!);
    expect(res.status()).toBe(200);
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("behind a TLS-terminating proxy, HTTPS is enforced", async ({ request }) => {
    const res = await request.get("/", { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    expect(directives(res.headers()["content-security-policy"]!).has("upgrade-insecure-requests")).toBe(true);
    for (const path of ["/api/health", "/feed.xml"]) {
      const data = await request.get(path, { headers: { "x-forwarded-proto": "https, http" } });
      expect(data.headers()["strict-transport-security"], path).toMatch(/max-age=\d{7,}/);
    }
  });
});

test.describe("pages run under the policy", () => {
  for (const path of ["/", SEED_STORY, "/search?q=Ballerina", "/outlets/the-wrap", "/claims/1", "/documents/1", "/stories/no-such-story"]) {
    test(`${path} loads with no script, no violation and no console error`, async ({ page }) => {
      const watcher = await watch(page);
      const res = await page.goto(path, { waitUntil: "load" });
      expect(res!.status()).toBe(path.includes("no-such") ? 404 : 200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // Next's client would have set `window.next` had any of its scripts come with the page.
      expect(await page.evaluate(() => "next" in window || "__next_f" in self)).toBe(false);
      expect(await watcher.violations()).toEqual([]);
      expect(watcher.problems).toEqual([]);
    });
  }

  for (const path of ["/signin", "/no-such-page"]) {
    test(`${path} loads and hydrates with no violation and no console error`, async ({ page }) => {
      const watcher = await watch(page);
      const res = await page.goto(path);
      expect(res!.status()).toBe(path.includes("no-such") ? 404 : 200);
      await expectHydrated(page);
      expect(await watcher.violations()).toEqual([]);
      expect(watcher.problems).toEqual([]);
    });
  }

  test("links between reader pages load the next page with no violation", async ({ page }) => {
    const watcher = await watch(page);
    await page.goto("/");
    await page.getByRole("link", { name: "Who reshot Ballerina?" }).click();
    await expect(page).toHaveURL(new RegExp(`${SEED_STORY}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Ballerina");
    expect(await watcher.violations()).toEqual([]);
    expect(watcher.problems).toEqual([]);
  });

  test("markup that slipped past escaping cannot run script: no nonce, no inline handler", async ({ page }) => {
    const watcher = await watch(page);
    // The server's own page and headers, with an injection added as if a claim's text had been
    // written into the HTML unescaped.
    await page.route(`**${SEED_STORY}`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        "</main>",
        `<script>window.__injected = "script"</script><img src="data:," onerror="window.__injected = 'handler'"></main>`,
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(SEED_STORY, { waitUntil: "load" });
    expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
    const blocked = (await watcher.violations()).map((v) => v.split(" ")[0]);
    expect(blocked).toContain("script-src-elem");
    expect(blocked).toContain("script-src-attr");
  });
});
