import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateDatabase, openDatabase, rows, useDatabase, type Database } from "@/db";
import * as health from "@/app/api/health/route";
import * as storyRoute from "@/app/api/stories/[slug]/route";
import * as stories from "@/app/api/stories/route";
import { systemActor, verifyAuditChain } from "@/lib/audit";
import { actorOf } from "@/lib/auth/editors";
import { WRITES_CHANNEL } from "@/lib/invalidation";
import { createStory } from "@/lib/stories";
import { makeEditor, testEngine } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { canMakeCluster, makeCluster, type Cluster } from "./cluster";

/** Every story has its audit event and every story event its story: nothing was half-written. */
async function storiesAndEventsAgree(database: Database) {
  const [r] = await rows<{ orphans: number; missing: number }>(
    database.db,
    sql`select
          (select count(*)::int from stories s where not exists (
             select 1 from audit_events e where e.entity = 'story' and e.entity_id = s.id::text)) as orphans,
          (select count(*)::int from audit_events e where e.entity = 'story' and not exists (
             select 1 from stories s where s.id::text = e.entity_id)) as missing`,
  );
  expect(r).toEqual({ orphans: 0, missing: 0 });
}

// The PGlite leg of the engine matrix: the embedded database is what a killed process can hurt.
if (testEngine() === "pglite") describe("a PGlite process killed with SIGKILL in the middle of writes", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Starts the writer and kills it with SIGKILL once it has promised `count` writes. */
  function writeThenKill(folder: string, label: string, count: number): Promise<number[]> {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/testing/reliability/pglite-writer.ts", folder, label], { stdio: ["ignore", "pipe", "pipe"] });
    const promised: number[] = [];
    let buffered = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) if (/^\d+$/.test(line)) promised.push(Number(line));
        if (promised.length >= count && child.exitCode === null && !child.killed) child.kill("SIGKILL");
      });
      child.once("exit", (code, signal) => {
        if (signal === "SIGKILL") resolve(promised);
        else reject(new Error(`the writer stopped on its own (${code}): ${stderr}`));
      });
    });
  }

  it("reopens, taking over the stale lock, with every write that was answered as done", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-kill-"));
    dirs.push(dir);
    const folder = path.join(dir, "pglite");

    const first = await writeThenKill(folder, "first", 40);
    expect(fs.existsSync(`${folder}.lock`)).toBe(true);
    // A second writer takes over the dead one's lock and is killed in turn.
    const second = await writeThenKill(folder, "second", 40);

    const database = await openDatabase({ dir: folder });
    try {
      await migrateDatabase(database);
      const stored = new Set((await rows<{ id: number }>(database.db, sql`select id from stories`)).map((r) => r.id));
      for (const id of [...first, ...second]) expect(stored.has(id), `story ${id} was promised`).toBe(true);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
      await storiesAndEventsAgree(database);
      // And it takes writes again.
      const story = await createStory(database.db, systemActor("test"), { title: "After the crash" });
      expect(stored.has(story.id)).toBe(false);
    } finally {
      await database.close();
    }
    expect(fs.existsSync(`${folder}.lock`)).toBe(false);
  }, 180_000);
});

// The PostgreSQL leg of the engine matrix, on a cluster of the test's own made with the local
// server programs: the machine's shared server is never stopped.
if (testEngine() === "postgres" && canMakeCluster()) describe("PostgreSQL stopped during load, then started again", () => {
  let cluster: Cluster;
  let database: Database;
  let token: string;
  // Write notifications heard from the server: other processes' caches depend on them.
  let heard = 0;

  beforeAll(async () => {
    cluster = await makeCluster();
    database = await openDatabase({ url: cluster.url, poolMax: 10 });
    await migrateDatabase(database, cluster.url);
    useDatabase(database);
    await database.listen(WRITES_CHANNEL, () => heard++);
    token = (await makeEditor(database.db)).token;
  }, 120_000);
  afterAll(async () => {
    await database?.close().catch(() => {});
    await cluster?.destroy();
  });

  const readStory = (slug: string) => call(storyRoute.GET, { url: `/api/stories/${slug}`, params: { slug } });
  const writeStory = (slug: string) => call(stories.POST, { token, body: { title: `Story ${slug}`, slug } });

  it("answers 503 while down, writes all or nothing, and recovers on its own", async () => {
    expect((await writeStory("before-the-outage")).status).toBe(201);
    expect((await readStory("before-the-outage")).status).toBe(200);

    // A write whose transaction is open when the server goes away.
    const { editor } = await makeEditor(database.db);
    let release!: () => void;
    const stopped = new Promise<void>((r) => (release = r));
    const inFlight = database.db.transaction(async (tx) => {
      await createStory(tx, actorOf(editor), { title: "Half-way through", slug: "in-flight" });
      await stopped;
      await tx.execute(sql`select 1`);
    });
    inFlight.catch(() => {});

    // Writers keep coming while the server stops.
    const burst = Array.from({ length: 30 }, (_, i) => writeStory(`burst-${i}`));
    await cluster.stop();
    release();
    await expect(inFlight).rejects.toThrow();
    const burstResults = await Promise.all(burst);
    expect(burstResults.every((r) => r.status === 201 || (r.status === 503 && r.body.error.code === "unavailable"))).toBe(true);

    const read = await readStory("before-the-outage");
    expect(read.status).toBe(503);
    expect(read.body.error).toMatchObject({ code: "unavailable", message: expect.stringMatching(/database is unavailable/i) });
    expect(read.headers.get("retry-after")).toMatch(/^\d+$/);
    const write = await writeStory("during-the-outage");
    expect(write.status).toBe(503);
    expect(write.body.error.code).toBe("unavailable");
    expect(write.headers.get("retry-after")).toMatch(/^\d+$/);
    const down = await call(health.GET);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot be reached/) });

    await cluster.start();

    // The same handlers, the same pool: nothing was reopened.
    expect((await call(health.GET)).status).toBe(200);
    expect((await readStory("before-the-outage")).status).toBe(200);
    expect((await writeStory("after-the-outage")).status).toBe(201);
    expect((await writeStory("during-the-outage")).status).toBe(201);

    // Notifications of writes resume too, so caches elsewhere hear of the writes after the outage.
    const before = heard;
    expect((await writeStory("heard-after-the-outage")).status).toBe(201);
    await vi.waitFor(() => expect(heard).toBeGreaterThan(before), { timeout: 20_000, interval: 100 });

    expect((await readStory("in-flight")).status).toBe(404);
    for (const [i, r] of burstResults.entries()) {
      if (r.status === 201) expect((await readStory(`burst-${i}`)).status).toBe(200);
    }
    await storiesAndEventsAgree(database);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  }, 120_000);

  it("keeps answering 503, not 500, across several outages in a row", async () => {
    for (let round = 0; round < 3; round++) {
      await cluster.stop();
      expect((await readStory("before-the-outage")).status).toBe(503);
      expect((await writeStory(`round-${round}`)).status).toBe(503);
      await cluster.start();
      expect((await writeStory(`round-${round}`)).status).toBe(201);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  }, 120_000);
});
