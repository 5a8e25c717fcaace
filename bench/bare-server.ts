import { createServer } from "node:http";

// The limit the reads are compared with: a bare Node server that answers each path with a
// response captured from the app, status, headers and body byte for byte, from memory. Node adds
// Date and Connection itself, as it does for the app. Run by bench/bare.ts as a process of its
// own, as the app's server is. The bench adds each response with a PUT before it loads it.

type Replay = { status: number; headers: string[]; body: string };
const port = Number(process.argv[2]);
const answers = new Map<string, { status: number; headers: string[]; body: Buffer }>();

createServer((request, response) => {
  const answer = answers.get(request.url!);
  if (request.method === "PUT") {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const r = JSON.parse(Buffer.concat(chunks).toString()) as Replay;
      answers.set(request.url!, { ...r, body: Buffer.from(r.body, "base64") });
      response.writeHead(204).end();
    });
    return;
  }
  if (!answer) return void response.writeHead(404).end();
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}).listen(port, "127.0.0.1", () => console.log("listening"));
