import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { forward, splitConnections, startAppProcess } from "@/lib/app-process";
import { edgeListener, SERVER_TITLE } from "@/lib/edge";
import { env } from "@/lib/env";

// `npm start`: the front process, a plain HTTP server on the public port (lib/app-process.ts says
// why it is a process of its own). It answers readers from the page cache, hands connections that
// begin with anything else to the application process it starts (app-server.ts, whose bundle
// scripts/start.sh puts beside this one), and passes on what else comes on the connections it keeps.

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME ?? "0.0.0.0";
process.env.PORT = String(port);
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });

// How the bench and process lists find it.
process.title = SERVER_TITLE;
const app = await startAppProcess(fileURLToPath(new URL("claimtrail-app-server.mjs", import.meta.url)), ["--port", String(port), "--hostname", hostname]).catch((err: Error) => {
  console.error(`Claimtrail could not start: ${err.message}`);
  process.exit(1);
});
let stopping = false;
app.child.once("exit", (code) => {
  if (stopping) return;
  console.error(`Claimtrail's application process exited (status ${code}); the front stops too.`);
  process.exit(1);
});

const server = createServer(edgeListener(app.upstream, env().TRUST_PROXY_HOPS, (request, response) => forward(request, response, app.upstream)));
splitConnections(server, app);

/** Stops the application first and waits for it: its database folder must be closed before another start opens it. */
async function shutDown(code: number, signal?: NodeJS.Signals): Promise<never> {
  stopping = true;
  server.close();
  await app.stop(signal);
  process.exit(code);
}
// A port already taken (or not ours to take) ends both processes.
server.on("error", (err) => {
  console.error(`Claimtrail cannot listen on ${hostname}:${port}: ${err.message}`);
  void shutDown(1);
});
server.listen(port, hostname, () => console.log(`Claimtrail listening on http://${hostname}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void shutDown(0, signal));
