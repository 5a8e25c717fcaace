import { mkdir, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import DiffMatchPatch from "diff-match-patch";
import { generateEditedPair } from "../lib/diff/textgen";
import { diffWords } from "../lib/diff/words";

export type DiffBenchResult = { name: string; ms: number; ops: number };

const WARMUP_RUNS = 3;
const TIMED_RUNS = 9;

// Median rather than mean: a single garbage collection or JIT pause would otherwise
// dominate a handful of runs.
function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function time(name: string, run: () => number): DiffBenchResult {
  let ops = 0;
  for (let i = 0; i < WARMUP_RUNS; i++) ops = run();
  const samples: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const start = performance.now();
    ops = run();
    samples.push(performance.now() - start);
  }
  return { name, ms: Math.round(median(samples) * 10) / 10, ops };
}

type JsDiff = { diffWords(a: string, b: string): unknown[] };

// jsdiff is not a dependency; it is compared against only where someone has installed it.
// The specifier sits in a variable so that neither TypeScript nor a bundler insists on
// resolving it.
async function loadJsDiff(): Promise<JsDiff | null> {
  const specifier = "diff";
  try {
    const mod = (await import(specifier)) as Partial<JsDiff> & { default?: Partial<JsDiff> };
    const diffWords = mod.diffWords ?? mod.default?.diffWords;
    return diffWords ? { diffWords } : null;
  } catch {
    return null;
  }
}

export const benchInput = () => generateEditedPair({ seed: 2024, words: 16_000, edits: 1_000 });

export async function runDiffBench(): Promise<DiffBenchResult[]> {
  const { before, after } = benchInput();
  const results: DiffBenchResult[] = [time("diffWords", () => diffWords(before, after).length)];

  const dmp = new DiffMatchPatch();
  dmp.Diff_Timeout = 0;
  results.push(time("diff-match-patch chars", () => dmp.diff_main(before, after, false).length));

  const jsdiff = await loadJsDiff();
  if (jsdiff) results.push(time("jsdiff diffWords", () => jsdiff.diffWords(before, after).length));
  return results;
}

async function main() {
  const { before, after } = benchInput();
  console.log(`Input: ${before.length.toLocaleString("en")} → ${after.length.toLocaleString("en")} characters`);
  const results = await runDiffBench();
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`${"name".padEnd(width)}  ${"ms".padStart(8)}  ${"ops".padStart(6)}`);
  for (const r of results) console.log(`${r.name.padEnd(width)}  ${r.ms.toFixed(1).padStart(8)}  ${String(r.ops).padStart(6)}`);

  const dir = new URL("./results/", import.meta.url);
  await mkdir(dir, { recursive: true });
  const report = { input: { beforeChars: before.length, afterChars: after.length }, runs: TIMED_RUNS, results };
  await writeFile(new URL("diff.json", dir), `${JSON.stringify(report, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
