import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { wrk } from "./wrk";

export type LoadConfig = {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Seconds before wrk gives up on one response and counts an error. */
  timeoutSeconds: number;
};

export type Endpoint = {
  name: string;
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Builds each request's body in turn, so writes need not repeat one another. */
  body?: (n: number) => string;
  /** Statuses that mean the endpoint did its job; anything else flags the figure. */
  expected?: number[];
};

/** What one request answered on an otherwise idle server: shows what is being measured. */
export type Probe = { status: number; ms: number; contentType: string | null; bytes: number; cache: string | null; etag: string | null; error?: string };

export type Measurement = {
  name: string;
  method: string;
  path: string;
  /** Bytes read per response, headers included: tells a full answer from a 304 or an error page. */
  bytesPerResponse?: number;
  /** The same request twice, alone, before the load: the first pays for cold caches and code. */
  alone: { first: Probe; second: Probe | null };
  /** False when one request alone outlasts the warm-up: a warm-up would only queue work then. */
  warmedUp: boolean;
  requestsPerSecond: number;
  requests: number;
  seconds: number;
  latencyMs: { p50: number; p90: number; p99: number; average: number; max: number };
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  expected: number[];
  /** Share of responses with an expected status. */
  expectedShare: number;
  /** Every response expected and no connection errors: only then is the figure what it says. */
  answered: boolean;
};

export async function probe(base: string, endpoint: Endpoint, timeoutMs = 120_000): Promise<Probe> {
  const started = performance.now();
  try {
    const response = await fetch(base + endpoint.path, {
      method: endpoint.method ?? "GET",
      headers: { ...endpoint.headers, ...(endpoint.body && { "content-type": "application/json" }) },
      body: endpoint.body?.(-1),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const bytes = (await response.arrayBuffer()).byteLength;
    const h = response.headers;
    return {
      status: response.status,
      ms: Math.round(performance.now() - started),
      contentType: h.get("content-type"),
      bytes,
      cache: h.get("x-nextjs-cache") ?? h.get("x-nextjs-prerender") ?? h.get("cache-control"),
      etag: h.get("etag"),
    };
  } catch (err) {
    return { status: 0, ms: Math.round(performance.now() - started), contentType: null, bytes: 0, cache: null, etag: null, error: (err as Error).message };
  }
}

/**
 * Loads one endpoint with wrk for a fixed time after a warm-up, and summarises it. A write gets
 * a new body with each request, from a file the bench writes first; its answers are counted by
 * status. For reads wrk counts answers of 400 and above but does not tell statuses apart, so
 * their statuses are the probe's, checked by the size of what was read.
 */
export async function measure(base: string, endpoint: Endpoint, config: LoadConfig): Promise<Measurement> {
  const method = endpoint.method ?? "GET";
  const expected = endpoint.expected ?? [200];
  const first = await probe(base, endpoint);
  const second = first.status ? await probe(base, endpoint) : null;
  const warmedUp = config.warmupSeconds > 0 && (second ?? first).ms < config.warmupSeconds * 1000;
  const common = { name: endpoint.name, method, path: endpoint.path, alone: { first, second }, warmedUp, expected };
  const bodies = endpoint.body ? bodyFiles(endpoint.body) : null;
  try {
    const options = {
      connections: config.connections,
      timeoutSeconds: config.timeoutSeconds,
      headers: { ...endpoint.headers, ...(bodies && { "content-type": "application/json" }) },
    };
    if (warmedUp) await wrk(base + endpoint.path, { ...options, seconds: config.warmupSeconds, ...(bodies && { bodies: { method, file: bodies.next() } }) });
    const r = await wrk(base + endpoint.path, { ...options, seconds: config.seconds, ...(bodies && { bodies: { method, file: bodies.next() } }) });
    const status = (second ?? first).status;
    const statusCodes = r.statuses ?? { ...(r.requests - r.non2xx3xx > 0 && { [String(status)]: r.requests - r.non2xx3xx }), ...(r.non2xx3xx > 0 && { "400+": r.non2xx3xx }) };
    const good = expected.reduce((sum, code) => sum + (statusCodes[String(code)] ?? 0), 0);
    return {
      ...common,
      bytesPerResponse: r.bytesPerResponse,
      requestsPerSecond: r.requestsPerSecond,
      requests: r.requests,
      seconds: r.seconds,
      latencyMs: r.latencyMs,
      statusCodes,
      non2xx: r.non2xx3xx,
      errors: r.errors,
      timeouts: r.timeouts,
      expectedShare: r.requests ? good / r.requests : 0,
      answered: r.requests > 0 && good === r.requests && r.errors === 0,
    };
  } finally {
    bodies?.remove();
  }
}

// More bodies than a run can send at the rates writes reach (a few hundred a second); past them
// wrk starts the file again.
const BODIES_PER_RUN = 20_000;

/** Files of request bodies, a new one for each run, so that no two requests repeat a body. */
function bodyFiles(body: (n: number) => string) {
  const folder = mkdtempSync(path.join(tmpdir(), "claimtrail-bodies-"));
  let n = 0;
  let runs = 0;
  return {
    next(): string {
      const file = path.join(folder, `run-${++runs}.ndjson`);
      const lines = Array.from({ length: BODIES_PER_RUN }, () => body(n++));
      if (lines.some((line) => line.includes("\n"))) throw new Error("A request body must fit on one line.");
      writeFileSync(file, `${lines.join("\n")}\n`);
      return file;
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
