// Writes through the JSON API, measured one way each: a batch of claims in one request
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

export type WritesOptions = { batchClaims?: number; singleClaims?: number; send?: Send };

export type BatchWrite = { claims: number; relays: number; bytes: number; status: number; ms: number; claimsPerSecond: number; error?: string };
export type SingleWrites = { claims: number; written: number; statuses: Record<string, number>; ms: number; claimsPerSecond: number; latencyMs: { p50: number; p99: number; max: number } };
export type WritesResult = { batch: BatchWrite; single: SingleWrites };

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The batch: `batchClaims` claims (5,000 by default) in one request, every tenth relaying the
 * claim before it by its ref. The single writes: `singleClaims` claims (500 by default) posted
 * in turn. Run the batch first on a fresh story if the two figures are to be compared with
 * earlier runs: both add to the story they write to.
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

  let relays = 0;
  const lines = Array.from({ length: batchClaims }, (_, i) => {
    const relay = i % 10 === 9;
    if (relay) relays++;
    return JSON.stringify({ claim: { ...claimAt(i, "batch"), ...(relay && { relaysClaimId: `b${i - 1}` }) }, ref: `b${i}` });
  });
  const body = lines.join("\n");
  const batchStarted = performance.now();
  const batchResponse = await send(`${target.base}/api/stories/${target.storySlug}/claims/batch`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-ndjson" },
    body,
  });
  const answer = await batchResponse.text();
  const batchMs = performance.now() - batchStarted;
  const batch: BatchWrite = {
    claims: batchClaims,
    relays,
    bytes: Buffer.byteLength(body),
    status: batchResponse.status,
    ms: Math.round(batchMs),
    claimsPerSecond: batchResponse.status === 201 ? Math.round(batchClaims / (batchMs / 1000)) : 0,
    ...(batchResponse.status !== 201 && { error: answer.slice(0, 500) }),
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
