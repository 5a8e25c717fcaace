import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { rows, type Database } from "@/db";
import { systemActor, verifyAuditChain } from "@/lib/audit";
import { createEditor } from "@/lib/auth/editors";
import { createToken } from "@/lib/auth/tokens";
import { createStory } from "@/lib/stories/write";
import { SERVER_TITLE } from "@/lib/edge";
import { generateDataset, loadDataset, FULL_SHAPE, type DatasetShape } from "./dataset";
import { openEmptyDatabase, provideDatabase, DEFAULT_SERVER_URL, type BenchDatabase } from "./database";
import { runDiffBench } from "./diff";
import { runMatchingBench } from "./matching";
import { runPictureBench } from "./pictures";
import { runWatchBench, watchMarkdown } from "./watch";
import { tablesScannedWhole } from "./scans";
import { dropServerCaches, uncachedRenders } from "./uncached";
import { capture, startBareServer } from "./bare";
import { runInstancesBench } from "./instances";
import { measureWriteRates } from "./writes";
import { measure, type Endpoint, type LoadConfig } from "./load";
import { requirePrograms } from "./programs";
import { renderMarkdown, type LighthouseResult, type EndpointResult, type Measured, type Report, type SkippedEndpoint, type WriteResult } from "./report";
import { buildApp, buildExists, DIST_DIR, freePort, prerenderedRoutes, startServer, stopCommands, waitForHealth, waitUntilIdle, watchMemory, type Server } from "./server";

const RESULTS_DIR = path.join("bench", "results");
/**
 * What every server the bench starts runs with, beyond the database and port: the bench's one
 * editor writes far more a minute than any person, and it measures how fast writes go, not the limit.
 */
const BENCH_SERVER_ENV: Record<string, string> = { WRITE_RATE_LIMIT: "1000000" };

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}, not "${raw}".`);
  return value;
}

/** BENCH_SCALE shrinks the data set for quick runs; the full one is the default. */
function datasetShape(scale: number): DatasetShape {
  if (scale === 1) return FULL_SHAPE;
  const scaled = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    ...FULL_SHAPE,
    stories: scaled(FULL_SHAPE.stories),
    claims: scaled(FULL_SHAPE.claims),
    largestStoryClaims: scaled(FULL_SHAPE.largestStoryClaims),
    links: scaled(FULL_SHAPE.links),
    documents: scaled(FULL_SHAPE.documents),
    outlets: Math.max(3, scaled(FULL_SHAPE.outlets)),
  };
}

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function nextVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(path.join("node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return null;
  }
}

function readLighthouse(): LighthouseResult | null {
  try {
    return JSON.parse(readFileSync(path.join(RESULTS_DIR, "lighthouse.json"), "utf8")) as LighthouseResult;
  } catch {
    return null;
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function writeAtomically(file: string, content: string) {
  // A run stopped halfway leaves the previous results whole (the .tmp name is ignored by git).
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

/** Everything the run holds open, released once whether it ends, fails or is interrupted. */
class Resources {
  database?: BenchDatabase;
  appDb?: Database;
  server?: Server;
  private released?: Promise<void>;

  release(): Promise<void> {
    return (this.released ??= (async () => {
      stopCommands();
      const steps: [string, (() => Promise<void>) | undefined][] = [
        ["stop the server", this.server && (() => this.server!.stop())],
        ["close the database connection", this.appDb && (() => this.appDb!.close())],
        ["drop the bench database", this.database?.created ? () => this.database!.drop() : undefined],
      ];
      for (const [what, step] of steps) {
        if (!step) continue;
        try {
          await step();
        } catch (err) {
          console.error(`[bench] could not ${what}: ${(err as Error).message}`);
        }
      }
      if (this.database?.created) log(`dropped ${this.database.location}`);
    })());
  }
}

async function main() {
  const startedAt = Date.now();
  const loadStart = os.loadavg();
  const config: LoadConfig = {
    connections: numberFromEnv("BENCH_CONNECTIONS", 50, 1),
    seconds: numberFromEnv("BENCH_SECONDS", 10, 1),
    warmupSeconds: numberFromEnv("BENCH_WARMUP_SECONDS", 2, 0),
    timeoutSeconds: numberFromEnv("BENCH_TIMEOUT_SECONDS", 10, 1),
  };
  // Each read alternates with the bare server this many times, for this long each: on a shared
  // machine two runs minutes apart can differ by a third, and adjacent ones much less.
  const readRounds = numberFromEnv("BENCH_READ_ROUNDS", 3, 1);
  const readConfig: LoadConfig = { ...config, seconds: numberFromEnv("BENCH_READ_SECONDS", 5, 1) };
  const shape = datasetShape(numberFromEnv("BENCH_SCALE", 1, 0.001));
  const skipBuild = process.env.BENCH_SKIP_BUILD === "1" && buildExists();
  const settleSeconds = numberFromEnv("BENCH_SETTLE_SECONDS", 20, 1);
  const logDir = path.join(os.tmpdir(), `claimtrail-bench-${process.pid}`);
  mkdirSync(logDir, { recursive: true });
  mkdirSync(RESULTS_DIR, { recursive: true });

  requirePrograms(["wrk", "nginx"]);
  const resources = new Resources();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n[bench] ${signal}: cleaning up; logs in ${logDir}`);
      void resources.release().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
  // Every step is bounded, but a hang nobody foresaw must still end the run and clean up.
  const limitMinutes = numberFromEnv("BENCH_LIMIT_MINUTES", 30, 1);
  setTimeout(() => {
    console.error(`[bench] still running after ${limitMinutes} minutes: giving up; logs in ${logDir}`);
    void resources.release().finally(() => process.exit(1));
  }, limitMinutes * 60_000).unref();

  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, what: string, run: () => Promise<T>): Promise<T> => {
    log(`${what}…`);
    const t = Date.now();
    const result = await run();
    phases[name] = seconds(Date.now() - t);
    log(`${what}: ${phases[name]} s`);
    return result;
  };

  try {
    const database = await phase("createDatabase", "database", async () => {
      resources.database = await provideDatabase(process.env.BENCH_DATABASE_URL, process.env.BENCH_POSTGRES_URL || DEFAULT_SERVER_URL);
      resources.appDb = await openEmptyDatabase(resources.database.url);
      log(`${resources.database.created ? "created" : "using"} ${resources.database.location}, migrated`);
      return resources.database;
    });
    const db = resources.appDb!.db;

    const data = await phase("load", "data set: generate and load", async () => {
      const generated = generateDataset(shape);
      const counts = await loadDataset(db, generated, { onProgress: (table, n) => log(`  ${table}: ${n.toLocaleString("en")} rows`) });
      return { generated, counts };
    });
    const { probes } = data.generated;
    const loadedClaims = data.generated.claims.length;

    if (skipBuild) log(`BENCH_SKIP_BUILD=1: reusing the build in ${DIST_DIR}`);
    else await phase("build", `next build into ${DIST_DIR}`, () => buildApp(database.url, path.join(logDir, "build.log")));
    const prerendered = prerenderedRoutes();

    const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
    let launches = 0;
    const launch = async () => {
      const logFile = path.join(logDir, `server-${++launches}.log`);
      // Held before waiting, so an interrupted or failed start still stops it.
      resources.server = startServer({ databaseUrl: database.url, port, logFile, env: BENCH_SERVER_ENV });
      await waitForHealth(resources.server, { logFile });
      return resources.server;
    };
    await phase("start", `npm start (scripts/start.sh) on port ${port}`, launch);
    const serverPids = () => resources.server?.pids() ?? [];
    const memory = watchMemory(serverPids);
    const otherQueries = sql`from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active'`;
    const queriesRunning = async () => ((await rows<{ n: number }>(db, sql`select count(*)::int as n ${otherQueries}`))[0]?.n ?? 0) > 0;
    const restart = async () => {
      await resources.server!.stop();
      // Queries of the stopped server would otherwise run on and slow the next endpoint.
      await db.execute(sql`select pg_cancel_backend(pid) ${otherQueries}`);
      await launch();
    };

    /**
     * Measures one endpoint, then lets the server finish what the run left queued. A server
     * still busy after BENCH_SETTLE_SECONDS is restarted: the next endpoint starts clean.
     */
    const run = async (endpoint: Endpoint, load = config): Promise<Measured> => {
      log(`${endpoint.name}: ${endpoint.method ?? "GET"} ${endpoint.path}`);
      memory.window();
      const m = await measure(resources.server!.url, endpoint, load);
      const settled = await waitUntilIdle(serverPids, { maxMs: settleSeconds * 1000, busyElsewhere: queriesRunning });
      if (!settled.idle) await restart();
      const after = { waitedSeconds: seconds(settled.waitedMs), restarted: !settled.idle };
      const result = { ...m, serverPeakRssMb: memory.window(), after };
      const alone = result.alone.second ?? result.alone.first;
      log(
        `  ${m.requestsPerSecond} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms, statuses ${JSON.stringify(m.statusCodes)}` +
          `${m.errors ? `, ${m.errors} errors (${m.timeouts} timeouts)` : ""}; alone ${alone.ms} ms, ${alone.bytes.toLocaleString("en")} B` +
          `${after.restarted ? `; still busy ${settleSeconds} s later: restarted the server` : ""}`,
      );
      return result;
    };

    const endpoints: (EndpointResult | SkippedEndpoint)[] = [];
    /**
     * A read against the app, then the same bytes, as the app sent them (captured after its first
     * run), from the bare server with the same load: the limit of this machine for that answer.
     * The two take turns `readRounds` times; the figures are the round with the median ratio's.
     */
    const read = async (endpoint: Endpoint, note?: string): Promise<EndpointResult> => {
      const rounds: { measured: Measured; limit: Awaited<ReturnType<typeof measure>>; ratio: number | null }[] = [];
      let barePath: string | null = null;
      let expected = 0;
      for (let i = 0; i < readRounds; i++) {
        const measured = await run(endpoint, readConfig);
        if (barePath === null) {
          const captured = await capture(resources.server!.url + endpoint.path, endpoint.headers);
          barePath = `/${encodeURIComponent(endpoint.name)}`;
          await bare.replay(barePath, captured);
          expected = captured.status;
        }
        const limit = await measure(bare.url, { name: `${endpoint.name}, bare server`, path: barePath, expected: [expected] }, readConfig);
        const ratio = limit.requestsPerSecond ? Math.round((measured.requestsPerSecond / limit.requestsPerSecond) * 1000) / 1000 : null;
        log(`  the same bytes from a bare server: ${limit.requestsPerSecond} req/s, p99 ${limit.latencyMs.p99} ms; ratio ${ratio}`);
        rounds.push({ measured, limit, ratio });
      }
      const { measured, limit, ratio } = [...rounds].sort((a, b) => (a.ratio ?? 0) - (b.ratio ?? 0))[Math.floor(rounds.length / 2)]!;
      const result: EndpointResult = {
        ...measured,
        // Any round that failed flags the figure, whichever round it comes from.
        answered: rounds.every((r) => r.measured.answered),
        limit: { requestsPerSecond: limit.requestsPerSecond, latencyMs: limit.latencyMs, bytesPerResponse: limit.bytesPerResponse ?? 0, answered: rounds.every((r) => r.limit.answered) },
        ratioToLimit: ratio,
        roundRatios: rounds.map((r) => r.ratio),
        ratioToStatic: null,
        serverPeakRssMb: Math.max(...rounds.map((r) => r.measured.serverPeakRssMb)),
        ...(note && { note }),
      };
      endpoints.push(result);
      return result;
    };

    // Before the reads, so nothing is cached and every page asks PostgreSQL for what it shows.
    const scans = await phase("scans", "tables read whole for each page type", async () => {
      const outlet = data.generated.outlets[0]!.slug;
      const document = data.generated.documents[0]!.id;
      const word = data.generated.claimRevisions[0]!.text.split(/\W+/).find((w) => w.length > 4) ?? "report";
      const report = await tablesScannedWhole(db, resources.server!.url, [
        "/",
        `/stories/${probes.storySlug}`,
        `/stories/${probes.largeStorySlug}?page=3`,
        `/stories/${probes.storySlug}?asOf=2024-06-01`,
        `/stories/${probes.storySlug}/changes`,
        `/claims/${probes.claimId}`,
        `/outlets/${outlet}`,
        `/documents/${document}`,
        `/search?q=${encodeURIComponent(word)}`,
        "/feed.xml",
        `/stories/${probes.storySlug}/feed.atom`,
        `/outlets/${outlet}/feed.json`,
        `/api/stories/${probes.storySlug}`,
      ]);
      log(`  ${report.scans.length ? report.scans.map((s) => `${s.table} ×${s.seqScans}`).join(", ") : "no table of 1,000 rows or more"} read whole`);
      // So the reads below start with nothing cached again.
      await dropServerCaches(db);
      return report;
    });

    // The app's own stylesheet, as a browser loads it with every page: a file Next serves as it is.
    const staticPath = await (async () => {
      const html = await (await fetch(`${resources.server!.url}/`)).text();
      const found = /\/_next\/static\/[^"?]+\.css/.exec(html)?.[0];
      if (!found) throw new Error("The front page names no stylesheet.");
      return found;
    })();
    const bare = await startBareServer(await freePort(3411, 3420));
    try {
      await phase("reads", "reads", async () => {
        const outlet = data.generated.outlets[0]!.slug;
        await read({ name: "static file", path: staticPath }, "the app's stylesheet, from the front's cache");
        const story = await read({ name: "story page", path: `/stories/${probes.storySlug}` }, `${probes.storyClaims} claims`);
        await read({ name: "story page, brotli", path: `/stories/${probes.storySlug}`, headers: { "accept-encoding": "br" } }, "as browsers ask for it");
        await read({ name: "largest story page", path: `/stories/${probes.largeStorySlug}` }, `${probes.largeStoryClaims.toLocaleString("en")} claims`);
        await read({ name: "claim page", path: `/claims/${probes.claimId}` }, `${probes.claimLinks} links`);
        await read({ name: "outlet page", path: `/outlets/${outlet}` });
        const feed = await read({ name: "site feed", path: "/feed.xml" });
        await read({ name: "story feed", path: `/stories/${probes.storySlug}/feed.atom` });
        for (const [name, source] of [["story page", story], ["site feed", feed]] as const) {
          const { status, etag } = source.alone.second ?? source.alone.first;
          if (status === 200 && etag) {
            const conditional = await read({ name: `${name}, If-None-Match`, path: source.path, headers: { "if-none-match": etag }, expected: [304] });
            conditional.note = `${Math.round((conditional.bytesPerResponse ?? 0) / 10) * 10} B per answer`;
          } else {
            endpoints.push({ name: `${name}, If-None-Match`, path: source.path, skipped: status === 200 ? "no ETag" : `GET ${source.path} answered ${status || source.alone.first.error}` });
          }
        }
        await read({ name: "API read", path: `/api/stories/${probes.storySlug}` }, "story JSON from the API");
        await read({ name: "static file (repeat)", path: staticPath }, "drift check");
      });
    } finally {
      bare.stop();
    }
    // The machine is shared: the static file is measured first and last, and the ratios divide
    // by the mean of the two, so neither a cold start nor a later lull sets the baseline alone.
    // A run with timeouts still counts (it is flagged); one that answered anything but 200 does not.
    const staticRuns = endpoints.filter((e): e is EndpointResult => !("skipped" in e) && e.path === staticPath && e.requests > 0 && e.expectedShare === 1);
    const baseline = staticRuns.length ? staticRuns.reduce((sum, e) => sum + e.requestsPerSecond, 0) / staticRuns.length : null;
    for (const e of endpoints) if (!("skipped" in e) && baseline) e.ratioToStatic = Math.round((e.requestsPerSecond / baseline) * 1000) / 1000;

    const uncached = await phase("uncached", "uncached renders", async () => {
      const pages = [
        { name: "story page", path: `/stories/${probes.storySlug}` },
        { name: "largest story page", path: `/stories/${probes.largeStorySlug}` },
        { name: "claim page", path: `/claims/${probes.claimId}` },
      ];
      const results = [];
      for (const page of pages) {
        const r = await uncachedRenders(db, resources.server!.url, page);
        log(`  ${page.name}: median ${r.medianMs} ms (${r.fastestMs}–${r.slowestMs} ms), statuses ${r.statuses.join(" ")}`);
        results.push(r);
      }
      return results;
    });

    const writePath = `/api/stories/${probes.storySlug}/claims`;
    const actor = systemActor("bench");
    const { editor } = await createEditor(db, actor, { email: "bench-writer@claimtrail.test", name: "Bench writer" });
    const token = await createToken(db, actor, editor.id, { name: "bench", scope: "write" });
    const documents = data.generated.documents;
    const texts = data.generated.claimRevisions.slice(0, 1_000).map((r) => r.text);
    const claimBody = (n: number, label: string) => {
      const i = Math.abs(n);
      return JSON.stringify({ documentId: documents[(i * 7919) % documents.length]!.id, text: `${texts[i % texts.length]} (${label} ${n})`, speaker: "Bench writer" });
    };
    const writeEndpoint = (label: string): Endpoint => ({
      name: "create claim",
      method: "POST",
      path: writePath,
      headers: { authorization: `Bearer ${token.secret}` },
      expected: [201],
      body: (n) => claimBody(n, label),
    });
    const measureWrites = async (): Promise<WriteResult> => {
      const m = await run(writeEndpoint("write"));
      const [created] = await rows<{ n: number }>(db, sql`select count(*)::int as n from claims where id > ${loadedClaims}`);
      const [claimEvents] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_events where entity = 'claim' and action = 'create'`);
      const verdict = await verifyAuditChain(db);
      const createdCount = created?.n ?? 0;
      return {
        ...m,
        claimsPerSecond: Math.round(((m.statusCodes["201"] ?? 0) / (m.seconds || config.seconds)) * 10) / 10,
        created: createdCount,
        audit: {
          ok: verdict.ok,
          events: verdict.events,
          claimEvents: claimEvents?.n ?? 0,
          matchesCreated: (claimEvents?.n ?? 0) === createdCount,
          ...(!verdict.ok && { reason: `event ${verdict.brokenAt}: ${verdict.reason}` }),
        },
      };
    };
    // A failure here is reported, not fatal: the reads measured so far still get written.
    const writes = await phase("writes", "writes through the API", () =>
      measureWrites().catch((err: unknown): SkippedEndpoint => ({ name: "create claim", path: writePath, skipped: (err as Error).message })),
    );
    // On a story of their own, so that the batch lands in an empty story whatever ran before.
    const writeRates = await phase("batch", "a warm-up batch, three batches of 5,000 claims, then 500 single writes one after another", async () => {
      const story = await createStory(db, actor, { title: "Bench batch writes" });
      const rates = await measureWriteRates({ base: resources.server!.url, token: token.secret, storySlug: story.slug, documentIds: documents.map((d) => d.id), texts });
      log(`  batch: ${rates.batch.claimsPerSecond} claims/s (median of ${rates.batch.runs.map((r) => `${r.ms} ms`).join(", ")}; status ${rates.batch.status}); single, one after another: ${rates.single.claimsPerSecond} claims/s`);
      const verdict = await verifyAuditChain(db);
      return { ...rates, auditChain: verdict.ok ? `verifies: ${verdict.events} events` : `⚠ broken at event ${verdict.brokenAt}: ${verdict.reason}` };
    }).catch((err: unknown) => {
      console.error(`[bench] the batch bench failed: ${(err as Error).message}`);
      return null;
    });

    const processes = memory.stop();
    const serverProcess = processes.find((p) => p.name.startsWith(SERVER_TITLE)) ?? processes[0] ?? null;
    await resources.server?.stop();

    const instances = await phase("instances", "two instances behind nginx", () =>
      runInstancesBench({
        databaseUrl: database.url,
        logDir,
        config,
        read: `/stories/${probes.storySlug}`,
        write: writeEndpoint("two instances"),
        claim: (n) => {
          const text = `Freshness check ${n} at ${Date.now()}`;
          // Dated before every claim of the data set, so that it heads the first page of the timeline.
          return { text, body: JSON.stringify({ documentId: documents[n]!.id, text, assertedAt: "2000-01-01T00:00:00.000Z" }) };
        },
        env: BENCH_SERVER_ENV,
      }).catch((err: unknown) => {
        console.error(`[bench] the two instances' bench failed: ${(err as Error).message}`);
        return null;
      }),
    );

    const diffRows = await phase("diff", "word diff", () =>
      runDiffBench().catch((err: unknown) => {
        console.error(`[bench] word diff failed: ${(err as Error).message}`);
        return [];
      }),
    );

    const pictures = await phase("pictures", "provenance pictures and share cards", () =>
      runPictureBench(db, probes).catch((err: unknown) => {
        console.error(`[bench] the pictures' bench failed: ${(err as Error).message}`);
        return null;
      }),
    );

    const matching = await phase("matching", "claim matching", () =>
      runMatchingBench(db, data.generated).catch((err: unknown) => {
        console.error(`[bench] the matching bench failed: ${(err as Error).message}`);
        return null;
      }),
    );

    // The watcher on its own database and fixture sites, written to watch.json and watch.md.
    const watch = await phase("watcher", "the watcher", () =>
      runWatchBench().catch((err: unknown) => {
        console.error(`[bench] the watcher's bench failed: ${(err as Error).message}`);
        return null;
      }),
    );
    if (watch) {
      writeAtomically(path.join(RESULTS_DIR, "watch.json"), `${JSON.stringify(watch, null, 2)}\n`);
      writeAtomically(path.join(RESULTS_DIR, "watch.md"), watchMarkdown(watch));
    }

    const report: Report = {
      date: new Date(startedAt).toISOString(),
      totalSeconds: 0,
      machine: {
        platform: os.platform(),
        release: os.release(),
        arch: os.arch(),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? "?",
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        loadAverage: { start: loadStart.map((l) => Math.round(l * 100) / 100), end: [] },
      },
      node: process.version,
      next: nextVersion(),
      // Results of an earlier run are not a change to what is measured.
      git: { commit: git(["rev-parse", "HEAD"]), dirty: ((s) => (s === null ? null : s.length > 0))(git(["status", "--porcelain", "--", ".", ":!bench/results"])) },
      config: { ...config, readRounds, readSeconds: readConfig.seconds, settleSeconds, database: database.location, databaseCreated: database.created, port, build: skipBuild ? "reused" : "built", dataset: shape },
      phasesSeconds: phases,
      dataset: { rows: data.counts, probes },
      staticFile: { path: staticPath, prerenderedRoutes: prerendered, baseline: baseline && Math.round(baseline * 10) / 10 },
      endpoints,
      writes,
      writeRates,
      instances,
      lighthouse: readLighthouse(),
      diff: { rows: diffRows },
      pictures,
      matching,
      scans,
      uncached,
      memory: { server: serverProcess, processes, serverStarts: launches, runnerPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
    };
    await resources.release();
    report.totalSeconds = seconds(Date.now() - startedAt);
    report.machine.loadAverage.end = os.loadavg().map((l) => Math.round(l * 100) / 100);

    const markdown = renderMarkdown(report);
    writeAtomically(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeAtomically(path.join(RESULTS_DIR, "latest.md"), markdown);
    console.log(`\n${markdown}`);
    // Logs are kept only when something went wrong (the error names the folder).
    rmSync(logDir, { recursive: true, force: true });
    log(`wrote ${RESULTS_DIR}/latest.json and latest.md`);
  } catch (err) {
    console.error(`[bench] build and server logs are in ${logDir}`);
    throw err;
  } finally {
    await resources.release();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
