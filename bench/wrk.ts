import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const REPORT_SCRIPT = path.join(import.meta.dirname, "wrk-report.lua");
const BODIES_SCRIPT = path.join(import.meta.dirname, "wrk-bodies.lua");

export type WrkOptions = {
  connections: number;
  seconds: number;
  timeoutSeconds: number;
  headers?: Record<string, string>;
  /** Requests with a body each: the method, and a file of bodies, one a line, sent in turn. */
  bodies?: { method: string; file: string };
};

export type WrkRun = {
  requestsPerSecond: number;
  requests: number;
  seconds: number;
  bytesPerResponse: number;
  latencyMs: { p50: number; p90: number; p99: number; average: number; max: number };
  /** Answers of 400 and above, which wrk counts but does not tell apart. */
  non2xx3xx: number;
  /** Connections that failed to open, read, write, or answer within the timeout. */
  errors: number;
  timeouts: number;
  /** Answers by status; only runs with bodies count them (wrk-bodies.lua). */
  statuses?: Record<string, number>;
};

type WrkJson = {
  durationUs: number;
  requests: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { mean: number; max: number; p50: number; p90: number; p99: number };
  statuses?: Record<string, number>;
};

/**
 * Loads one URL with wrk (one thread, keep-alive) for a fixed time. wrk is written in C and
 * spends a small share of a core at the rates measured here, where a Node load tool on the same
 * two cores became the limit itself; its totals come back through a script that runs once, at
 * the end (wrk-report.lua). With `bodies`, a script gives each request the next body of a file
 * and counts the answers by status (wrk-bodies.lua); it runs for every request, which costs wrk
 * little at the rates writes reach.
 */
export async function wrk(url: string, options: WrkOptions): Promise<WrkRun> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const script = options.bodies ? BODIES_SCRIPT : REPORT_SCRIPT;
  const scriptArgs = options.bodies ? ["--", options.bodies.file, options.bodies.method] : [];
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, `--timeout`, `${options.timeoutSeconds}s`, "-s", script, ...headers, url, ...scriptArgs];
  const { stdout } = await run("wrk", args, { maxBuffer: 1024 * 1024, timeout: (options.seconds + options.timeoutSeconds + 30) * 1000 });
  const line = stdout.split("\n").find((l) => l.startsWith("WRK_JSON "));
  if (!line) throw new Error(`wrk printed no totals:\n${stdout}`);
  const r = JSON.parse(line.slice("WRK_JSON ".length)) as WrkJson;
  const seconds = r.durationUs / 1e6;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    requestsPerSecond: Math.round((r.requests / seconds) * 10) / 10,
    requests: r.requests,
    seconds: Math.round(seconds * 100) / 100,
    bytesPerResponse: r.requests ? Math.round(r.bytes / r.requests) : 0,
    latencyMs: { p50: ms(r.latencyUs.p50), p90: ms(r.latencyUs.p90), p99: ms(r.latencyUs.p99), average: ms(r.latencyUs.mean), max: ms(r.latencyUs.max) },
    non2xx3xx: r.errors.status,
    errors: r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
    timeouts: r.errors.timeout,
    ...(r.statuses && { statuses: r.statuses }),
  };
}

