import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db";
import { DatabaseLockedError } from "./pglite-lock";

const dirs: string[] = [];
const freshFolder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-lock-"));
  dirs.push(dir);
  return path.join(dir, "pglite");
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

// A separate Node process that opens the folder, reports, and waits to be killed.
const holderScript = (folder: string) => `
  import { openDatabase } from "./db/index.ts";
  const d = await openDatabase({ dir: ${JSON.stringify(folder)} });
  console.log("open");
  setInterval(() => {}, 1000);
`;

function startHolder(folder: string): Promise<{ pid: number; kill: (signal: NodeJS.Signals) => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", holderScript(folder)], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("open")) {
        resolve({
          pid: child.pid!,
          kill: (signal) => new Promise((done) => { child.once("exit", () => done()); child.kill(signal); }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

describe("the PGlite folder is opened by one process only", () => {
  it("refuses a second process, naming the folder and the holder, and leaves the data intact", async () => {
    const folder = freshFolder();
    const first = await openDatabase({ dir: folder });
    await migrateDatabase(first);
    await first.close();

    const holder = await startHolder(folder);
    try {
      const error = await openDatabase({ dir: folder }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseLockedError);
      expect((error as Error).message).toContain(path.resolve(folder));
      expect((error as Error).message).toContain(`process ${holder.pid}`);
    } finally {
      await holder.kill("SIGTERM");
    }
    const again = await openDatabase({ dir: folder });
    const result = await again.db.execute("select count(*) from editors" as never).catch((e: Error) => e);
    expect(result).not.toBeInstanceOf(Error);
    await again.close();
  }, 60_000);

  it("takes over the lock of a process that was killed", async () => {
    const folder = freshFolder();
    const holder = await startHolder(folder);
    await holder.kill("SIGKILL");
    expect(fs.existsSync(`${path.resolve(folder)}.lock`)).toBe(true);
    const reopened = await openDatabase({ dir: folder });
    await migrateDatabase(reopened);
    await reopened.close();
    expect(fs.existsSync(`${path.resolve(folder)}.lock`)).toBe(false);
  }, 60_000);

  it("the CLI says the folder is in use instead of opening it", async () => {
    const folder = freshFolder();
    const holder = await startHolder(folder);
    try {
      const cli = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/migrate.ts"], {
        env: { ...process.env, PGLITE_DIR: folder, DATABASE_URL: "" },
        encoding: "utf8",
      });
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toContain(`is in use by process ${holder.pid}`);
    } finally {
      await holder.kill("SIGTERM");
    }
  }, 60_000);
});
