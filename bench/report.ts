import { APP_TITLE, SERVER_TITLE } from "@/lib/edge";
import type { DiffBenchResult } from "./diff";
import type { InstancesBench } from "./instances";
import type { WritesResult } from "./writes";
import { matchingMarkdown, type MatchingBench } from "./matching";
import { picturesMarkdown, type PictureBench } from "./pictures";
import { median } from "./stats";
import type { ScanReport } from "./scans";
import type { UncachedRenders } from "./uncached";
import type { DatasetShape, Probes } from "./dataset";
import type { LoadConfig, Measurement } from "./load";
import type { ProcessMemory } from "./server";

/** What e2e/lighthouse.spec.ts writes to bench/results/lighthouse.json for `npm run bench:lighthouse`. */
export type LighthouseRun = { performance: number; totalBlockingTimeMs: number };
/** Scores are the medians of the runs; the blocking time and weight are the median run's. Files of older runs have no runs. */
export type LighthousePage = {
  scores: Record<string, number>;
  shortOfFullMarks: string[];
  totalBlockingTimeMs?: number;
  runs?: LighthouseRun[];
  /** The limit, in turns with the runs: the same bytes from a bare server. */
  sameBytesFromBareServer?: LighthouseRun[];
  totalByteWeight?: number;
  desktopPerformance?: number;
};
export type LighthouseResult = { at: string; pages: Record<string, LighthousePage> };

/** A measurement and what it cost the server: its memory, and whether it had to be restarted. */
export type Measured = Measurement & { serverPeakRssMb: number; after: { waitedSeconds: number; restarted: boolean } };
/** The same bytes from a bare Node server under the same load: the limit of the machine for them. */
export type Limit = { requestsPerSecond: number; latencyMs: Measurement["latencyMs"]; bytesPerResponse: number; answered: boolean };
/** `ratioToLimit` is the median of the rounds' ratios (`roundRatios`, in the order run), and the other figures are that round's. */
export type EndpointResult = Measured & { limit: Limit; ratioToLimit: number | null; roundRatios: (number | null)[]; ratioToStatic: number | null; note?: string };
export type SkippedEndpoint = { name: string; path: string; skipped: string };

export type WriteResult = Measured & {
  claimsPerSecond: number;
  created: number;
  audit: { ok: boolean; events: number; claimEvents: number; matchesCreated: boolean; reason?: string };
};

export type Report = {
  date: string;
  totalSeconds: number;
  machine: { platform: string; release: string; arch: string; cpus: number; cpuModel: string; memoryGb: number; loadAverage: { start: number[]; end: number[] } };
  node: string;
  next: string | null;
  git: { commit: string | null; dirty: boolean | null };
  config: LoadConfig & { readRounds: number; readSeconds: number; settleSeconds: number; database: string; databaseCreated: boolean; port: number; build: "built" | "reused"; dataset: DatasetShape };
  phasesSeconds: Record<string, number>;
  dataset: { rows: Record<string, number>; probes: Probes };
  /** `baseline`: requests/s the static ratios divide by, the mean of the static file's answered runs. */
  staticFile: { path: string; prerenderedRoutes: string[]; baseline: number | null };
  endpoints: (EndpointResult | SkippedEndpoint)[];
  writes: WriteResult | SkippedEndpoint;
  writeRates: (WritesResult & { auditChain: string }) | null;
  instances: InstancesBench | null;
  /** The last `npm run bench:lighthouse` (bench/results/lighthouse.json), with its date; a run of its own. */
  lighthouse: LighthouseResult | null;
  diff: { rows: DiffBenchResult[] };
  pictures: PictureBench | null;
  matching: MatchingBench | null;
  scans: ScanReport;
  uncached: UncachedRenders[];
  memory: { server: ProcessMemory | null; processes: ProcessMemory[]; serverStarts: number; runnerPeakRssMb: number };
};

const int = (n: number) => Math.round(n).toLocaleString("en");
const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const mb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} KB`);
const isSkipped = (r: EndpointResult | SkippedEndpoint | WriteResult): r is SkippedEndpoint => "skipped" in r;

function statusesOf(statusCodes: Record<string, number>): string {
  const codes = Object.entries(statusCodes).sort(([a], [b]) => Number(a) - Number(b));
  return codes.map(([code, count]) => `${code}×${int(count)}`).join(" ");
}
const statuses = (m: Measurement) => statusesOf(m.statusCodes);

/** Why a figure cannot be taken at face value; empty when it can. */
export function flagOf(m: Measurement): string {
  if (m.answered) return "";
  const alone = m.alone.second ?? m.alone.first;
  if (m.requests === 0) return m.timeouts ? `⚠ every request timed out` : "⚠ no response before the run ended";
  if (!m.expected.includes(alone.status)) return `⚠ answers ${alone.status || alone.error}`;
  if (m.expectedShare < 1) return `⚠ only ${Math.round(m.expectedShare * 1000) / 10}% answered ${m.expected.join("/")}`;
  return `⚠ ${int(m.errors)} requests failed${m.timeouts ? ` (${int(m.timeouts)} timed out)` : ""}`;
}

/**
 * One request alone: the first one's time (nothing cached: no page, no data, and the route's code
 * maybe not loaded yet), the second's, its size, and the status when that is not the expected one.
 */
function aloneCell(m: Measurement): string {
  const alone = m.alone.second ?? m.alone.first;
  if (!alone.status) return `⚠ ${alone.error ?? "failed"}`;
  const status = m.expected.includes(alone.status) ? "" : ` ⚠ ${alone.status}`;
  const first = m.alone.second && m.alone.first.status ? `${int(m.alone.first.ms)} → ` : "";
  return `${first}${int(alone.ms)} ms, ${mb(alone.bytes)}${status}`;
}

function notes(m: Measured, extra?: string): string {
  return [
    m.requests > 0 && statuses(m),
    flagOf(m),
    extra,
    !m.warmedUp && "no warm-up (one request outlasts it)",
    m.after.restarted && `server restarted: still busy ${m.after.waitedSeconds} s after the run`,
  ]
    .filter(Boolean)
    .join("; ");
}

export function renderMarkdown(r: Report): string {
  const lines: string[] = [];
  const c = r.config;
  const d = r.dataset.rows;
  const avg = (l: number[]) => l.map((v) => v.toFixed(2)).join(" ");
  lines.push(`# Claimtrail benchmark, ${r.date.slice(0, 16).replace("T", " ")} UTC`, "");
  lines.push(
    `- Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, ${r.machine.platform} ${r.machine.release}; load average ${avg(r.machine.loadAverage.start)} at start, ${avg(r.machine.loadAverage.end)} at end (shared machine: quote ratios, not absolutes).`,
    `- Node ${r.node}, Next ${r.next ?? "?"}, commit ${r.git.commit?.slice(0, 10) ?? "?"}${r.git.dirty ? " with uncommitted changes" : ""}; the whole run took ${int(r.totalSeconds)} s.`,
    `- Data set (seed ${c.dataset.seed}) on PostgreSQL: ${int(d.stories ?? 0)} stories, ${int(d.claims ?? 0)} claims (the largest story ${int(r.dataset.probes.largeStoryClaims)}), ${int(d.links ?? 0)} links, ${int(d.documents ?? 0)} documents with ${int(d.document_versions ?? 0)} versions, ${int(d.outlets ?? 0)} outlets; generated and loaded in ${r.phasesSeconds.load ?? "?"} s.`,
    `- Load: wrk (one thread), ${c.connections} connections, ${c.timeoutSeconds} s timeout, against \`npm start\` (the front, server.ts, and the application process behind it), each run after a ${c.warmupSeconds} s warm-up: reads ${c.readRounds} times ${c.readSeconds} s, taking turns with the bare server; writes ${c.seconds} s, with a new body for each request (wrk-bodies.lua).`,
    "",
  );

  const ratio = (v: number | null) => (v === null ? "–" : v.toFixed(v < 0.1 ? 3 : 2));
  lines.push(
    "| endpoint | path | req/s | limit req/s | ratio to limit | ratio to static file | p50 ms | p99 ms | limit p99 ms | bytes per answer | one request alone: first → second | server RSS peak | statuses, notes |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
  );
  for (const e of r.endpoints) {
    if (isSkipped(e)) {
      lines.push(`| ⚠ ${e.name} | \`${e.path}\` | – | – | – | – | – | – | – | – | – | – | skipped: ${e.skipped} |`);
      continue;
    }
    const [p50, p99] = e.requests ? [ms(e.latencyMs.p50), ms(e.latencyMs.p99)] : ["–", "–"];
    const limitFlag = e.limit.answered ? "" : " ⚠";
    lines.push(
      `| ${flagOf(e) ? "⚠ " : ""}${e.name} | \`${e.path}\` | ${int(e.requestsPerSecond)} | ${int(e.limit.requestsPerSecond)}${limitFlag} | ${ratio(e.ratioToLimit)}${e.roundRatios.length > 1 ? ` (${e.roundRatios.map(ratio).join(", ")})` : ""} | ${ratio(e.ratioToStatic)} | ${p50} | ${p99} | ${ms(e.limit.latencyMs.p99)} | ${int(e.bytesPerResponse ?? 0)} | ${aloneCell(e)} | ${int(e.serverPeakRssMb)} MB | ${notes(e, e.note)} |`,
    );
  }
  lines.push(
    "",
    `Limit: the app's answer to the same request (status, headers and body, byte for byte, as captured right after its first run) replayed from memory by a bare Node \`http\` server (\`bench/bare-server.ts\`), a process of its own, loaded by wrk right after the app with the same settings. It is what this machine can do for those bytes; "ratio to limit" is the app's share of it. App and bare server take turns ${r.config.readRounds} times; the ratio is the median of the rounds (each round's in brackets, in the order run), and the other figures are the median round's.`,
    `Static file: \`${r.staticFile.path}\`, the app's stylesheet, built by Next and kept by the front's cache; measured first and again last, and the static ratios divide by ${r.staticFile.baseline === null ? "nothing (it did not answer)" : `the mean of the two runs (${int(r.staticFile.baseline)} req/s)`}.`,
    "Bytes per answer: what wrk read per response, headers included; it tells a whole page from a 304 or an error page, since wrk counts answers of 400 and above but does not tell statuses apart (the statuses listed are the probe's). A figure marked ⚠ is not what it says: the endpoint did not answer as expected (200, or 304 for the conditional reads), or requests failed. \"Server RSS peak\" is the server's total resident memory sampled during that endpoint's runs and the wait after them.",
    "",
  );

  lines.push(
    "## Uncached renders",
    "",
    `Each page asked for ${r.uncached[0]?.ms.length ?? 0} times alone, each time after a notification that drops every cache, as a write would, once the server has rendered it ${r.uncached[0]?.warmUp.count ?? 0} times the same way (the warm-up columns: the median of those renders, and the first of them). Times are to the last byte, as the bench process sees them.`,
    "",
    "| page | path | median ms | fastest ms | slowest ms | statuses | warm-up median ms | first render ms |",
    "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ...r.uncached.map((u) => {
      const bad = u.statuses.some((s) => s !== 200);
      return `| ${bad ? "⚠ " : ""}${u.name} | \`${u.path}\` | ${int(u.medianMs)} | ${int(u.fastestMs)} | ${int(u.slowestMs)} | ${u.statuses.join(" ")} | ${int(u.warmUp.medianMs)} | ${int(u.warmUp.firstMs)} |`;
    }),
    "",
  );

  lines.push("## Writes", "");
  const w = r.writes;
  if (isSkipped(w)) lines.push(`⚠ Skipped: ${w.skipped}`, "");
  else {
    const audit = w.audit.ok ? `verifies: ${int(w.audit.events)} events` : `⚠ broken at ${w.audit.reason}`;
    lines.push(
      "| endpoint | claims/s | p50 ms | p99 ms | non-2xx | claims created | audit chain | statuses, notes |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
      `| ${flagOf(w) ? "⚠ " : ""}POST \`${w.path}\` | ${w.claimsPerSecond.toFixed(1)} | ${ms(w.latencyMs.p50)} | ${ms(w.latencyMs.p99)} | ${int(w.non2xx)} | ${int(w.created)} | ${audit}; ${int(w.audit.claimEvents)} claim events${w.audit.matchesCreated ? ", one per claim created" : " ⚠ not one per claim created"} | ${notes(w)} |`,
      "",
      "Claims/s counts 201 answers in the measured window. Each claim commits in one transaction with its audit event, and appends to the chain are serialised by an advisory lock. Claims created also counts those of the warm-up and of the two single requests before it.",
      "",
    );
  }

  const wr = r.writeRates;
  if (!wr) lines.push("Batch and one-after-another writes: ⚠ not measured; the run's log says why.", "");
  else {
    const b = wr.batch;
    const one = wr.single;
    lines.push(
      "| writes | claims | time | claims/s | notes |",
      "| --- | ---: | ---: | ---: | --- |",
      `| ${b.status === 201 ? "" : "⚠ "}a batch, \`POST /api/stories/{slug}/claims/batch\` (NDJSON, ${mb(b.bytes)}); the median of ${b.runs.length} | ${int(b.claims)} | ${int(b.ms)} ms | ${int(b.claimsPerSecond)} | ${int(b.relays)} relay a claim of the same batch by its ref; each batch: ${b.runs.map((run) => `${int(run.ms)} ms (${int(run.claimsPerSecond)}/s, ${run.status})`).join(", ")}; after a warm-up batch of ${int(b.warmup.claims)} claims in ${int(b.warmup.ms)} ms${b.error ? `; ${b.error}` : ""} |`,
      `| ${one.written === one.claims ? "" : "⚠ "}single claims, one after another | ${int(one.claims)} | ${int(one.ms)} ms | ${one.claimsPerSecond.toFixed(1)} | p50 ${ms(one.latencyMs.p50)} ms, p99 ${ms(one.latencyMs.p99)} ms; ${statusesOf(one.statuses)} |`,
      "",
      `All into a story of their own, after the concurrent writes above, each batch and each claim after the answer to the one before; the audit chain afterwards ${wr.auditChain}.`,
      "",
    );
  }

  lines.push("## Lighthouse", "");
  const lh = r.lighthouse;
  if (!lh) lines.push("Not run: `npm run bench:lighthouse` writes bench/results/lighthouse.json, which this report then quotes.", "");
  else {
    lines.push(
      `From \`npm run bench:lighthouse\` of ${lh.at.slice(0, 16).replace("T", " ")} UTC (Lighthouse's mobile emulation: a slow network and a 4× slower CPU; the test suite holds accessibility, best practices and SEO at 0.95 or more; performance only here). Medians of the runs, with their range in brackets.`,
      "",
      "| page | runs | performance | accessibility | best practices | SEO | total blocking time | same bytes, bare server: performance | blocking time | page weight | desktop performance |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...Object.entries(lh.pages).map(([name, p]) => {
        const runs = p.runs ?? [];
        const limit = p.sameBytesFromBareServer ?? [];
        const range = (values: number[], unit = "") => (values.length > 1 ? ` (${Math.min(...values)}–${Math.max(...values)}${unit})` : "");
        const spread = (values: number[], unit = "") => (values.length ? `${median(values)}${unit}${range(values, unit)}` : "–");
        return `| ${name} | ${runs.length || 1} | ${p.scores.performance ?? "–"}${range(runs.map((r) => r.performance))} | ${p.scores.accessibility ?? "–"} | ${p.scores["best-practices"] ?? "–"} | ${p.scores.seo ?? "–"} | ${p.totalBlockingTimeMs ?? "–"} ms${range(runs.map((r) => r.totalBlockingTimeMs), " ms")} | ${spread(limit.map((r) => r.performance))} | ${spread(limit.map((r) => r.totalBlockingTimeMs), " ms")} | ${p.totalByteWeight === undefined ? "–" : mb(p.totalByteWeight)} | ${p.desktopPerformance ?? "–"} |`;
      }),
      "",
    );
  }

  lines.push("## Two instances behind nginx", "");
  const two = r.instances;
  if (!two) lines.push("⚠ Not measured: the run's log says why.", "");
  else {
    const load = (what: string, l: InstancesBench["reads"]["oneInstance"]) => `| ${l.answered ? "" : "⚠ "}${what} | ${int(l.requestsPerSecond)} | ${ms(l.latencyMs.p50)} | ${ms(l.latencyMs.p99)} | ${statusesOf(l.statusCodes)} |`;
    const sorted = [...two.freshnessMs].sort((a, b) => a - b);
    lines.push(
      "Two instances of `npm start` on the bench database with `TRUST_PROXY_HOPS=1`, behind Debian's nginx with `deploy/nginx.conf` (the README shows it), all on this machine's two cores with the load tool.",
      "",
      "| load | req/s | p50 ms | p99 ms | statuses |",
      "| --- | ---: | ---: | ---: | --- |",
      load("story page, one instance directly", two.reads.oneInstance),
      load("story page, nginx to both", two.reads.twoBehindNginx),
      load("create claim, one instance directly", two.writes.oneInstance),
      load("create claim, nginx to both", two.writes.twoBehindNginx),
      "",
      `Freshness: a claim written through the second instance was on the first instance's cached story page ${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms (median of ${sorted.length}; slowest ${ms(sorted.at(-1) ?? 0)} ms) after the write's answer, by PostgreSQL's NOTIFY.`,
      "",
    );
  }

  lines.push(
    "## Tables read whole",
    "",
    `Every page type asked for once before the reads, with nothing cached (${r.scans.pages.map((p) => `\`${p.path}\` ${p.status}`).join(", ")}); PostgreSQL's own counters (\`pg_stat_user_tables\`) then show which tables of ${int(r.scans.minRows)} rows or more it read from end to end.`,
    "",
  );
  if (r.scans.scans.length === 0) lines.push("None: every lookup used an index.", "");
  else {
    lines.push("| table | rows | whole-table scans | rows read |", "| --- | ---: | ---: | ---: |");
    for (const t of r.scans.scans) lines.push(`| ${t.table} | ${int(t.rows)} | ${int(t.seqScans)} | ${int(t.rowsRead)} |`);
    lines.push("");
  }

  lines.push("## Word diff", "", "Two ~100 KB texts with ~1,000 word edits (`bench/diff.ts`), median of 9 runs, in the bench process after the server stopped. Each answer is checked to rebuild both texts; \"words changed\" counts the words and marks it shows as deleted or inserted (fewer is a tighter diff).", "", "| implementation | ms | ratio to diff-match-patch word mode | diff ops | words changed |", "| --- | ---: | ---: | ---: | ---: |");
  const dmpWords = r.diff.rows.find((row) => row.name.startsWith("diff-match-patch, word"));
  for (const row of r.diff.rows) {
    const ratio = dmpWords ? (row.ms / dmpWords.ms).toFixed(2) : "–";
    lines.push(`| ${row.name} | ${row.ms.toFixed(1)} | ${ratio} | ${int(row.ops)} | ${int(row.wordsChanged)} |`);
  }
  lines.push("");

  if (r.pictures) lines.push(...picturesMarkdown(r.pictures));
  else lines.push("## Provenance pictures and share cards", "", "⚠ Not measured: the run's log says why.", "");
  if (r.matching) lines.push(...matchingMarkdown(r.matching));
  else lines.push("## Claim matching", "", "⚠ Not measured: the run's log says why.", "");
  lines.push("## Memory", "");
  const s = r.memory.server;
  lines.push(s ? `- Front process peak RSS (VmHWM of \`${s.name}\`, pid ${s.pid}): **${int(s.peakRssMb)} MB**.` : "- ⚠ The server's memory could not be read (no /proc).");
  if (r.memory.serverStarts > 1) lines.push(`- The server was started ${r.memory.serverStarts} times (restarted after runs it could not work off); the peak is the largest of all of them.`);
  const others = r.memory.processes.filter((p) => p.pid !== s?.pid && !p.name.startsWith(SERVER_TITLE));
  if (others.length) lines.push(`- The other processes in the server's tree, the application process (\`${APP_TITLE}\`) among them: ${others.map((p) => `\`${p.name}\` ${int(p.peakRssMb)} MB`).join(", ")}.`);
  lines.push(`- Bench process (data set, word diff): ${int(r.memory.runnerPeakRssMb)} MB.`, "");
  return lines.join("\n");
}
