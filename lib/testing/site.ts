import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a fixture page answers: a status, headers and a body, or a handler of its own. */
export type Answer = { status?: number; headers?: Record<string, string>; body?: string | Buffer } | ((req: http.IncomingMessage, res: http.ServerResponse) => void);

/**
 * A website of a test's own, on 127.0.0.1 and a free port, whose pages the test sets and
 * changes between requests. It counts the requests to each path and keeps their headers.
 */
export async function fixtureSite() {
  const pages = new Map<string, Answer>();
  const requests: { path: string; headers: http.IncomingHttpHeaders; at: number }[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push({ path, headers: req.headers, at: Date.now() });
    const answer = pages.get(path) ?? { status: 404, headers: { "content-type": "text/plain" }, body: "not found" };
    if (typeof answer === "function") return answer(req, res);
    res.writeHead(answer.status ?? 200, { "content-type": "text/html; charset=utf-8", ...answer.headers });
    res.end(answer.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path: string) => `${origin}${path}`,
    set: (path: string, answer: Answer) => void pages.set(path, answer),
    requests: (path?: string) => requests.filter((r) => path === undefined || r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FixtureSite = Awaited<ReturnType<typeof fixtureSite>>;

/** An article page as news sites write them: a header and footer around the story's paragraphs. */
export function articlePage(paragraphs: string[], options: { title?: string; stamp?: string; published?: string; modified?: string; charset?: string } = {}): string {
  const title = options.title ?? "Ballerina reshoots report";
  const ld = options.published ? `<script type="application/ld+json">${JSON.stringify({ "@context": "https://schema.org", "@type": "NewsArticle", headline: title, datePublished: options.published, dateModified: options.modified ?? options.published })}</script>` : "";
  return `<!doctype html><html lang="en"><head>${options.charset ? `<meta charset="${options.charset}">` : ""}<title>${title} | Fixture News</title>${ld}
<meta name="author" content="Fixture Reporter"></head><body>
<header><nav><a href="/">Home</a> <a href="/movies">Movies</a> <a href="/tv">TV</a></nav></header>
<main><article><h1>${title}</h1>${options.stamp ? `<p>${options.stamp}</p>` : ""}
${paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
</article></main>
<footer><p>© Fixture News. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>`;
}
