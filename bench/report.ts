import { SERVER_TITLE } from "@/lib/edge";
import type { DiffBenchResult } from "./diff";
import { matchingMarkdown, type MatchingBench } from "./matching";
import { picturesMarkdown, type PictureBench } from "./pictures";
import type { ScanReport } from "./scans";
import type { UncachedRenders } from "./uncached";
import type { DatasetShape, Probes } from "./dataset";
import type { LoadConfig, Measurement } from "./load";
import type { ProcessMemory } from "./server";

/** A measurement and what it cost the server: its memory, and whether it had to be restarted. */
export type Measured = Measurement & { serverPeakRssMb: number; after: { waitedSeconds: number; restarted: boolean } };
export type EndpointResult = Measured & { ratioToStatic: number | null; note?: string };
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
  config: LoadConfig & { settleSeconds: number; database: string; databaseCreated: boolean; port: number; build: "built" | "reused"; dataset: DatasetShape };
  phasesSeconds: Record<string, number>;
  dataset: { rows: Record<string, number>; probes: Probes };
  /** `baseline`: requests/s the ratios divide by, the mean of the static page's answered runs. */
  staticPage: { path: string; prerendered: boolean; prerenderedRoutes: string[]; baseline: number | null };
  endpoints: (EndpointResult | SkippedEndpoint)[];
  writes: WriteResult | SkippedEndpoint;
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

function statuses(m: Measurement): string {
  const codes = Object.entries(m.statusCodes).sort(([a], [b]) => Number(a) - Number(b));
  return codes.map(([code, count]) => `${code}×${int(count)}`).join(" ");
}

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
    `- Load: autocannon, ${c.connections} connections, ${c.seconds} s per endpoint after a ${c.warmupSeconds} s warm-up, ${c.timeoutSeconds} s timeout, against \`npm start\` (server.ts in front of Next).`,
    "",
  );

  lines.push(
    "| endpoint | path | req/s | ratio to static | p50 ms | p99 ms | non-2xx | one request alone: first → second | server RSS peak | statuses, notes |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
  );
  for (const e of r.endpoints) {
    if (isSkipped(e)) {
      lines.push(`| ⚠ ${e.name} | \`${e.path}\` | – | – | – | – | – | – | – | skipped: ${e.skipped} |`);
      continue;
    }
    const ratio = e.ratioToStatic === null ? "–" : e.ratioToStatic.toFixed(e.ratioToStatic < 0.1 ? 3 : 2);
    const [p50, p99] = e.requests ? [ms(e.latencyMs.p50), ms(e.latencyMs.p99)] : ["–", "–"];
    lines.push(
      `| ${flagOf(e) ? "⚠ " : ""}${e.name} | \`${e.path}\` | ${e.requestsPerSecond.toFixed(1)} | ${ratio} | ${p50} | ${p99} | ${int(e.non2xx)} | ${aloneCell(e)} | ${int(e.serverPeakRssMb)} MB | ${notes(e, e.note)} |`,
    );
  }
  lines.push(
    "",
    `Static page: \`${r.staticPage.path}\` (a route handler marked force-static), ${r.staticPage.prerendered ? "prerendered by the build (listed in its prerender manifest), so the server replays the stored answer" : "⚠ not in the build's prerender manifest"}; like the rest of the JSON API and the feeds it skips the proxy, which only pages pass through, and gets its security headers from the server's configuration. It is measured first and again last; ratios divide by ${r.staticPage.baseline === null ? "nothing (it did not answer)" : `the mean of the two runs (${r.staticPage.baseline.toFixed(1)} req/s)`}, and the two runs' own ratios show how far the machine drifted meanwhile.`,
    "A figure marked ⚠ is not what it says: the endpoint did not answer every request with 200 (304 for the conditional one), or requests failed. \"Server RSS peak\" is the server's total resident memory sampled during that endpoint's run and the wait after it.",
    "",
  );

  lines.push(
    "## Uncached renders",
    "",
    `Each page asked for ${r.uncached[0]?.ms.length ?? 0} times alone, each time after a notification that drops every cache, as a write would; the route's code is loaded by then. Times are to the last byte, as the bench process sees them.`,
    "",
    "| page | path | median ms | fastest ms | slowest ms | statuses |",
    "| --- | --- | ---: | ---: | ---: | --- |",
    ...r.uncached.map((u) => {
      const bad = u.statuses.some((s) => s !== 200);
      return `| ${bad ? "⚠ " : ""}${u.name} | \`${u.path}\` | ${int(u.medianMs)} | ${int(u.fastestMs)} | ${int(u.slowestMs)} | ${u.statuses.join(" ")} |`;
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
  lines.push(s ? `- Server peak RSS (VmHWM of \`${s.name}\`, pid ${s.pid}): **${int(s.peakRssMb)} MB**.` : "- ⚠ The server's memory could not be read (no /proc).");
  if (r.memory.serverStarts > 1) lines.push(`- The server was started ${r.memory.serverStarts} times (restarted after runs it could not work off); the peak is the largest of all of them.`);
  const others = r.memory.processes.filter((p) => p.pid !== s?.pid && !p.name.startsWith(SERVER_TITLE));
  if (others.length) lines.push(`- Other processes in the server's tree: ${others.map((p) => `\`${p.name}\` ${int(p.peakRssMb)} MB`).join(", ")}.`);
  lines.push(`- Bench process (data set, autocannon, word diff): ${int(r.memory.runnerPeakRssMb)} MB.`, "");
  return lines.join("\n");
}
