import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "undici";
import { forward, type Upstream } from "@/lib/app-process";

// A stand-in for the application process on a Unix socket, as app-server.ts listens, and in front
// of it a server passing every request on as server.ts does.
let dir: string;
let app: http.Server;
let front: http.Server;
let base: string;
const upstreamOf = (socketPath: string): Upstream => ({ origin: "http://localhost", dispatcher: new Agent({ connect: { socketPath } }) });

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
  const upstream = upstreamOf(path.join(dir, "app.sock"));
  const gone = upstreamOf(path.join(dir, "nobody.sock"));
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
