import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { failSignIn, spawnStartScript, startOwnServer } from "./helpers";

type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string; reusedSocket: boolean };

/** A request as any client may send it, not as a browser would: any method, request target and headers, on the agent's connection if given. */
function raw(baseURL: string, target: string, headers: Record<string, string> = {}, method = "GET", agent?: http.Agent): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: target, headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, reusedSocket: req.reusedSocket }));
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

  test("so does the application process, on a connection that opens with a write", async ({ baseURL }) => {
    for (const target of ["http://100.100.100.200/latest/meta-data/", "https://example.org/api/claims"]) {
      const res = await raw(baseURL!, target, { "content-type": "application/json" }, "POST");
      expect(res.status, target).toBe(400);
      expectFixedHeaders(res.headers);
      expect(res.headers.location, target).toBeUndefined();
    }
  });

  test("a reader page asked for after a write on the same connection is the page every reader gets", async ({ baseURL }) => {
    const page = "/stories/who-reshot-ballerina";
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Refused for want of a session: a write all the same, so the application takes the connection.
      const write = await raw(baseURL!, "/api/stories", { "content-type": "application/json" }, "POST", agent);
      expect(write.status).toBe(401);
      expectFixedHeaders(write.headers);
      const after = await raw(baseURL!, page, {}, "GET", agent);
      expect(after.reusedSocket).toBe(true);
      const fresh = await raw(baseURL!, page);
      expect(after.status).toBe(200);
      expect(after.headers["content-security-policy"]).toBe(fresh.headers["content-security-policy"]);
      expect(after.headers["content-security-policy"]).toContain("script-src 'none'");
      expect(after.headers.etag).toBe(fresh.headers.etag);
      expect(after.body).toBe(fresh.body);
      expect(after.body).toContain("Ballerina");
      expect(after.body).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    } finally {
      agent.destroy();
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
  let server: { url: string; stop: () => void } | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-edge-"));
  test.beforeAll(async () => {
    server = await startOwnServer(Number(new URL(process.env.E2E_SETUP_URL!).port) + 5, { PGLITE_DIR: path.join(dir, "db"), DATABASE_URL: "" });
  });
  test.afterAll(() => {
    server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a new X-Forwarded-For on every attempt does not buy more attempts", async ({ browser }) => {
    // A new account each time, so that only the per-address limit (20 in 15 minutes) can bite.
    const tryOnce = (i: number) => failSignIn(browser, server!.url, `nobody${i}@example.org`, { "X-Forwarded-For": `203.0.113.${i}` });
    for (let i = 1; i <= 20; i++) expect(await tryOnce(i)).toContain("do not match");
    expect(await tryOnce(21)).toContain("Too many attempts");
  });
});

test("a server whose port is taken says so and exits, rather than run on with nothing listening", async () => {
  test.setTimeout(90_000);
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const { port } = holder.address() as net.AddressInfo;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-port-"));
  const { child, stop } = spawnStartScript(port, { PGLITE_DIR: path.join(dir, "db"), DATABASE_URL: "" }, ["ignore", "ignore", "pipe"]);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 60_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`Claimtrail cannot listen on 127.0.0.1:${port}`);
    expect(stderr).toContain("EADDRINUSE");
  } finally {
    stop();
    holder.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.describe("the front and the application process behind it live and die together", () => {
  test.describe.configure({ timeout: 120_000 });

  /** The application process: the one child of the front, which is the process the script execs into. */
  const applicationOf = (front: number) => Number(execFileSync("pgrep", ["-P", String(front)], { encoding: "utf8" }).trim());
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const freePort = async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  };

  test("when the application process dies, the front says so and exits with status 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-app-"));
    const { url, child, stop } = await startOwnServer(await freePort(), { PGLITE_DIR: path.join(dir, "db"), DATABASE_URL: "" }, ["ignore", "ignore", "pipe"]);
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      process.kill(applicationOf(child.pid!), "SIGKILL");
      expect(await exited).toBe(1);
      expect(stderr).toContain("application process exited");
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    } finally {
      stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("when the front is killed outright, the application process ends too", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-app-"));
    const { child, stop } = await startOwnServer(await freePort(), { PGLITE_DIR: path.join(dir, "db"), DATABASE_URL: "" });
    try {
      const application = applicationOf(child.pid!);
      expect(alive(application)).toBe(true);
      process.kill(child.pid!, "SIGKILL");
      await expect.poll(() => alive(application), { timeout: 10_000 }).toBe(false);
    } finally {
      stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
