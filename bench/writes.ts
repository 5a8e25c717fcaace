// Writes through the JSON API, measured one way each: batches of claims in one request each
// (POST /api/stories/{slug}/claims/batch, NDJSON) and single claims posted one after another
// (POST /api/stories/{slug}/claims), each waiting for the one before, as an importer without the
// batch endpoint would. Figures are claims written a second; every request must answer 201.

/** Sends a request: `fetch` against a running server, or a route handler called in-process. */
export type Send = (url: string, init: RequestInit) => Promise<Response>;

export type WritesTarget = {
  /** The server's address, without a trailing slash. */
  base: string;
  /** A bearer token with the write scope. */
  token: string;
  /** The story the claims go into. */
  storySlug: string;
  /** Documents the claims cite, in turn. */
  documentIds: number[];
  /** Statements to write, in turn (each gets its number appended, so no two are alike). */
  texts: string[];
};

export type WritesOptions = { batchClaims?: number; batches?: number; warmupClaims?: number; singleClaims?: number; send?: Send };

/** One batch request: its time and answer. */
export type BatchRun = { claims: number; ms: number; status: number; claimsPerSecond: number; error?: string };
/** The measured batches, each of `claims` claims; the figures are their median's. */
export type BatchWrite = { claims: number; relays: number; bytes: number; status: number; ms: number; claimsPerSecond: number; runs: BatchRun[]; warmup: BatchRun; error?: string };
export type SingleWrites = { claims: number; written: number; statuses: Record<string, number>; ms: number; claimsPerSecond: number; latencyMs: { p50: number; p99: number; max: number } };
export type WritesResult = { batch: BatchWrite; single: SingleWrites };

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The batches: first a warm-up of `warmupClaims` (as many as a batch by default), so that the measured ones do
 * not pay for loading the route's code; then `batches` (3) of `batchClaims` claims (5,000) in one
 * request each, every tenth relaying the claim before it by its ref. The figure is the median
 * batch's. The single writes: `singleClaims` claims (500 by default) posted in turn. Run the
 * batches first on a fresh story if the figures are to be compared with earlier runs: both add
 * to the story they write to.
 */
export async function measureWriteRates(target: WritesTarget, options: WritesOptions = {}): Promise<WritesResult> {
  const send = options.send ?? ((url, init) => fetch(url, init));
  const batchClaims = options.batchClaims ?? 5_000;
  const singleClaims = options.singleClaims ?? 500;
  const headers = { authorization: `Bearer ${target.token}` };
  const claimAt = (i: number, run: string) => ({
    documentId: target.documentIds[(i * 7_919) % target.documentIds.length]!,
    text: `${target.texts[i % target.texts.length]} (${run} ${i})`,
    speaker: "Bench writer",
  });

  const batchBody = (claims: number, run: string) =>
    Array.from({ length: claims }, (_, i) => {
      const relay = i % 10 === 9;
      return JSON.stringify({ claim: { ...claimAt(i, run), ...(relay && { relaysClaimId: `b${i - 1}` }) }, ref: `b${i}` });
    }).join("\n");
  const postBatch = async (claims: number, run: string): Promise<BatchRun & { bytes: number }> => {
    const body = batchBody(claims, run);
    const started = performance.now();
    const response = await send(`${target.base}/api/stories/${target.storySlug}/claims/batch`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/x-ndjson" },
      body,
    });
    const answer = await response.text();
    const ms = performance.now() - started;
    return {
      claims,
      ms: Math.round(ms),
      status: response.status,
      claimsPerSecond: response.status === 201 ? Math.round(claims / (ms / 1000)) : 0,
      bytes: Buffer.byteLength(body),
      ...(response.status !== 201 && { error: answer.slice(0, 500) }),
    };
  };
  const { bytes: _warmupBytes, ...warmup } = await postBatch(options.warmupClaims ?? batchClaims, "warm-up");
  const runs: (BatchRun & { bytes: number })[] = [];
  for (let i = 0; i < (options.batches ?? 3); i++) runs.push(await postBatch(batchClaims, `batch ${i + 1}`));
  const failed = runs.find((r) => r.status !== 201);
  const median = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
  const batch: BatchWrite = {
    claims: batchClaims,
    relays: Math.floor(batchClaims / 10),
    bytes: median.bytes,
    status: failed?.status ?? 201,
    ms: median.ms,
    claimsPerSecond: failed ? 0 : median.claimsPerSecond,
    runs: runs.map(({ bytes: _bytes, ...run }) => run),
    warmup,
    ...(failed?.error && { error: failed.error }),
  };

  const statuses: Record<string, number> = {};
  const times: number[] = [];
  const singleStarted = performance.now();
  for (let i = 0; i < singleClaims; i++) {
    const started = performance.now();
    const response = await send(`${target.base}/api/stories/${target.storySlug}/claims`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(claimAt(i, "single")),
    });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }
  const singleMs = performance.now() - singleStarted;
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
  const written = statuses["201"] ?? 0;
  const single: SingleWrites = {
    claims: singleClaims,
    written,
    statuses,
    ms: Math.round(singleMs),
    claimsPerSecond: round(written / (singleMs / 1000)),
    latencyMs: { p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1) ?? 0) },
  };
  return { batch, single };
}
