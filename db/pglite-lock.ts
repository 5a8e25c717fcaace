import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export class DatabaseLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database folder ${folder} is in use by process ${holderPid} on ${os.hostname()}. ` +
        `Stop that process (or point PGLITE_DIR or DATABASE_URL elsewhere) and try again.`,
    );
    this.name = "DatabaseLockedError";
  }
}

type LockInfo = { pid: number; host: string; since: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else: still a holder.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/**
 * PGlite has no lock of its own and two processes on one folder corrupt it, so the folder is
 * claimed with a lock file created atomically (O_EXCL). A lock whose process is gone is stale
 * and taken over.
 */
export function acquireFolderLock(folder: string): () => void {
  const absolute = path.resolve(folder);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const file = `${absolute}.lock`;
  const info: LockInfo = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLock(file);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = readLock(file);
    // Another machine's process cannot be checked, so its lock is honoured.
    if (holder && (holder.host !== os.hostname() || isAlive(holder.pid))) {
      throw new DatabaseLockedError(absolute, holder.pid);
    }
    // Stale (holder died) or half-written: remove and race again; O_EXCL decides the winner.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock on ${absolute}`);
}
