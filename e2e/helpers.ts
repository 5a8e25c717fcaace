import { execFileSync, spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

export const SEED_SLUG = "who-reshot-ballerina";
export const STORY = `/stories/${SEED_SLUG}`;

/** A desktop Chrome's user agent: pages are fetched as a browser gets them, not as a crawler does. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

type ApiClaim = { id: number; text: string; quote: string | null; document: { id: number; url: string | null }; outlet: { slug: string; name: string } };

/** The seed story's claims and documents, found by their words through the public API rather than by guessed ids. */
export async function seedStory(request: APIRequestContext) {
  const res = await request.get(`/api/stories/${SEED_SLUG}`);
  if (!res.ok()) throw new Error(`The seed story is not there: ${res.status()}`);
  const { claims } = (await res.json()) as { claims: ApiClaim[] };
  const claim = (text: string) => {
    const found = claims.find((c) => c.text === text);
    if (!found) throw new Error(`The seed story has no claim "${text}"`);
    return found;
  };
  const wrapHowLong = claim("The reshoot was a two-to-three-month overseas shoot.");
  const relayHowLong = claim("The reshoot was a two-to-three-month overseas shoot, The Wrap reports.");
  const updateHowLong = claim("The additional photography lasted less than one month.");
  return { wrapHowLong, relayHowLong, updateHowLong, comicbookDocument: relayHowLong.document.id };
}

type Seed = Awaited<ReturnType<typeof seedStory>>;
export type ReaderPage = { name: string; path: (seed: Seed) => string; status?: number };

/** One address of every page type a reader can reach, with the variants that render differently. */
export const READER_PAGES: ReaderPage[] = [
  { name: "home", path: () => "/" },
  { name: "story", path: () => STORY },
  { name: "story as of 14 October 2024", path: () => `${STORY}?asOf=2024-10-14` },
  { name: "story with a malformed date", path: () => `${STORY}?asOf=yesterday` },
  { name: "story changes", path: () => `${STORY}/changes?from=2024-10-14&to=2024-10-15` },
  { name: "story changes side by side", path: () => `${STORY}/changes?from=2024-10-14&layout=side` },
  { name: "corrected relay claim", path: (s) => `/claims/${s.relayHowLong.id}` },
  { name: "corrected relay claim side by side", path: (s) => `/claims/${s.relayHowLong.id}?layout=side` },
  { name: "origin claim", path: (s) => `/claims/${s.wrapHowLong.id}` },
  { name: "correcting claim", path: (s) => `/claims/${s.updateHowLong.id}` },
  { name: "outlet", path: () => "/outlets/comicbook" },
  { name: "document", path: (s) => `/documents/${s.comicbookDocument}` },
  { name: "document side by side", path: (s) => `/documents/${s.comicbookDocument}?layout=side` },
  { name: "search form", path: () => "/search" },
  { name: "the watcher, for site owners", path: () => "/watcher" },
  { name: "search results", path: () => "/search?q=%22less+than+one+month%22" },
  { name: "search of common words", path: () => "/search?q=the" },
  { name: "unknown story", path: () => "/stories/no-such-story", status: 404 },
  { name: "unknown claim", path: () => "/claims/2147483647", status: 404 },
];

export async function readerPages(request: APIRequestContext): Promise<{ name: string; path: string; status?: number }[]> {
  const seed = await seedStory(request);
  return READER_PAGES.map((p) => ({ name: p.name, path: p.path(seed), status: p.status }));
}

// Every rule axe runs by default: WCAG 2.0–2.2 A and AA, and its best practices.
export async function violations(page: Page) {
  // Folded text is part of the page too: open every fold so axe checks what it hides.
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}

const VNU = path.join(process.cwd(), "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

type VnuMessage = { type: string; subType?: string; message: string; extract?: string; url: string; lastLine?: number };

/** The Nu HTML checker's errors in each page's HTML, as "name:line: message", all in one run (the JVM's start-up dominates otherwise). */
export function nuErrors(pages: Map<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-vnu-"));
  try {
    const files = new Map<string, string>();
    for (const [name, html] of pages) {
      const file = path.join(dir, `${files.size}.html`);
      fs.writeFileSync(file, html);
      files.set(`file:${file}`, name);
    }
    const run = spawnSync("java", ["-jar", VNU, "--format", "json", "--errors-only", ...[...files.keys()].map((f) => f.slice(5))], { encoding: "utf8" });
    if (run.error) throw run.error;
    const { messages } = JSON.parse(run.stderr || run.stdout) as { messages: VnuMessage[] };
    return messages
      .filter((m) => m.type === "error" || m.subType === "fatal")
      .map((m) => `${files.get(m.url) ?? m.url}:${m.lastLine ?? "?"}: ${m.message} ${m.extract ? `[${m.extract.trim()}]` : ""}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type NewsboatItem = { guid: string; title: string; author: string; url: string; pubDate: number; content: string };

/** Runs Debian's newsboat on one feed in a scratch home, then reads back what it stored. */
export function newsboat(feedUrl: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-newsboat-"));
  try {
    const urls = path.join(home, "urls");
    const config = path.join(home, "config");
    const cache = path.join(home, "cache.db");
    fs.writeFileSync(urls, `${feedUrl}\n`);
    fs.writeFileSync(config, "reload-threads 1\nauto-reload no\n");
    const run = (...commands: string[]) =>
      execFileSync("newsboat", ["-u", urls, "-c", cache, "-C", config, "-x", ...commands], {
        env: { ...process.env, HOME: home },
        encoding: "utf8",
        timeout: 60_000,
      });
    const first = run("reload", "print-unread");
    // A second reload sends the validators newsboat kept and must keep every item.
    const second = run("reload", "print-unread");
    // newsboat keeps its cache in SQLite; Debian's Python reads it back.
    const dump = execFileSync(
      "/usr/bin/python3",
      [
        "-c",
        `import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
items = [dict(r) for r in db.execute("select guid, title, author, url, pubDate, content from rss_item order by id")]
feeds = [dict(r) for r in db.execute("select rssurl, title, etag, lastmodified from rss_feed")]
json.dump({"items": items, "feeds": feeds}, sys.stdout)`,
        cache,
      ],
      { encoding: "utf8" },
    );
    return { first, second, ...(JSON.parse(dump) as { items: NewsboatItem[]; feeds: { rssurl: string; title: string; etag: string; lastmodified: number }[] }) };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/**
 * `npm start` (scripts/start.sh) on the build the suite tests, in a process group of its own, with
 * `stop` ending the whole group, so no instance outlives the test that started it.
 */
export function spawnStartScript(port: number, env: Record<string, string>, stdio: StdioOptions = "ignore"): { child: ChildProcess; stop: () => void } {
  const child = spawn("bash", ["scripts/start.sh", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, SEED_ON_START: "0", WATCHER: "0", ...env },
    stdio,
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  return { child, stop };
}

/** A server of a test's own (spawnStartScript), once it answers its health check. */
export async function startOwnServer(port: number, env: Record<string, string>, stdio: StdioOptions = "ignore"): Promise<{ url: string; child: ChildProcess; stop: () => void }> {
  const url = `http://127.0.0.1:${port}`;
  const { child, stop } = spawnStartScript(port, env, stdio);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (up) return { url, child, stop };
    if (Date.now() > deadline || child.exitCode !== null) {
      stop();
      throw new Error(`the server on port ${port} did not start within a minute`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One failed sign-in in a browser of its own with `headers`; the message the form shows. */
export async function failSignIn(browser: Browser, baseURL: string, email: string, headers: Record<string, string> = {}): Promise<string> {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: headers });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const message = page.getByText(/do not match|Too many attempts/);
  await expect(message).toBeVisible();
  const text = (await message.textContent()) ?? "";
  await context.close();
  return text;
}
