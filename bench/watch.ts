import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Readability } from "@mozilla/readability";
import { JSDOM } from "jsdom";
import { inArray, sql } from "drizzle-orm";
import { migrateDatabase, openDatabase, rows, type Database } from "@/db";
import { documents, outlets, watches } from "@/db/schema";
import { generateEditedPair } from "@/lib/testing/textgen";
import { addressPolicy } from "@/lib/watch/address";
import { runCapture } from "@/lib/watch/capture";
import { extractArticle } from "@/lib/watch/extract";
import { userAgent, type WatcherSettings } from "@/lib/watch/settings";
import { startWorker } from "@/lib/worker";
import { provideDatabase, DEFAULT_SERVER_URL } from "./database";
import { behaviourOf, benchPage, paragraphsOf, type Behaviour } from "./watch-sites";

/**
 * The watcher under load: documents on local fixture sites (a mix of pages that answer 304, pages
 * whose bytes never change, and pages that change on every request), checked by one instance
 * and by two, with the CPU each kind of check costs, the extraction of a 100 KB page, the lag
 * behind schedule and the memory used. Figures, not pass/fail.
 */

const DOCUMENTS = Number(process.env.BENCH_WATCH_DOCUMENTS ?? 1000);
const HOSTS = 20;
const NEEDED_PER_SECOND = 10_000 / (15 * 60);

const settings: WatcherSettings = {
  // The fixture sites are on 127.0.0.1, named here; every other private address stays refused.
  limits: { policy: addressPolicy("127.0.0.1"), userAgent: userAgent("https://claimtrail.bench"), totalMs: 30_000, connectMs: 5_000, maxBytes: 5_000_000 },
  // Throughput is measured without spacing between requests to a host: with the default second,
  // 20 hosts allow 20 checks a second whatever the watcher can do.
  hostIntervalMs: 0,
  concurrency: 8,
};

/**
 * The fixture sites run in a process of their own (bench/watch-sites.ts), so that the CPU this
 * process uses is the watcher's alone.
 */
function startSites(): Promise<{ origins: string[]; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", "watch-sites.ts"), String(DOCUMENTS), String(HOSTS)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ origins: (JSON.parse(line) as { origins: string[] }).origins, stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`the fixture sites exited (${code})`)));
  });
}

const urlOf = (origins: string[], i: number) => `${origins[i % origins.length]}/doc/${i}`;

async function makeWatches(database: Database, origins: string[]): Promise<number[]> {
  const [outlet] = await database.db.insert(outlets).values({ slug: "bench-news", name: "Bench News" }).returning();
  const made = await database.db
    .insert(documents)
    .values(Array.from({ length: DOCUMENTS }, (_, i) => ({ outletId: outlet!.id, url: urlOf(origins, i), title: `Bench report ${i}`, publishedAt: new Date() })))
    .returning({ id: documents.id, url: documents.url });
  const ids = await database.db
    .insert(watches)
    .values(made.map((d) => ({ kind: "document" as const, documentId: d.id, url: d.url!, nextCheckAt: new Date() })))
    .returning({ id: watches.id });
  return ids.map((w) => w.id);
}

const dueNow = (database: Database, ids: number[]) => database.db.update(watches).set({ nextCheckAt: new Date(), claimedSlot: null, claimedAt: null }).where(inArray(watches.id, ids));

/** Waits until `count` captures newer than `since` exist. */
async function waitForCaptures(database: Database, sinceId: number, count: number, limitMs: number) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const [row] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from captures where id > ${sinceId}`);
    if (row!.n >= count || Date.now() > deadline) return row!.n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lastCaptureId = async (database: Database) => Number((await rows<{ id: number | null }>(database.db, sql`select max(id) as id from captures`))[0]!.id ?? 0);

type Pass = {
  instances: number;
  captures: number;
  /** Requests the fixture sites answered for documents during the pass, and (watch, slot) pairs captured more than once. */
  fetches: number;
  slotsCapturedTwice: number;
  seconds: number;
  perSecond: number;
  cpuMsPerCapture: number | null;
  lagMs: { p50: number; p95: number; max: number };
  outcomes: Record<string, number>;
};

const servedSoFar = async (origin: string) => Number(await (await fetch(`${origin}/__served`)).text());

async function pass(database: Database, ids: number[], origin: string, instances: 1 | 2, child?: () => Promise<ChildProcess>): Promise<Pass> {
  await dueNow(database, ids);
  const since = await lastCaptureId(database);
  const servedBefore = await servedSoFar(origin);
  const watcher = await startWorker(database, { settings, cron: false, pollingIntervalSeconds: 0.5 });
  const second = instances === 2 && child ? await child() : null;
  const cpu = process.cpuUsage();
  const started = Date.now();
  try {
    // Both instances sweep, as their crons would: each due slot goes to one of them.
    await Promise.all([watcher.sweep(), watcher.sweep()]);
    const done = await waitForCaptures(database, since, ids.length, 600_000);
    const seconds = (Date.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const lag = (await rows<{ lag: number }>(database.db, sql`select extract(epoch from (at - slot)) * 1000 as lag from captures where id > ${since} and slot is not null order by 1`)).map((r) => Number(r.lag));
    const outcomes = Object.fromEntries(
      (await rows<{ outcome: string; n: number }>(database.db, sql`select outcome::text, count(*)::int as n from captures where id > ${since} group by 1 order by 1`)).map((r) => [r.outcome, r.n]),
    );
    const at = (q: number) => Math.round(lag[Math.min(lag.length - 1, Math.floor(q * lag.length))] ?? 0);
    const [twice] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from (select 1 from captures where id > ${since} and slot is not null group by watch_id, slot having count(*) > 1) pairs`,
    );
    return {
      instances,
      captures: done,
      fetches: (await servedSoFar(origin)) - servedBefore,
      slotsCapturedTwice: twice?.n ?? 0,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round((done / seconds) * 10) / 10,
      // With two instances the other process's CPU is not in this figure.
      cpuMsPerCapture: instances === 1 ? Math.round(((used.user + used.system) / 1000 / done) * 100) / 100 : null,
      lagMs: { p50: at(0.5), p95: at(0.95), max: Math.round(lag.at(-1) ?? 0) },
      outcomes,
    };
  } finally {
    await watcher.stop();
    second?.kill("SIGTERM");
  }
}

/** CPU of one check of each kind, run one at a time in this process (the database server's CPU is not counted). */
async function cpuPerCheck(database: Database, ids: number[]) {
  const docs = await database.db.select({ id: watches.id, url: watches.url }).from(watches).where(inArray(watches.id, ids));
  const byKind = (b: Behaviour) => docs.filter((d) => behaviourOf(Number(/\/doc\/(\d+)$/.exec(d.url)![1])) === b).slice(0, 100);
  const result: Record<string, { checks: number; cpuMs: number; wallMs: number }> = {};
  for (const kind of ["304", "same-bytes", "changing"] as Behaviour[]) {
    const chosen = byKind(kind);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const w of chosen) await runCapture(database.db, settings, w.id, null);
    const used = process.cpuUsage(cpu);
    result[kind] = { checks: chosen.length, cpuMs: Math.round(((used.user + used.system) / 1000 / chosen.length) * 100) / 100, wallMs: Math.round(((performance.now() - start) / chosen.length) * 100) / 100 };
  }
  return result;
}

function extractionTimes() {
  const html = benchPage(paragraphsOf(generateEditedPair({ seed: 17, words: 1500, edits: 40 }).before), "Published 14 Oct 2024");
  const median = (f: () => void) => {
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      f();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return Math.round(times[12]! * 10) / 10;
  };
  // The first runs warm the code up; the medians are of the runs after.
  for (let i = 0; i < 5; i++) extractArticle(html, "https://bench.example/doc");
  const linkedom = median(() => extractArticle(html, "https://bench.example/doc"));
  const jsdom = median(() => new Readability(new JSDOM(html, { url: "https://bench.example/doc" }).window.document).parse());
  return { pageKb: Math.round(Buffer.byteLength(html) / 1024), readabilityOverLinkedomMs: linkedom, readabilityOverJsdomMs: jsdom };
}

/** The second instance: a process of its own on the same database, working the same queue. */
function secondInstance(url: string): () => Promise<ChildProcess> {
  return () =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", "watch-instance.ts")], {
        env: { ...process.env, DATABASE_URL: url, CAPTURE_ALLOW_PRIVATE_HOSTS: "127.0.0.1", CAPTURE_HOST_INTERVAL_MS: "0" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve(child));
      child.once("exit", (code) => reject(new Error(`the second instance exited (${code})`)));
    });
}

export type WatchBenchResult = Awaited<ReturnType<typeof runWatchBench>>;

export async function runWatchBench(serverUrl = process.env.BENCH_POSTGRES_URL ?? DEFAULT_SERVER_URL) {
  const bench = await provideDatabase(undefined, serverUrl);
  const database = await openDatabase({ url: bench.url, poolMax: 12 });
  const sites = await startSites();
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 1048576)), 200);
  try {
    await migrateDatabase(database, bench.url);
    const ids = await makeWatches(database, sites.origins);
    const origin = sites.origins[0]!;
    const first = await pass(database, ids, origin, 1);
    const one = await pass(database, ids, origin, 1);
    const two = await pass(database, ids, origin, 2, secondInstance(bench.url));
    const perCheck = await cpuPerCheck(database, ids);
    const extraction = extractionTimes();
    const [versions] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from document_versions`);
    return {
      documents: DOCUMENTS,
      hosts: HOSTS,
      mix: "40 % answer 304 to their ETag, 40 % send the same bytes, 20 % change on every request (a timestamp, then the text)",
      passes: { firstCaptures: first, oneInstance: one, twoInstances: two },
      cpuPerCheck: perCheck,
      extraction,
      versionsMade: versions!.n,
      peakRssMb: Math.round(peakRssMb),
      tenThousandEvery15Minutes: { neededPerSecond: Math.round(NEEDED_PER_SECOND * 10) / 10, measuredPerSecond: one.perSecond, onTime: one.perSecond >= NEEDED_PER_SECOND },
    };
  } finally {
    clearInterval(sampler);
    sites.stop();
    await database.close();
    await bench.drop();
  }
}

export function watchMarkdown(r: WatchBenchResult): string {
  const row = (name: string, p: Pass) =>
    `| ${name} | ${p.captures} | ${p.fetches} | ${p.slotsCapturedTwice} | ${p.seconds} s | ${p.perSecond} | ${p.cpuMsPerCapture ?? "–"} | ${p.lagMs.p50} / ${p.lagMs.p95} / ${p.lagMs.max} ms | ${Object.entries(p.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")} |`;
  return [
    "## The watcher",
    "",
    `${r.documents} watched documents on ${r.hosts} local fixture sites (in a process of their own); ${r.mix}. Checks run on pg-boss against PostgreSQL; no spacing between requests to a host.`,
    "",
    "| pass | captures | documents fetched | slots captured twice | time | per second | CPU ms per capture (this process) | lag behind schedule p50 / p95 / max | outcomes |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    row("first captures (every page new)", r.passes.firstCaptures),
    row("re-check, one instance", r.passes.oneInstance),
    row("re-check, two instances", r.passes.twoInstances),
    "",
    "| one check, alone | CPU ms | wall ms |",
    "| --- | ---: | ---: |",
    ...Object.entries(r.cpuPerCheck).map(([k, v]) => `| ${k === "304" ? "answered 304" : k === "same-bytes" ? "the same bytes (unchanged)" : "a changed page (read and compared)"} | ${v.cpuMs} | ${v.wallMs} |`),
    "",
    `Extraction of a ${r.extraction.pageKb} KB page: Readability over linkedom ${r.extraction.readabilityOverLinkedomMs} ms, over jsdom ${r.extraction.readabilityOverJsdomMs} ms (medians of 25).`,
    "",
    "Documents fetched counts the requests the fixture sites answered during the pass: one per document when no slot is fetched twice, whether one instance works the queue or two.",
    "",
    `10,000 watches every 15 minutes need ${r.tenThousandEvery15Minutes.neededPerSecond} checks a second; one instance did ${r.tenThousandEvery15Minutes.measuredPerSecond}: ${r.tenThousandEvery15Minutes.onTime ? "on time" : "not on time"}. Peak memory of the bench process: ${r.peakRssMb} MB.`,
    "",
  ].join("\n");
}

// `npm run bench:watch`: this part alone (`npm run bench` runs it too).
if (process.argv[1]?.endsWith(path.join("bench", "watch.ts"))) {
  const limit = setTimeout(() => {
    console.error("[bench:watch] over 20 minutes: stopping");
    process.exit(1);
  }, 20 * 60_000);
  limit.unref();
  runWatchBench().then(
    (result) => {
      writeFileSync(path.join("bench", "results", "watch.json"), `${JSON.stringify(result, null, 2)}\n`);
      const md = watchMarkdown(result);
      writeFileSync(path.join("bench", "results", "watch.md"), md);
      console.log(md);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
