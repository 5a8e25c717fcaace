import path from "node:path";
import { startNginx } from "../deploy/nginx";
import { measure, type Endpoint, type LoadConfig, type Measurement } from "./load";
import { freePort, startServer, waitForHealth, type Server } from "./server";

type Load = Pick<Measurement, "requestsPerSecond" | "latencyMs" | "answered" | "statusCodes">;
export type InstancesBench = {
  reads: { oneInstance: Load; twoBehindNginx: Load };
  writes: { oneInstance: Load; twoBehindNginx: Load };
  /** Milliseconds from a write's answer through one instance until the other serves the page with it. */
  freshnessMs: number[];
};

const pick = ({ requestsPerSecond, latencyMs, answered, statusCodes }: Measurement): Load => ({ requestsPerSecond, latencyMs, answered, statusCodes });

/**
 * Two instances of `npm start` on the bench database behind nginx (deploy/nginx.conf): reads and
 * writes per second against one instance and through nginx to both, and how soon a claim written
 * through one instance is on the other's cached page.
 */
export async function runInstancesBench(options: {
  databaseUrl: string;
  logDir: string;
  config: LoadConfig;
  read: string;
  write: Endpoint;
  /** A claim for the freshness check, and the words to look for on the page. */
  claim: (n: number) => { body: string; text: string };
  env: Record<string, string>;
}): Promise<InstancesBench> {
  const servers: Server[] = [];
  let nginx: { url: string; stop: () => void } | undefined;
  try {
    for (const n of [1, 2]) {
      const port = await freePort(3421, 3440);
      const logFile = path.join(options.logDir, `instance-${n}.log`);
      const server = startServer({ databaseUrl: options.databaseUrl, port, logFile, env: { TRUST_PROXY_HOPS: "1", ...options.env } });
      servers.push(server);
      await waitForHealth(server, { logFile });
    }
    const [a, b] = servers as [Server, Server];
    nginx = await startNginx({ dir: path.join(options.logDir, "nginx"), listen: await freePort(3441, 3460), instances: [a.url, b.url].map((u) => new URL(u).host) });

    const reads = {
      oneInstance: pick(await measure(a.url, { name: "read, one instance", path: options.read }, options.config)),
      twoBehindNginx: pick(await measure(nginx.url, { name: "read, nginx", path: options.read }, options.config)),
    };
    const writes = {
      oneInstance: pick(await measure(a.url, options.write, options.config)),
      twoBehindNginx: pick(await measure(nginx.url, options.write, options.config)),
    };

    const freshnessMs: number[] = [];
    for (let n = 0; n < 10; n++) {
      // The reading instance has the page in memory before the write.
      await (await fetch(a.url + options.read)).text();
      const { body, text } = options.claim(n);
      const written = await fetch(b.url + options.write.path, { method: "POST", headers: { ...options.write.headers, "content-type": "application/json" }, body });
      if (written.status !== 201) throw new Error(`the write through the second instance answered ${written.status}`);
      const at = performance.now();
      for (;;) {
        if ((await (await fetch(a.url + options.read)).text()).includes(text)) break;
        if (performance.now() - at > 10_000) throw new Error("the first instance did not show the write within 10 s");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      freshnessMs.push(Math.round((performance.now() - at) * 10) / 10);
    }
    return { reads, writes, freshnessMs };
  } finally {
    nginx?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }
}
