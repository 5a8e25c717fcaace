import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const DIST_DIR = ".next-bench";
const NEXT_BIN = path.join("node_modules", ".bin", "next");

// Commands still running, so an interrupted bench can stop the build it started.
const running = new Set<ChildProcess>();

export function stopCommands(): void {
  for (const child of running) child.kill("SIGTERM");
}

/** Runs a command to completion with its output in a log file; rejects with the log's tail. */
function runLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", reject);
    child.on("close", (code) => {
      running.delete(child);
      log.end(() => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${tail(logFile)}`))));
    });
  });
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export const buildExists = () => existsSync(path.join(DIST_DIR, "BUILD_ID"));

/**
 * Production build into its own folder. The build gets the bench database too: should any page
 * read data while prerendering, it reads the bench data, never a developer's embedded folder.
 */
export async function buildApp(databaseUrl: string, logFile: string): Promise<void> {
  // Next adds a build folder it does not find in tsconfig.json's include; the bench's own folder
  // is no part of the project, so the file is put back as it was.
  const tsconfig = readFileSync("tsconfig.json");
  try {
    await runLogged(NEXT_BIN, ["build"], { ...process.env, NEXT_DIST_DIR: DIST_DIR, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" }, logFile);
  } finally {
    writeFileSync("tsconfig.json", tsconfig);
  }
}

/** Routes the build prerendered: they are answered from the build output, not rendered per request. */
export function prerenderedRoutes(): string[] {
  try {
    const manifest = JSON.parse(readFileSync(path.join(DIST_DIR, "prerender-manifest.json"), "utf8")) as { routes?: Record<string, unknown> };
    return Object.keys(manifest.routes ?? {}).sort();
  } catch {
    return [];
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export async function freePort(from = 3400, to = 3410): Promise<number> {
  for (let port = from; port <= to; port++) if (await portIsFree(port)) return port;
  throw new Error(`No free port between ${from} and ${to}.`);
}

export type Server = {
  url: string;
  /** The process spawned: the server of `npm start`, leader of its own process group. */
  pid: number;
  /** The spawned process and every descendant alive now. */
  pids(): number[];
  exited(): boolean;
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Children of each process, from /proc (Linux only; elsewhere just the process itself). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [root];
  }
  for (const entry of entries) {
    try {
      // The command name sits in parentheses and may hold spaces: fields count from its end.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // The process ended while being read.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * The server as `npm start` runs it (scripts/start.sh: the front and the application process,
 * with their V8 settings) on the bench database, spawned without npm in a process group of its
 * own, so stopping the group stops whatever server process it forked.
 */
export function startServer(options: { databaseUrl: string; port: number; logFile: string; env?: Record<string, string> }): Server {
  const log = createWriteStream(options.logFile);
  const child: ChildProcess = spawn("bash", ["scripts/start.sh", "-p", String(options.port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: options.databaseUrl,
      SEED_ON_START: "0",
      PORT: String(options.port),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.on("exit", (code, signal) => ((exitCode = code ?? (signal ? -1 : 0)), resolve())));
  const pid = child.pid!;
  const url = `http://127.0.0.1:${options.port}`;

  let stopping: Promise<void> | undefined;
  const server: Server = {
    url,
    pid,
    pids: () => (exitCode === undefined ? descendants(pid) : []),
    exited: () => exitCode !== undefined,
    stop: () =>
      (stopping ??= (async () => {
        if (exitCode !== undefined) return;
        const signalGroup = (signal: NodeJS.Signals) => {
          try {
            process.kill(-pid, signal);
          } catch {
            // Already gone.
          }
        };
        signalGroup("SIGTERM");
        await Promise.race([exited, sleep(5_000)]);
        if (exitCode === undefined) {
          signalGroup("SIGKILL");
          await Promise.race([exited, sleep(2_000)]);
        }
      })()),
  };

  return server;
}

/** Polls /api/health until the server answers on PostgreSQL; stops it and throws if it never does. */
export async function waitForHealth(server: Server, options: { logFile: string; timeoutMs?: number }): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exited()) throw new Error(`the server exited before answering:\n${tail(options.logFile)}`);
    let health: { ok?: boolean; database?: string } | null = null;
    try {
      const response = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      health = response.ok ? ((await response.json()) as { ok?: boolean; database?: string }) : null;
    } catch {
      // Not listening yet.
    }
    if (health?.ok) {
      if (health.database === "postgres") return;
      await server.stop();
      throw new Error(`The server runs on ${health.database}, not on the bench PostgreSQL database.`);
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`The server did not answer /api/health within ${timeoutMs / 1000} s:\n${tail(options.logFile)}`);
    }
    await sleep(250);
  }
}

export type ProcessMemory = { pid: number; name: string; peakRssMb: number; rssMb: number };

function readStatus(pid: number): ProcessMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    // The status Name is cut at 15 characters; the command line carries the title next sets.
    const name = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 80) || (/^Name:\s+(.*)$/m.exec(status)?.[1] ?? "?");
    return { pid, name, peakRssMb: Math.round(field("VmHWM") / 1024), rssMb: Math.round(field("VmRSS") / 1024) };
  } catch {
    return null;
  }
}

/**
 * Samples the resident memory of a process tree. Each process keeps its own peak (VmHWM), so
 * sampling only has to catch processes before they exit; the tree's total is also tracked per
 * window, to tell which part of the run drove memory up.
 */
export function watchMemory(pids: () => number[], everyMs = 500) {
  const peaks = new Map<number, ProcessMemory>();
  let windowPeakMb = 0;
  const sample = () => {
    let total = 0;
    for (const pid of pids()) {
      const now = readStatus(pid);
      if (!now) continue;
      total += now.rssMb;
      if (now.peakRssMb >= (peaks.get(pid)?.peakRssMb ?? 0)) peaks.set(pid, now);
    }
    windowPeakMb = Math.max(windowPeakMb, total);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    /** Starts a new window; returns the peak total of the one that ends. */
    window(): number {
      sample();
      const peak = windowPeakMb;
      windowPeakMb = 0;
      return peak;
    },
    /** Every process seen, the largest peak first. */
    stop(): ProcessMemory[] {
      sample();
      clearInterval(timer);
      return [...peaks.values()].sort((a, b) => b.peakRssMb - a.peakRssMb);
    },
  };
}

function cpuTicks(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime: fields 14 and 15 of the full line, 12 and 13 after the name.
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended meanwhile.
    }
  }
  return total;
}

/**
 * Waits until the server has worked off what the last run left queued (requests the load tool
 * abandoned keep it busy), so one endpoint's backlog is not billed to the next. The server can
 * look idle while its queries still run in PostgreSQL, hence `busyElsewhere`. Bounded.
 */
export async function waitUntilIdle(
  pids: () => number[],
  options: { maxMs?: number; windowMs?: number; busyShare?: number; busyElsewhere?: () => Promise<boolean> } = {},
): Promise<{ idle: boolean; waitedMs: number }> {
  const windowMs = options.windowMs ?? 500;
  // Clock ticks are 1/100 s on Linux: a share of one core over the window.
  const busyTicks = (options.busyShare ?? 0.1) * (windowMs / 10);
  const started = Date.now();
  for (;;) {
    const before = cpuTicks(pids());
    await sleep(windowMs);
    const waitedMs = Date.now() - started;
    if (cpuTicks(pids()) - before <= busyTicks && !(await options.busyElsewhere?.())) return { idle: true, waitedMs };
    if (waitedMs > (options.maxMs ?? 30_000)) return { idle: false, waitedMs };
  }
}
