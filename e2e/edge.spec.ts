import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

type RawAnswer = { status: number; headers: http.IncomingHttpHeaders };

/** A request as any client may send it, not as a browser would: any request target, any headers. */
function raw(baseURL: string, target: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: "GET", path: target, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

function expectFixedHeaders(headers: http.IncomingHttpHeaders) {
  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
}

test.describe("the server answers for its own site only", () => {
  test("a request whose target names another host is refused, and the answer names no other host", async ({ baseURL }) => {
    for (const target of ["http://100.100.100.200/latest/meta-data/", "https://example.org/", "http://localhost.example/stories/who-reshot-ballerina", "*"]) {
      const res = await raw(baseURL!, target);
      expect(res.status, target).toBe(400);
      expectFixedHeaders(res.headers);
      expect(res.headers.location, target).toBeUndefined();
      expect(res.headers.refresh, target).toBeUndefined();
    }
  });

  test("a target in absolute form naming this host is served as its path", async ({ baseURL }) => {
    const res = await raw(baseURL!, `${baseURL}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("application/json");
  });

  test("redirects carry the security headers and stay on this site", async ({ baseURL }) => {
    for (const target of ["/stories/who-reshot-ballerina/", "//evil.example/"]) {
      const res = await raw(baseURL!, target);
      expect(res.status, target).toBe(308);
      expectFixedHeaders(res.headers);
      expect(res.headers.location, target).toMatch(/^\/[^/]/);
    }
  });
});

test.describe("sign-in limits count the connection, not a header the client writes", () => {
  test.describe.configure({ timeout: 120_000 });

  // A server of its own: the test spends an address's attempts, which the shared servers' other
  // tests need. TRUST_PROXY_HOPS is left at its default, 0: no proxy in front of it.
  let url: string;
  let stop: () => void;
  test.beforeAll(async () => {
    const port = Number(new URL(process.env.E2E_SETUP_URL!).port) + 5;
    url = `http://127.0.0.1:${port}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-edge-"));
    const child = spawn("bash", ["scripts/start.sh", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, PGLITE_DIR: path.join(dir, "db"), DATABASE_URL: "", SEED_ON_START: "0", WATCHER: "0" },
      stdio: "ignore",
      detached: true,
    });
    stop = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // Already gone.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error("the server did not start within a minute");
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  test.afterAll(() => stop?.());

  test("a new X-Forwarded-For on every attempt does not buy more attempts", async ({ browser }) => {
    const tryOnce = async (i: number) => {
      const context = await browser.newContext({ baseURL: url, extraHTTPHeaders: { "X-Forwarded-For": `203.0.113.${i}` } });
      const page = await context.newPage();
      await page.goto("/signin");
      // A new account each time, so that only the per-address limit (20 in 15 minutes) can bite.
      await page.getByLabel("Email").fill(`nobody${i}@example.org`);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      const message = page.getByText(/do not match|Too many attempts/);
      await expect(message).toBeVisible();
      const text = (await message.textContent()) ?? "";
      await context.close();
      return text;
    };
    for (let i = 1; i <= 20; i++) expect(await tryOnce(i)).toContain("do not match");
    expect(await tryOnce(21)).toContain("Too many attempts");
  });
});
