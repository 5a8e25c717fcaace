import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, expect, test } from "@playwright/test";
import { STORY, seedStory } from "./helpers";

const run = promisify(execFile);

// Lighthouse's accessibility, best-practice and SEO audits look at what the page is, so they are
// held to the bar here. Performance is measured in the same run but not held: Lighthouse derives
// it from the page's own trace times a 4× slower CPU, and on this shared machine the same plain
// pages went from 0.99–1.0 to under 0.95 (total blocking time 330–1,050 ms) as the host got
// busier, with no change to them. `npm run bench:lighthouse` (LIGHTHOUSE_REPORT naming a file)
// writes down every score with the total blocking time, page weight and the desktop score.
const HELD = ["accessibility", "best-practices", "seo"] as const;
const MEASURED = ["performance", ...HELD];
const report = process.env.LIGHTHOUSE_REPORT;

type Audit = { id: string; score: number | null; scoreDisplayMode: string; displayValue?: string; numericValue?: number };
type Result = { categories: Record<string, { score: number }>; audits: Record<string, Audit> };
type Measured = { scores: Record<string, number>; shortOfFullMarks: string[]; totalBlockingTimeMs?: number; totalByteWeight?: number; desktopPerformance?: number };
const measured: Record<string, Measured> = {};

async function lighthouse(chrome: string, url: string, only: string[], extra: string[] = []): Promise<Result> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-lh-")), "report.json");
  const args = [url, "--quiet", "--output=json", `--output-path=${out}`, `--only-categories=${only.join(",")}`, "--chrome-flags=--headless --no-sandbox --disable-gpu", ...extra];
  const options = { env: { ...process.env, CHROME_PATH: chrome }, maxBuffer: 64 * 1024 * 1024 };
  // Lighthouse now and then fails to record the browser's trace (NO_NAVSTART) and asks to be run
  // again: once more, then the error stands.
  await run(path.resolve("node_modules", ".bin", "lighthouse"), args, options).catch((err: Error) =>
    /NO_NAVSTART|run Lighthouse again/.test(err.message) ? run(path.resolve("node_modules", ".bin", "lighthouse"), args, options) : Promise.reject(err),
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
    const result = await lighthouse(chrome, url, MEASURED);
    const failing = Object.values(result.audits)
      .filter((a) => a.score !== null && a.score < 1 && (a.scoreDisplayMode === "binary" || a.scoreDisplayMode === "numeric"))
      .map((a) => `${a.id}: ${a.score}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    measured[which] = { scores: Object.fromEntries(MEASURED.map((c) => [c, result.categories[c]!.score])), shortOfFullMarks: failing };
    if (report) {
      measured[which].totalBlockingTimeMs = Math.round(result.audits["total-blocking-time"]?.numericValue ?? NaN);
      measured[which].totalByteWeight = result.audits["total-byte-weight"]?.numericValue;
    }
    if (report) measured[which].desktopPerformance = (await lighthouse(chrome, url, ["performance"], ["--preset=desktop"])).categories.performance!.score;
    for (const category of HELD) expect(result.categories[category]!.score, `${category}; audits short of full marks: ${failing.join(", ")}`).toBeGreaterThanOrEqual(0.95);
  });
}

test.afterAll(() => {
  if (!report || Object.keys(measured).length === 0) return;
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, `${JSON.stringify({ at: new Date().toISOString(), pages: measured }, null, 2)}\n`);
});
