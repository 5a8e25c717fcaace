import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, expect, test } from "@playwright/test";
import { STORY, seedStory } from "./helpers";

const run = promisify(execFile);

// Lighthouse's accessibility, best-practice and SEO audits look at what the page is, so they are
// held to the bar here. Its performance score is a timing, which a test on a shared machine cannot
// fairly assert: it is measured and written down instead when LIGHTHOUSE_REPORT names a file
// (`npm run bench:lighthouse`).
const HELD = ["accessibility", "best-practices", "seo"] as const;
const report = process.env.LIGHTHOUSE_REPORT;
const categories = report ? ["performance", ...HELD] : [...HELD];

type Audit = { id: string; score: number | null; scoreDisplayMode: string; displayValue?: string };
type Result = { categories: Record<string, { score: number }>; audits: Record<string, Audit> };
const measured: Record<string, { scores: Record<string, number>; shortOfFullMarks: string[]; desktopPerformance?: number }> = {};

async function lighthouse(chrome: string, url: string, only: string[], extra: string[] = []): Promise<Result> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-lh-")), "report.json");
  await run(
    path.resolve("node_modules", ".bin", "lighthouse"),
    [url, "--quiet", "--output=json", `--output-path=${out}`, `--only-categories=${only.join(",")}`, "--chrome-flags=--headless --no-sandbox --disable-gpu", ...extra],
    { env: { ...process.env, CHROME_PATH: chrome }, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(fs.readFileSync(out, "utf8")) as Result;
}

test.describe.configure({ mode: "serial" });

for (const which of ["story", "claim"] as const) {
  test(`Lighthouse scores the ${which} page at least 0.95 for ${HELD.join(", ")}`, async ({ request, baseURL, launchOptions }) => {
    test.setTimeout(180_000);
    // The browser the other tests drive (playwright.config.ts), else Playwright's own.
    const chrome = launchOptions.executablePath ?? chromium.executablePath();
    const seed = await seedStory(request);
    const url = `${baseURL}${which === "story" ? STORY : `/claims/${seed.relayHowLong.id}`}`;
    // Lighthouse's default: a phone on a slow network with a 4× slower CPU.
    const result = await lighthouse(chrome, url, categories);
    const failing = Object.values(result.audits)
      .filter((a) => a.score !== null && a.score < 1 && (a.scoreDisplayMode === "binary" || a.scoreDisplayMode === "numeric"))
      .map((a) => `${a.id}: ${a.score}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    measured[which] = { scores: Object.fromEntries(categories.map((c) => [c, result.categories[c]!.score])), shortOfFullMarks: failing };
    if (report) measured[which].desktopPerformance = (await lighthouse(chrome, url, ["performance"], ["--preset=desktop"])).categories.performance!.score;
    for (const category of HELD) expect(result.categories[category]!.score, `${category}; audits short of full marks: ${failing.join(", ")}`).toBeGreaterThanOrEqual(0.95);
  });
}

test.afterAll(() => {
  if (!report || Object.keys(measured).length === 0) return;
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, `${JSON.stringify({ at: new Date().toISOString(), pages: measured }, null, 2)}\n`);
});
