import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API_ROUTES } from "@/app/api/routes";
import { apiAnswerer } from "@/lib/api-server";
import { acceptsCoding } from "@/lib/conditional";
import { FIXED_HEADERS } from "@/lib/security-headers";
import { makeEditor, seededTestDatabase, tableCounts, type TestDatabase } from "@/lib/testing/db";

// The API as server.ts answers it: the real route handlers behind a real HTTP server, with a
// stand-in for Next that answers whatever the API leaves to it.
let database: TestDatabase;
let token: string;
const servers: http.Server[] = [];
let base: string;

/** A server answering with `answerApi`, and as the framework (418) for whatever it leaves. */
async function serve(answerApi: ReturnType<typeof apiAnswerer>): Promise<string> {
  const server = http.createServer((req, res) => {
    if (!answerApi(req, res, req.url!)) res.writeHead(418, { "content-type": "text/plain" }).end("framework");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  database = await seededTestDatabase();
  token = (await makeEditor(database.db)).token;
  base = await serve(apiAnswerer(API_ROUTES));
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await database.close();
});

/** A raw request, so that the answer's bytes and headers are seen as sent (fetch would decode gzip). */
function request(path: string, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent; origin?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request((options.origin ?? base) + path, { method: options.method ?? "GET", headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const claimBody = (text: string) => JSON.stringify({ documentId: 1, text, assertedAt: "2024-10-16T00:00:00.000Z" });
const writeHeaders = () => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

describe("the API answered in front of the framework", () => {
  it("writes a claim and reads it back, with the fixed security headers on both answers", async () => {
    const created = await request("/api/stories/who-reshot-ballerina/claims", { method: "POST", headers: writeHeaders(), body: claimBody("Wiseman led the reshoots.") });
    expect(created.status).toBe(201);
    const claim = JSON.parse(created.body.toString());
    expect(claim.current.text).toBe("Wiseman led the reshoots.");
    const read = await request(`/api/claims/${claim.id}`);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body.toString()).claim.text).toBe("Wiseman led the reshoots.");
    for (const answer of [created, read]) {
      for (const [name, value] of FIXED_HEADERS) expect(answer.headers[name.toLowerCase()]).toBe(value);
      expect(answer.headers["content-length"]).toBe(String(answer.body.byteLength));
      expect(answer.headers["strict-transport-security"]).toBeUndefined();
    }
  });

  it("decodes path segments as Next does", async () => {
    const res = await request("/api/stories/who-reshot-%62allerina");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString()).story.slug).toBe("who-reshot-ballerina");
  });

  it("gives errors the API's JSON shape, and a refused write changes nothing", async () => {
    const before = await tableCounts(database.db);
    const broken = await request("/api/stories/who-reshot-ballerina/claims", { method: "POST", headers: writeHeaders(), body: '{"documentId":1' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body.toString()).error.code).toBe("bad_request");
    const anonymous = await request("/api/stories/who-reshot-ballerina/claims", { method: "POST", body: claimBody("No token.") });
    expect(anonymous.status).toBe(401);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it("refuses a body over the limit, whether declared or not, and the connection then carries the next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const counted = (path: string, options: Parameters<typeof request>[1]) => {
      const pending = request(path, { ...options, agent });
      for (const list of Object.values(agent.sockets)) for (const socket of list ?? []) sockets.add(socket);
      return pending;
    };
    const before = await tableCounts(database.db);
    const body = claimBody("x".repeat(2_000_000));
    for (const headers of [writeHeaders(), { ...writeHeaders(), "transfer-encoding": "chunked" }]) {
      const tooLarge = await counted("/api/stories/who-reshot-ballerina/claims", { method: "POST", headers, body });
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body.toString()).error.code).toBe("payload_too_large");
      const next = await counted("/api/health", {});
      expect(next.status).toBe(200);
    }
    expect(sockets.size).toBe(1);
    expect(await tableCounts(database.db)).toEqual(before);
    agent.destroy();
  });

  it("gzips a large answer for a client that takes gzip, and says it varies", async () => {
    const plain = await request("/api/stories/who-reshot-ballerina");
    expect(plain.body.byteLength).toBeGreaterThan(1024);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");

    const coded = await request("/api/stories/who-reshot-ballerina", { headers: { "accept-encoding": "br, gzip" } });
    expect(coded.headers["content-encoding"]).toBe("gzip");
    expect(coded.headers["content-length"]).toBe(String(coded.body.byteLength));
    expect(zlib.gunzipSync(coded.body).equals(plain.body)).toBe(true);

    const refused = await request("/api/stories/who-reshot-ballerina", { headers: { "accept-encoding": "*, gzip;q=0" } });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.body.equals(plain.body)).toBe(true);

    const small = await request("/api/health", { headers: { "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString()).ok).toBe(true);
  });

  it("answers HEAD with the GET's headers and no body", async () => {
    const get = await request("/api/stories/who-reshot-ballerina");
    const head = await request("/api/stories/who-reshot-ballerina", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    expect(head.headers["content-type"]).toBe("application/json");
  });

  it("adds Strict-Transport-Security behind a proxy that ended TLS", async () => {
    const res = await request("/api/health", { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
  });

  it("leaves to the framework what is not an API route it can answer", async () => {
    for (const [method, path] of [
      ["GET", "/stories/who-reshot-ballerina"],
      ["GET", "/api/no-such-thing"],
      ["DELETE", "/api/stories"],
      ["OPTIONS", "/api/stories"],
      ["GET", "/api/stories/%E0%A4%A"],
    ] as const) {
      const res = await request(path, { method });
      expect({ method, path, status: res.status, body: res.body.toString() }).toEqual({ method, path, status: 418, body: "framework" });
    }
  });
});

describe("a failure outside what a handler answers for itself", () => {
  it("gets the API's error shape and a log line, and the server goes on answering", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const origin = await serve(
      apiAnswerer({
        "/api/throws": {
          GET: () => {
            throw new Error("thrown before any answer");
          },
          POST: () => {
            throw new Error("thrown before reading the body");
          },
        },
        "/api/broken-body": {
          GET: async () =>
            new Response(
              new ReadableStream({
                pull(controller) {
                  controller.error(new Error("the body broke off"));
                },
              }),
            ),
        },
        "/api/health": { GET: async () => Response.json({ ok: true }) },
      }),
    );
    try {
      for (const path of ["/api/throws", "/api/broken-body"]) {
        const res = await request(path, { origin });
        expect(res.status).toBe(500);
        expect(JSON.parse(res.body.toString()).error.code).toBe("internal");
        for (const [name, value] of FIXED_HEADERS) expect(res.headers[name.toLowerCase()]).toBe(value);
      }
      // A body left unread is drained, so that the connection carries the next request.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const posted = await request("/api/throws", { origin, agent, method: "POST", headers: { "content-type": "application/json" }, body: claimBody("y".repeat(500_000)) });
      expect(posted.status).toBe(500);
      expect((await request("/api/health", { origin, agent })).status).toBe(200);
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      agent.destroy();
      expect(logged.mock.calls.map(([err]) => (err as Error).message)).toEqual(["thrown before any answer", "the body broke off", "thrown before reading the body"]);
    } finally {
      logged.mockRestore();
    }
  });
});

describe("acceptsCoding", () => {
  it("reads codings, wildcards and qualities as HTTP means them", () => {
    expect(acceptsCoding(undefined, "gzip")).toBe(false);
    expect(acceptsCoding("gzip, deflate, br", "gzip")).toBe(true);
    expect(acceptsCoding("GZIP", "gzip")).toBe(true);
    expect(acceptsCoding("deflate", "gzip")).toBe(false);
    expect(acceptsCoding("*", "br")).toBe(true);
    expect(acceptsCoding("gzip;q=0", "gzip")).toBe(false);
    expect(acceptsCoding("gzip; q=0.5", "gzip")).toBe(true);
    expect(acceptsCoding("*, gzip;q=0", "gzip")).toBe(false);
    expect(acceptsCoding("*;q=0, gzip", "gzip")).toBe(true);
    expect(acceptsCoding("*;q=0", "br")).toBe(false);
  });
});
