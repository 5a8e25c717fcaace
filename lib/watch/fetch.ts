import dns from "node:dns";
import net from "node:net";
import { Agent, fetch, type Dispatcher } from "undici";
import { sha256 } from "@/lib/sha256";
import { refusedAddress, type AddressPolicy } from "./address";

/**
 * Fetching a page that someone else controls, safely: http and https only, every address checked
 * after DNS resolution and again on each redirect (at most five), connect and total timeouts, a
 * cap on the body counted after decompression, and only the content types asked for.
 */

export type FetchLimits = {
  policy: AddressPolicy;
  userAgent: string;
  totalMs: number;
  connectMs: number;
  maxBytes: number;
};

/** What a request may bring back: an HTML page, a robots.txt, or a feed. */
export type Wanted = "page" | "robots" | "feed";

const ACCEPT: Record<Wanted, string> = {
  page: "text/html,application/xhtml+xml;q=0.9",
  robots: "text/plain,*/*;q=0.5",
  feed: "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9",
};

const TYPES: Record<Wanted, RegExp> = {
  page: /^(text\/html|application\/xhtml\+xml)$/,
  // RFC 9309 names no type for robots.txt, and servers send it under many.
  robots: /^/,
  feed: /^(application\/(rss|atom|rdf|xml|rss\+xml|atom\+xml|rdf\+xml)|text\/xml)$/,
};

/** Response headers worth keeping as evidence. */
const KEPT = ["content-type", "content-length", "content-encoding", "etag", "last-modified", "cache-control", "retry-after", "date", "location"];

export type Fetched = {
  /** ok: a body of the wanted type; not-modified: a 304; refused: not fetched by rule; failed: a network or HTTP error. */
  kind: "ok" | "not-modified" | "refused" | "failed";
  status: number | null;
  finalUrl: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** The body's SHA-256, in hex. */
  sha256: string | null;
  reason: string | null;
  /** For a failure worth trying again (429, 5xx, timeouts): when, if the server said so. */
  retryAfterMs: number | null;
  transient: boolean;
};

class Refusal extends Error {}

const MAX_REDIRECTS = 5;

/** Retry-After as milliseconds from now: seconds, or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const agents = new WeakMap<FetchLimits, Dispatcher>();

/**
 * The agent for these limits, kept so that connections to a host are reused: every new connection
 * is checked, and the addresses DNS gives are refused unless the rule allows them. Checking at
 * connection time, on the very addresses connected to, leaves no gap for DNS to answer
 * differently between a check and the connection.
 */
function guardedAgent(limits: FetchLimits): Dispatcher {
  const known = agents.get(limits);
  if (known) return known;
  const lookup = (hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const { address } of addresses) {
        const why = refusedAddress(address, hostname, limits.policy);
        if (why) return callback(new Refusal(`${hostname} resolves to ${why}`), []);
      }
      callback(null, options.all ? addresses : addresses[0]!.address, options.all ? undefined : addresses[0]!.family);
    });
  };
  const agent = new Agent({ connect: { timeout: limits.connectMs, lookup: lookup as never }, keepAliveTimeout: 10_000 });
  agents.set(limits, agent);
  return agent;
}

const refusalIn = (err: unknown): Refusal | null => {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof Refusal) return e;
  return null;
};

/** Checks a URL before any connection: its scheme, and its host when that is an address literal. */
function refusedUrl(url: URL, limits: FetchLimits): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${url.protocol.replace(/:$/, "")} addresses are not fetched`;
  if (url.username || url.password) return "addresses with credentials are not fetched";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) return refusedAddress(host, host, limits.policy);
  return null;
}

/** Reads a body up to the cap, counted after decompression; over it, the rest is not read. */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

export type Conditional = { etag?: string | null; lastModified?: string | null };

/** Fetches `address`, following at most five redirects, each one checked as the first was. */
export async function safeFetch(address: string, wanted: Wanted, limits: FetchLimits, conditional: Conditional = {}): Promise<Fetched> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return result("refused", null, address, {}, null, "not a valid address");
  }
  let current = url;
  const agent = guardedAgent(limits);
  const deadline = AbortSignal.timeout(limits.totalMs);
  try {
    for (let hop = 0; ; hop++) {
      const why = refusedUrl(current, limits);
      if (why) return result("refused", null, current.href, {}, null, why);
      const headers: Record<string, string> = { "user-agent": limits.userAgent, accept: ACCEPT[wanted], "accept-language": "en;q=1, *;q=0.5" };
      // Validators are sent to the address they came from, not to wherever it redirects.
      if (hop === 0 && conditional.etag) headers["if-none-match"] = conditional.etag;
      if (hop === 0 && conditional.lastModified) headers["if-modified-since"] = conditional.lastModified;
      const response = await fetch(current, { dispatcher: agent, redirect: "manual", headers, signal: deadline });
      const kept: Record<string, string> = {};
      for (const name of KEPT) {
        const value = response.headers.get(name);
        if (value !== null) kept[name] = value.slice(0, 500);
      }
      const status = response.status;
      if (status >= 300 && status < 400 && status !== 304) {
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get("location");
        if (!location) return result("failed", status, current.href, kept, null, `HTTP ${status} without a Location`);
        if (hop + 1 > MAX_REDIRECTS) return result("refused", status, current.href, kept, null, `more than ${MAX_REDIRECTS} redirects`);
        current = new URL(location, current);
        continue;
      }
      if (status === 304) {
        await response.body?.cancel().catch(() => {});
        return result("not-modified", status, current.href, kept, null, null);
      }
      if (status === 429 || status >= 500) {
        await response.body?.cancel().catch(() => {});
        return { ...result("failed", status, current.href, kept, null, `HTTP ${status}`), transient: true, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) };
      }
      if (status >= 400 || status < 200) {
        await response.body?.cancel().catch(() => {});
        return result("failed", status, current.href, kept, null, `HTTP ${status}`);
      }
      const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!TYPES[wanted].test(type)) {
        await response.body?.cancel().catch(() => {});
        return result("refused", status, current.href, kept, null, `${type || "no content type"} is not ${wanted === "page" ? "an HTML page" : wanted === "feed" ? "a feed" : "text"}`);
      }
      const declared = Number(response.headers.get("content-length") ?? "");
      // A compressed body can be larger than declared, so the declared length only refuses early.
      if (Number.isFinite(declared) && declared > limits.maxBytes && !response.headers.get("content-encoding")) {
        await response.body?.cancel().catch(() => {});
        return result("refused", status, current.href, kept, null, `the body is ${declared.toLocaleString("en")} bytes, over the ${limits.maxBytes.toLocaleString("en")} kept`);
      }
      const body = await readCapped(response.body as ReadableStream<Uint8Array> | null, limits.maxBytes);
      if (!body) return result("refused", status, current.href, kept, null, `the body is over the ${limits.maxBytes.toLocaleString("en")} bytes kept`);
      return result("ok", status, current.href, kept, body, null);
    }
  } catch (err) {
    const refusal = refusalIn(err);
    if (refusal) return result("refused", null, current.href, {}, null, refusal.message);
    const timedOut = deadline.aborted || (err as Error).name === "TimeoutError" || /timeout/i.test(String((err as { cause?: { code?: string } }).cause?.code ?? ""));
    const reason = timedOut ? `no complete answer within ${Math.round(limits.totalMs / 1000)} s` : networkReason(err);
    return { ...result("failed", null, current.href, {}, null, reason), transient: true };
  }
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `network error (${cause.code})` : `network error (${(cause?.message ?? (err as Error).message).slice(0, 200)})`;
}

function result(kind: Fetched["kind"], status: number | null, finalUrl: string, headers: Record<string, string>, body: Buffer | null, reason: string | null): Fetched {
  return { kind, status, finalUrl, headers, body, sha256: body ? sha256(body) : null, reason, retryAfterMs: null, transient: false };
}

/**
 * POSTs a body to an address someone registered (a webhook endpoint), under the same address
 * rules as a fetch: every connection checked, no redirect followed (a receiver that moved must
 * be registered again), the answer's body not read. Resolves to the status, or a reason.
 */
export async function safePost(address: string, body: string, headers: Record<string, string>, limits: FetchLimits): Promise<{ status: number | null; reason: string | null }> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { status: null, reason: "not a valid address" };
  }
  const why = refusedUrl(url, limits);
  if (why) return { status: null, reason: why };
  try {
    const response = await fetch(url, {
      method: "POST",
      dispatcher: guardedAgent(limits),
      redirect: "manual",
      headers: { "user-agent": limits.userAgent, "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(limits.totalMs),
    });
    await response.body?.cancel().catch(() => {});
    return { status: response.status, reason: response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}` };
  } catch (err) {
    const refusal = refusalIn(err);
    if (refusal) return { status: null, reason: refusal.message };
    return { status: null, reason: (err as Error).name === "TimeoutError" ? `no answer within ${Math.round(limits.totalMs / 1000)} s` : networkReason(err) };
  }
}

/** Why an address may not be registered to receive webhooks, checked before any connection; null when it may. */
export function refusedEndpoint(address: string, limits: FetchLimits): string | null {
  try {
    return refusedUrl(new URL(address), limits);
  } catch {
    return "not a valid address";
  }
}