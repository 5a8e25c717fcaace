import { fixtureSite, type FixtureSite } from "@/lib/testing/site";
import { generateEditedPair } from "@/lib/testing/textgen";

// The watcher bench's fixture sites (bench/watch.ts), in a process of their own.
// Usage: node --import tsx bench/watch-sites.ts <documents> <hosts>; prints {"origins": [...]}.

export type Behaviour = "304" | "same-bytes" | "changing";
/** 40 % answer 304 to their ETag, 40 % send the same bytes, 20 % change on every request. */
export const behaviourOf = (i: number): Behaviour => (i % 10 < 4 ? "304" : i % 10 < 8 ? "same-bytes" : "changing");

export const paragraphsOf = (text: string) => text.split(/\n+/).map((p) => p.trim()).filter(Boolean);

/** A news page of about 60 KB: the article (about 1,500 words) inside navigation, scripts and styles, as real ones are. */
export function benchPage(paragraphs: string[], stamp: string): string {
  const menu = Array.from({ length: 120 }, (_, i) => `<li><a href="/section/${i}">Section ${i}</a></li>`).join("");
  const script = `<script>window.__STATE__=${JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => ({ id: i, title: `Related story number ${i}`, url: `/story/${i}` })) })}</script>`;
  const style = `<style>${Array.from({ length: 300 }, (_, i) => `.c${i}{margin:${i}px;padding:${i % 7}px;color:#${(i * 4099).toString(16).padStart(6, "0").slice(0, 6)}}`).join("")}</style>`;
  return `<!doctype html><html lang="en"><head><title>Bench report</title>${style}</head><body><header><nav><ul>${menu}</ul></nav></header>
<main><article><h1>Bench report</h1><p>${stamp}</p>${paragraphs.map((p) => `<p>${p}</p>`).join("")}</article></main>
<aside><ul>${menu}</ul></aside>${script}<footer>© Bench News</footer></body></html>`;
}

/** Requests for documents across every site, which `/__served` on any site reports. */
let documentRequests = 0;

function serve(sites: FixtureSite[], index: number, base: string[], edited: string[]) {
  const site = sites[index % sites.length]!;
  const behaviour = behaviourOf(index);
  let served = 0;
  const fixed = benchPage(base, "Published 14 Oct 2024");
  site.set(`/doc/${index}`, (req, res) => {
    served++;
    documentRequests++;
    if (behaviour === "304") {
      if (req.headers["if-none-match"] === `"d${index}"`) return void res.writeHead(304, { etag: `"d${index}"` }).end();
      return void res.writeHead(200, { "content-type": "text/html; charset=utf-8", etag: `"d${index}"` }).end(fixed);
    }
    if (behaviour === "same-bytes") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(fixed);
    // Changing pages alternate between a new timestamp and a new text.
    const body = benchPage(served % 2 === 0 ? edited : base, `Updated ${served} minutes ago`);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
}

if (process.argv[1]?.endsWith("watch-sites.ts")) {
  const [documents, hosts] = process.argv.slice(2).map(Number) as [number, number];
  const { before, after } = generateEditedPair({ seed: 17, words: 1500, edits: 40 });
  const sites = await Promise.all(Array.from({ length: hosts }, () => fixtureSite()));
  for (let i = 0; i < documents; i++) serve(sites, i, paragraphsOf(before), paragraphsOf(after));
  for (const site of sites) site.set("/__served", (_req, res) => void res.writeHead(200, { "content-type": "text/plain" }).end(String(documentRequests)));
  console.log(JSON.stringify({ origins: sites.map((s) => s.origin) }));
  const stop = async () => {
    await Promise.all(sites.map((s) => s.close()));
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  // Never outlives a bench that died without stopping it.
  setTimeout(stop, 20 * 60_000).unref();
}
