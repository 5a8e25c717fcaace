import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { BROWSER_UA, readerPages } from "./helpers";

const VNU = path.join(process.cwd(), "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

type VnuMessage = { type: string; subType?: string; message: string; extract?: string; url: string; lastLine?: number };

test("the Nu checker finds no errors in the HTML of any page type", async ({ request }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "claimtrail-vnu-"));
  try {
    const files = new Map<string, string>();
    for (const { name, path: url, status } of await readerPages(request)) {
      const res = await request.get(url, { headers: { "user-agent": BROWSER_UA } });
      expect(res.status(), name).toBe(status ?? 200);
      const file = path.join(dir, `${files.size}.html`);
      writeFileSync(file, await res.text());
      files.set(`file:${file}`, name);
    }
    // One run of the checker for every page: the JVM's start-up dominates otherwise.
    const run = spawnSync("java", ["-jar", VNU, "--format", "json", "--errors-only", ...[...files.keys()].map((f) => f.slice(5))], { encoding: "utf8" });
    expect(run.error).toBeUndefined();
    const { messages } = JSON.parse(run.stderr || run.stdout) as { messages: VnuMessage[] };
    const errors = messages
      .filter((m) => m.type === "error" || m.subType === "fatal")
      .map((m) => `${files.get(m.url) ?? m.url}:${m.lastLine ?? "?"}: ${m.message} ${m.extract ? `[${m.extract.trim()}]` : ""}`);
    expect(errors).toEqual([]);
    expect(files.size).toBeGreaterThanOrEqual(15);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
