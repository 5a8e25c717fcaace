import { mkdir, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { diffWordsWithSpace } from "diff";
import DiffMatchPatch from "diff-match-patch";
import { generateEditedPair } from "../lib/testing/textgen";
import { applyDiff, diffStats, diffWords, tokenize, type DiffOp } from "../lib/diff/words";
import { median } from "./stats";

export type DiffBenchResult = { name: string; ms: number; ops: number; wordsChanged: number };

const WARMUP_RUNS = 3;
const TIMED_RUNS = 9;

/** Times `run`, checks that its answer rebuilds both texts, and counts the words it marks changed. */
function time(name: string, input: { before: string; after: string }, run: () => DiffOp[]): DiffBenchResult {
  let ops: DiffOp[] = [];
  for (let i = 0; i < WARMUP_RUNS; i++) ops = run();
  const samples: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const start = performance.now();
    ops = run();
    samples.push(performance.now() - start);
  }
  const rebuilt = applyDiff(ops);
  if (rebuilt.before !== input.before || rebuilt.after !== input.after) throw new Error(`${name} does not rebuild the texts it compared.`);
  const { inserted, deleted } = diffStats(ops);
  return { name, ms: Math.round(median(samples) * 10) / 10, ops: ops.length, wordsChanged: inserted + deleted };
}

const dmpOp = (op: number): DiffOp["op"] => (op < 0 ? "delete" : op > 0 ? "insert" : "equal");

/**
 * diff-match-patch's word mode: each distinct token becomes one character, the character strings
 * are diffed, and the characters are turned back into their tokens (the library's line mode,
 * applied to the same tokens as ours).
 */
function dmpWordMode(dmp: DiffMatchPatch, before: string, after: string): DiffOp[] {
  const tokens: string[] = [];
  const codes = new Map<string, string>();
  const encode = (text: string) =>
    tokenize(text)
      .map((token) => {
        let code = codes.get(token);
        if (code === undefined) {
          code = String.fromCharCode(tokens.length);
          codes.set(token, code);
          tokens.push(token);
        }
        return code;
      })
      .join("");
  const a = encode(before);
  const b = encode(after);
  if (tokens.length > 0xffff) throw new Error("Too many distinct words for diff-match-patch's word mode.");
  return dmp.diff_main(a, b, false).map(([op, chars]) => ({ op: dmpOp(op), text: Array.from(chars, (c) => tokens[c.charCodeAt(0)]).join("") }));
}

export const benchInput = () => generateEditedPair({ seed: 2024, words: 16_000, edits: 1_000 });

export async function runDiffBench(): Promise<DiffBenchResult[]> {
  const input = benchInput();
  const { before, after } = input;
  const dmp = new DiffMatchPatch();
  dmp.Diff_Timeout = 0;
  const results = [
    time("diffWords (ours)", input, () => diffWords(before, after)),
    time("diff-match-patch, word mode", input, () => dmpWordMode(dmp, before, after)),
    time("jsdiff diffWordsWithSpace", input, () =>
      diffWordsWithSpace(before, after).map((c) => ({ op: c.added ? "insert" : c.removed ? "delete" : "equal", text: c.value }) as DiffOp),
    ),
    time("diff-match-patch, characters", input, () => dmp.diff_main(before, after, false).map(([op, text]) => ({ op: dmpOp(op), text }))),
  ];
  return results;
}

async function main() {
  const { before, after } = benchInput();
  console.log(`Input: ${before.length.toLocaleString("en")} → ${after.length.toLocaleString("en")} characters`);
  const results = await runDiffBench();
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`${"name".padEnd(width)}  ${"ms".padStart(8)}  ${"ops".padStart(6)}  ${"words changed".padStart(13)}`);
  for (const r of results) console.log(`${r.name.padEnd(width)}  ${r.ms.toFixed(1).padStart(8)}  ${String(r.ops).padStart(6)}  ${String(r.wordsChanged).padStart(13)}`);

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
