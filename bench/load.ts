import autocannon from "autocannon";
import { wrk } from "./wrk";

export type LoadConfig = {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Seconds before autocannon gives up on one response and counts an error. */
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
  /** wrk for reads; autocannon where each request needs a body of its own. */
  tool: "wrk" | "autocannon";
  /** Bytes read per response, headers included (wrk only): tells a full answer from a 304 or an error page. */
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
 * Loads one endpoint for a fixed time after a warm-up, and summarises it: reads with wrk, writes
 * (a new body for each request) with autocannon. wrk counts answers of 400 and above but does not
 * tell statuses apart, so its statuses are the probe's, checked by the size of what was read.
 */
export async function measure(base: string, endpoint: Endpoint, config: LoadConfig): Promise<Measurement> {
  const method = endpoint.method ?? "GET";
  const expected = endpoint.expected ?? [200];
  const first = await probe(base, endpoint);
  const second = first.status ? await probe(base, endpoint) : null;
  const warmedUp = config.warmupSeconds > 0 && (second ?? first).ms < config.warmupSeconds * 1000;
  const round = (v: number) => Math.round(v * 10) / 10;
  const common = { name: endpoint.name, method, path: endpoint.path, alone: { first, second }, warmedUp, expected };

  if (!endpoint.body && method === "GET") {
    const options = { connections: config.connections, timeoutSeconds: config.timeoutSeconds, headers: endpoint.headers };
    if (warmedUp) await wrk(base + endpoint.path, { ...options, seconds: config.warmupSeconds });
    const r = await wrk(base + endpoint.path, { ...options, seconds: config.seconds });
    const status = (second ?? first).status;
    const statusCodes = { ...(r.requests - r.non2xx3xx > 0 && { [String(status)]: r.requests - r.non2xx3xx }), ...(r.non2xx3xx > 0 && { "400+": r.non2xx3xx }) };
    const answered = r.requests > 0 && r.non2xx3xx === 0 && r.errors === 0 && expected.includes(status);
    return {
      ...common,
      tool: "wrk",
      bytesPerResponse: r.bytesPerResponse,
      requestsPerSecond: r.requestsPerSecond,
      requests: r.requests,
      seconds: r.seconds,
      latencyMs: r.latencyMs,
      statusCodes,
      non2xx: r.non2xx3xx,
      errors: r.errors,
      timeouts: r.timeouts,
      expectedShare: r.requests && expected.includes(status) ? (r.requests - r.non2xx3xx) / r.requests : 0,
      answered,
    };
  }

  let n = 0;
  const makeBody = endpoint.body;
  const result = await autocannon({
    url: base + endpoint.path,
    connections: config.connections,
    duration: config.seconds,
    timeout: config.timeoutSeconds,
    ...(warmedUp && { warmup: { connections: config.connections, duration: config.warmupSeconds } }),
    requests: [
      {
        method,
        path: endpoint.path,
        headers: { ...endpoint.headers, ...(makeBody && { "content-type": "application/json" }) },
        ...(makeBody && { setupRequest: (request) => ({ ...request, body: makeBody(n++) }) }),
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
  const responses = Object.values(statusCodes).reduce((sum, c) => sum + c, 0);
  const good = expected.reduce((sum, code) => sum + (statusCodes[String(code)] ?? 0), 0);
  return {
    ...common,
    tool: "autocannon",
    requestsPerSecond: round(result.requests.average),
    requests: result.requests.total,
    seconds: result.duration,
    latencyMs: {
      p50: round(result.latency.p50),
      p90: round(result.latency.p90),
      p99: round(result.latency.p99),
      average: round(result.latency.average),
      max: round(result.latency.max),
    },
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    expectedShare: responses ? good / responses : 0,
    answered: responses > 0 && good === responses && result.errors === 0,
  };
}
