import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forward, splitConnections, startAppProcess, staysInFront, unixUpstream, type AppProcess } from "@/lib/app-process";
import { cacheStore } from "@/lib/cache";

// A stand-in for the application process on a Unix socket, as app-server.ts listens, and in front
// of it a server passing every request on as server.ts does.
let dir: string;
let app: http.Server;
let front: http.Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "claimtrail-forward-"));
  app = http.createServer((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.byteLength;
      hash.update(chunk);
    });
    req.on("end", () => {
      const seen = { method: req.method, url: req.url, headers: req.headers, bytes, sha256: hash.digest("hex") };
      res.writeHead(req.method === "POST" ? 201 : 200, [
        ["Content-Type", "application/json"],
        ["Set-Cookie", "a=1; HttpOnly"],
        ["Set-Cookie", "b=2; HttpOnly"],
        ["Connection", "keep-alive, x-upstream-hop"],
        ["Keep-Alive", "timeout=77"],
        ["X-Upstream-Hop", "1"],
      ]);
      // Written in pieces, a while apart: the answer streams through.
      const text = JSON.stringify(seen);
      res.write(text.slice(0, 10));
      setTimeout(() => res.end(text.slice(10)), 20);
    });
  });
  await new Promise<void>((resolve) => app.listen(path.join(dir, "app.sock"), resolve));
  const upstream = unixUpstream(path.join(dir, "app.sock"));
  const gone = unixUpstream(path.join(dir, "nobody.sock"));
  front = http.createServer((req, res) => forward(req, res, req.url!.startsWith("/gone") ? gone : upstream));
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await new Promise<void>((resolve) => app.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; bytes: number; sha256: string };

/** A raw request, so that the headers come back as sent; a body is sent in chunks, with no length unless one is given. */
function send(method: string, target: string, headers: http.OutgoingHttpHeaders = {}, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${target}`, { method, headers: { host: "reader.example", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (body) for (let at = 0; at < body.byteLength; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    req.end();
  });
}

describe("forward", () => {
  it("passes a request on with its path, host, headers and whole body, and the answer back with each of its cookies", async () => {
    const body = Buffer.alloc(1_000_000, "claim ");
    const res = await send("POST", "/api/stories/s/claims:batch?dry=1", { "content-type": "application/x-ndjson", "x-forwarded-proto": "https" }, body);
    expect(res.status).toBe(201);
    const seen = JSON.parse(res.text) as Seen;
    expect(seen).toMatchObject({ method: "POST", url: "/api/stories/s/claims:batch?dry=1", bytes: body.byteLength, sha256: createHash("sha256").update(body).digest("hex") });
    expect(seen.headers).toMatchObject({ host: "reader.example", "content-type": "application/x-ndjson", "x-forwarded-proto": "https" });
    expect(res.headers["set-cookie"]).toEqual(["a=1; HttpOnly", "b=2; HttpOnly"]);
    expect(res.headers["content-type"]).toBe("application/json");

    // A small body with its length, as a single write sends it, is passed on whole.
    const small = Buffer.from(JSON.stringify({ documentId: 1, text: "Wiseman led the additional photography." }));
    const one = JSON.parse((await send("POST", "/api/stories/s/claims", { "content-type": "application/json", "content-length": small.byteLength }, small)).text) as Seen;
    expect(one).toMatchObject({ method: "POST", bytes: small.byteLength, sha256: createHash("sha256").update(small).digest("hex") });
    expect(one.headers["content-length"]).toBe(String(small.byteLength));
  });

  it("keeps each side's connection headers to that side", async () => {
    const res = await send("GET", "/page", { connection: "keep-alive, x-hop", "x-hop": "1", te: "trailers" });
    const seen = JSON.parse(res.text) as Seen;
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers["x-hop"]).toBeUndefined();
    expect(seen.headers.connection ?? "").not.toContain("x-hop");
    expect(res.headers["keep-alive"]).not.toBe("timeout=77");
    expect(res.headers["x-upstream-hop"]).toBeUndefined();
    expect(res.headers["set-cookie"]).toHaveLength(2);
  });

  it("answers 502 with the fixed security headers when the application does not answer", async () => {
    const res = await send("GET", "/gone");
    expect(res.status).toBe(502);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.text).toContain("did not answer");
  });
});

describe("staysInFront", () => {
  const stays = (head: string) => staysInFront(Buffer.from(head, "latin1"));

  it("keeps a connection that opens with a read the page cache answers", () => {
    for (const line of ["GET / HTTP/1.1", "GET /stories/who-reshot-ballerina?page=2 HTTP/1.1", "HEAD /claims/1 HTTP/1.1", "GET /feed.xml HTTP/1.1", "GET /_next/static/chunks/a.css HTTP/1.1"]) {
      expect(stays(`${line}\r\nHost: a\r\n\r\n`), line).toBe(true);
    }
  });

  it("hands over one that opens with a write, an API read or an editor's page", () => {
    for (const line of ["POST /stories/who-reshot-ballerina HTTP/1.1", "POST /api/stories/s/claims:batch HTTP/1.1", "GET /api/stories HTTP/1.1", "GET /editor HTTP/1.1", "DELETE /api/claims/1 HTTP/1.1", "OPTIONS / HTTP/1.1"]) {
      expect(stays(`${line}\r\nHost: a\r\n\r\n`), line).toBe(false);
    }
  });

  it("keeps what its HTTP server must answer itself: a target in absolute form, a line it cannot read", () => {
    for (const head of ["GET http://100.100.100.200/latest/meta-data/ HTTP/1.1\r\n", "GET * HTTP/1.1\r\n", "\u0016\u0003\u0001", "get / HTTP/1.1\r\n", "GET /stor"]) {
      expect(stays(head), JSON.stringify(head)).toBe(true);
    }
  });
});

describe("a front and a real application process behind it", () => {
  // The test process is the front: connections that stay are answered here ("front"), and any
  // other request on them is passed on; the fixture says how each request reached it.
  let app: AppProcess;
  let frontServer: http.Server;
  let url: string;
  const pages = cacheStore<string>("front-test", { maxEntries: 10 });

  beforeAll(async () => {
    app = await startAppProcess(fileURLToPath(new URL("testing/app-process-fixture.ts", import.meta.url)), [], ["--import", "tsx"]);
    frontServer = http.createServer((req, res) => {
      if (staysInFront(Buffer.from(`${req.method} ${req.url} `))) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ via: "front", url: req.url }));
      else forward(req, res, app.upstream);
    });
    splitConnections(frontServer, app);
    await new Promise<void>((resolve) => frontServer.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(frontServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    frontServer.close();
    expect(await app.stop()).toBe(0);
  });

  /** Requests one after another on one connection, each answer read whole before the next goes. */
  async function onOneConnection(requests: { method: string; path: string; body?: Buffer }[]) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answers: { via: string; method?: string; url: string; peer?: string | null; bytes?: number; waitedMs?: number; reused: boolean }[] = [];
    try {
      for (const { method, path: target, body } of requests) {
        answers.push(
          await new Promise((resolve, reject) => {
            const req = http.request(`${url}${target}`, { method, agent }, (res) => {
              let text = "";
              res.on("data", (chunk: Buffer) => (text += chunk.toString()));
              res.on("end", () => resolve({ ...JSON.parse(text), reused: req.reusedSocket }));
            });
            req.on("error", reject);
            if (body) for (let at = 0; at < body.byteLength; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
            req.end();
          }),
        );
      }
    } finally {
      agent.destroy();
    }
    return answers;
  }

  it("hands a connection that opens with a write to the application, which reads the whole body, knows the client's address, and answers the rest of the connection", async () => {
    const body = Buffer.alloc(1_000_000, "claim ");
    const [write, page, api] = await onOneConnection([
      { method: "POST", path: "/api/stories/s/claims:batch", body },
      { method: "GET", path: "/stories/s" },
      { method: "GET", path: "/api/stories" },
    ]);
    expect(write).toEqual({ via: "handed over", method: "POST", url: "/api/stories/s/claims:batch", peer: "127.0.0.1", bytes: body.byteLength, reused: false });
    expect(page).toMatchObject({ via: "handed over", url: "/stories/s", reused: true });
    expect(api).toMatchObject({ via: "handed over", url: "/api/stories", reused: true });
  });

  it("keeps a connection that opens with a page, and passes on a write that comes after it", async () => {
    const [page, write, again] = await onOneConnection([
      { method: "GET", path: "/stories/s" },
      { method: "POST", path: "/api/claims", body: Buffer.from("{}") },
      { method: "GET", path: "/claims/1" },
    ]);
    expect(page).toEqual({ via: "front", url: "/stories/s", reused: false });
    expect(write).toMatchObject({ via: "passed on", method: "POST", url: "/api/claims", peer: null, bytes: 2, reused: true });
    expect(again).toEqual({ via: "front", url: "/claims/1", reused: true });
  });

  it("answers requests sent together in one packet, in order, on a handed-over connection", async () => {
    const { port } = new URL(url);
    const socket = net.connect(Number(port), "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    const closed = new Promise((resolve) => socket.on("close", resolve));
    socket.write("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await closed;
    const bodies = [...text.matchAll(/\{[^}]*\}/g)].map(([json]) => JSON.parse(json));
    expect(bodies).toEqual([
      { via: "handed over", method: "POST", url: "/a", peer: "127.0.0.1", bytes: 3 },
      { via: "handed over", method: "GET", url: "/b", peer: "127.0.0.1", bytes: 0 },
    ]);
  });

  it("a write on a handed-over connection answers only once the front has dropped its cache", async () => {
    // The front is kept busy for a while when the application reports the write; the write must wait for it.
    const busy = (message: unknown) => {
      if (typeof message !== "object" || message === null || !("written" in message)) return;
      const until = performance.now() + 150;
      while (performance.now() < until);
    };
    app.child.prependListener("message", busy);
    try {
      await pages("page", async () => "before the write");
      expect(pages.peek("page")).toBe("before the write");
      const [write] = await onOneConnection([{ method: "POST", path: "/write", body: Buffer.from("x") }]);
      expect(write).toMatchObject({ via: "handed over", url: "/write" });
      expect(write!.waitedMs).toBeGreaterThanOrEqual(140);
      expect(pages.peek("page")).toBeUndefined();
    } finally {
      app.child.removeListener("message", busy);
    }
  });
});
