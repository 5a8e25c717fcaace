import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";

/** A response as the app sent it, to be replayed by the bare server. */
export type Captured = { status: number; headers: string[]; body: Buffer };

// Framing and connection headers are the sending server's own; Node writes them for both.
const PER_CONNECTION = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/** One request as wrk sends it (no Accept-Encoding unless given), read raw. */
export function capture(url: string, headers: Record<string, string> = {}): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const raw = response.rawHeaders;
        const kept: string[] = [];
        for (let i = 0; i < raw.length; i += 2) if (!PER_CONNECTION.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
        const body = Buffer.concat(chunks);
        if (!kept.some((h, i) => i % 2 === 0 && h.toLowerCase() === "content-length") && response.statusCode !== 304) kept.push("Content-Length", String(body.byteLength));
        resolve({ status: response.statusCode!, headers: kept, body });
      });
    });
    request.setTimeout(120_000, () => request.destroy(new Error(`${url} took over 120 s`)));
    request.on("error", reject);
  });
}

export type BareServer = { url: string; stop: () => void; replay: (at: string, response: Captured) => Promise<void> };

/** Starts bench/bare-server.ts on `port`; `replay` has it answer the path `at` with a captured response. */
export async function startBareServer(port: number): Promise<BareServer> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "bare-server.ts"), String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bare server exited with ${code}`)));
    child.stdout!.once("data", () => resolve());
  });
  child.removeAllListeners("exit");
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stop: () => child.kill("SIGTERM"),
    replay: async (at, r) => {
      const answer = await fetch(url + at, { method: "PUT", body: JSON.stringify({ status: r.status, headers: r.headers, body: r.body.toString("base64") }) });
      if (answer.status !== 204) throw new Error(`the bare server answered ${answer.status}`);
    },
  };
}
