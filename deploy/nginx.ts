import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Runs nginx with deploy/nginx.conf in a folder of its own, as a foreground process that stops
 * with its caller: the configuration a deployment uses, with the listening port and the
 * instances' addresses put in. For the bench and the browser tests that run several instances.
 */
export async function startNginx(options: { dir: string; listen: number; instances: string[] }): Promise<{ url: string; stop: () => void }> {
  const site = fs
    .readFileSync(path.join(import.meta.dirname, "nginx.conf"), "utf8")
    .replace(/^(\s*)server 127\.0\.0\.1:\d+;\n/gm, (line, indent: string) => (line.includes(":3001;") ? options.instances.map((a) => `${indent}server ${a};\n`).join("") : ""))
    .replace(/listen \d+;/, `listen 127.0.0.1:${options.listen};`);
  fs.mkdirSync(options.dir, { recursive: true });
  fs.writeFileSync(path.join(options.dir, "site.conf"), site);
  // What a system's own nginx.conf would hold around the site: here, everything inside the folder.
  const main = [
    "worker_processes 1;",
    `pid ${path.join(options.dir, "nginx.pid")};`,
    `error_log ${path.join(options.dir, "error.log")} warn;`,
    "daemon off;",
    "events { worker_connections 1024; }",
    "http {",
    "  access_log off;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${path.join(options.dir, `${t}-temp`)};`),
    `  include ${path.join(options.dir, "site.conf")};`,
    "}",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(options.dir, "nginx.conf"), main);
  // Run as root, nginx would hand its workers to an unprivileged user who cannot use the folder.
  const asRoot = process.getuid?.() === 0 ? ["-g", "user root;"] : [];
  const binary = fs.existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
  const child: ChildProcess = spawn(binary, ["-p", options.dir, "-c", path.join(options.dir, "nginx.conf"), ...asRoot], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${options.listen}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(`${url}/api/health`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`nginx did not answer within 10 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => child.kill("SIGQUIT") };
}
