import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, rows, type Database } from "@/db";
import { captures, watches } from "@/db/schema";
import { search } from "@/lib/search";
import { seed } from "@/lib/seed";
import { verifyAuditChain } from "@/lib/audit";
import { actorOf } from "@/lib/auth/editors";
import { editorForToken, revokeToken } from "@/lib/auth/tokens";
import { BACKUP_TABLES, NOT_EXPORTED, countRows, exportDatabase, importDatabase } from "@/lib/backup";
import { createClaim, linkClaims, reviseClaim } from "@/lib/claims";
import { addVersion, createDocument } from "@/lib/documents";
import { createStory } from "@/lib/stories";
import { makeEditor, testDatabase, testEngine } from "@/lib/testing/db";
import { documentInput, versionInput } from "@/lib/validation";

/** A PGlite of its own whatever the engine under test: the round trip always starts from one. */
async function pgliteDatabase(): Promise<Database> {
  if (testEngine() === "pglite") return testDatabase();
  const database = await openDatabase({ dir: "memory://" });
  await migrateDatabase(database);
  return database;
}

async function dump(database: Database): Promise<string> {
  let out = "";
  await exportDatabase(database.db, (chunk) => {
    out += chunk;
  });
  return out;
}

const linesOf = (text: string) => text.split("\n");

// Text that breaks naive escaping or encoding: scripts and markup, quotes and backslashes,
// right-to-left script, combining marks, emoji sequences, line and paragraph separators, tabs.
const ODD = `</script><script>alert(1)</script> "><img src=x onerror=alert(1)> O'Brien \\ "quoted" — שלום עולם مرحبا e\u0301 👩‍👩‍👧 🏳️‍🌈 \u2028\u2029 tab\there\nnew line`;

let source: Database;
let middle: Database & { url?: string };
let back: Database;
let token: string;
let sourceDump: string;
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-backup-"));

beforeAll(async () => {
  [source, middle, back] = await Promise.all([pgliteDatabase(), testDatabase(), pgliteDatabase()]);
  expect((await seed(source.db)).created).toBe(true);

  const made = await makeEditor(source.db);
  token = made.token;
  const spare = await makeEditor(source.db, "editor", "read");
  const actor = actorOf(made.editor);
  await revokeToken(source.db, actorOf(spare.editor), spare.tokenId);

  const story = await createStory(source.db, actor, { title: `Odd text ${ODD}`.slice(0, 300), summary: ODD });
  // PostgreSQL keeps microseconds, which a JavaScript Date would drop on the way through.
  await source.db.execute(sql`update stories set created_at = '2024-05-05T12:34:56.123456Z' where id = ${story.id}`);
  const { document } = await createDocument(
    source.db,
    actor,
    documentInput.parse({ outlet: { name: "Ħ Outlet ✓" }, title: ODD.slice(0, 200), authors: [`O'Brien, "Jr."`, "José Ñúñez"], publishedAt: "2024-02-29T23:59:59.123+05:30" }),
  );
  const version = await addVersion(source.db, actor, document.id, versionInput.parse({ text: `${ODD}\n${"word ".repeat(2000)}`, seenAt: "2024-03-01" }));
  const first = await createClaim(source.db, actor, story.slug, { documentId: document.id, versionId: version.id, text: ODD, quote: "שלום עולם" });
  const second = await createClaim(source.db, actor, story.slug, { documentId: document.id, text: "A later claim", assertedAt: new Date("2024-03-02") });
  await reviseClaim(source.db, actor, first.id, { text: `${ODD} (revised)`, reason: "Clarified 👍", baseRevision: 1 });
  await linkClaims(source.db, actor, second.id, { kind: "contradicts", targetClaimId: first.id, note: ODD });
  // A watch and a capture that kept the page's bytes, compressed: binary survives the round trip.
  const [watch] = await source.db.insert(watches).values({ kind: "document", documentId: document.id, url: "https://odd.example/page", etag: '"ø"' }).returning();
  await source.db.insert(captures).values({
    watchId: watch!.id,
    documentId: document.id,
    at: new Date("2024-03-03T10:00:00Z"),
    outcome: "unchanged",
    headers: { "content-type": "text/html; charset=utf-8" },
    body: gzipSync(Buffer.from(`<p>${ODD}</p>`)),
    extracted: { title: ODD.slice(0, 50), chars: 12 },
  });

  sourceDump = await dump(source);
}, 180_000);

afterAll(async () => {
  await Promise.all([source?.close(), middle?.close(), back?.close()]);
  fs.rmSync(temp, { recursive: true, force: true });
});

describe(`export and import, PGlite → ${testEngine()} → PGlite`, () => {
  it("exports every table but sessions and setup codes, a header first and row counts last", async () => {
    const tables = await rows<{ name: string }>(source.db, sql`select table_name::text as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const covered = [...BACKUP_TABLES.map((t) => t.name), ...NOT_EXPORTED];
    // A new table must be added to the export, or named as deliberately left out.
    expect(tables.map((t) => t.name).sort()).toEqual([...covered].sort());

    const lines = linesOf(sourceDump);
    expect(lines.at(-1)).toBe("");
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: "claimtrail-export", version: 1, migration: expect.stringMatching(/^\d{4}_/) });
    const end = JSON.parse(lines.at(-2)!);
    expect(end).toEqual({ end: true, rows: await countRows(source.db) });
    expect(end.rows.api_tokens).toBe(2);
    expect(end.rows.claim_revisions).toBeGreaterThan(end.rows.claims);
    for (const line of lines.slice(1, -2)) expect(Object.keys(JSON.parse(line))).toEqual(["table", "row"]);
  });

  it("restores exactly: the second export is byte for byte the first, and the audit chain verifies", async () => {
    const restored = await importDatabase(middle.db, linesOf(sourceDump));
    expect(restored.rows).toEqual(await countRows(source.db));
    const sourceChain = await verifyAuditChain(source.db);
    expect(restored.audit).toEqual(sourceChain);
    expect(sourceChain.ok).toBe(true);
    expect(await dump(middle)).toBe(sourceDump);

    await importDatabase(back.db, linesOf(await dump(middle)));
    expect(await dump(back)).toBe(sourceDump);
    expect(await verifyAuditChain(back.db)).toEqual(sourceChain);
    // Claims' search terms are not in the dump: PostgreSQL derives them again from the text.
    const revisions = linesOf(sourceDump).filter((l) => l.startsWith('{"table":"claim_revisions"'));
    expect(revisions.length).toBeGreaterThan(0);
    for (const line of revisions) expect(JSON.parse(line).row).not.toHaveProperty("search");
    const found = await search(back.db, "Stahelski reshot");
    expect(found.claims.map((h) => h.claim.id)).toEqual((await search(source.db, "Stahelski reshot")).claims.map((h) => h.claim.id));
    expect(found.claims.length).toBeGreaterThan(0);
  });

  it("keeps odd text, arrays and sub-millisecond timestamps intact", async () => {
    const [story] = await rows<{ summary: string; created: string }>(
      back.db,
      sql`select summary, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as created from stories where summary = ${ODD}`,
    );
    expect(story).toEqual({ summary: ODD, created: "2024-05-05 12:34:56.123456" });
    const [revision] = await rows<{ text: string; created: string }>(
      middle.db,
      sql`select text, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as created from claim_revisions where reason = ${"Clarified 👍"}`,
    );
    expect(revision!.text).toBe(`${ODD} (revised)`);
    const [original] = await rows<{ created: string }>(
      source.db,
      sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as created from claim_revisions where reason = ${"Clarified 👍"}`,
    );
    expect(revision!.created).toBe(original!.created);
    const [doc] = await rows<{ authors: string[]; published: string }>(middle.db, sql`select authors, published_at::text as published from documents where authors @> array['José Ñúñez']`);
    expect(doc!.authors).toEqual([`O'Brien, "Jr."`, "José Ñúñez"]);
  });

  it("leaves a restored database working: tokens still open it, and new rows get new ids", async () => {
    const found = await editorForToken(middle.db, token);
    expect(found?.scope).toBe("write");
    const before = await countRows(middle.db);
    const story = await createStory(middle.db, actorOf(found!.editor), { title: "Written after the restore" });
    const [max] = await rows<{ id: number }>(source.db, sql`select max(id)::int as id from stories`);
    expect(story.id).toBe(max!.id + 1);
    expect((await countRows(middle.db)).stories).toBe(before.stories! + 1);
    expect((await verifyAuditChain(middle.db)).ok).toBe(true);
  });

  it("refuses a database that holds data, and writes nothing", async () => {
    await expect(importDatabase(source.db, linesOf(sourceDump))).rejects.toThrow(/not empty.*Nothing was imported/);
    expect(await dump(source)).toBe(sourceDump);
  });

  it("refuses a dump that is cut off, reordered, foreign or from another schema version, and writes nothing", async () => {
    const empty = await pgliteDatabase();
    try {
      const lines = linesOf(sourceDump);
      const cases: [string[], RegExp][] = [
        [lines.slice(0, -2), /cut off/],
        [lines.slice(0, Math.floor(lines.length / 2)), /cut off/],
        [[lines[0]!, ...lines.slice(1, -2).reverse(), ...lines.slice(-2)], /came earlier/],
        [[lines[0]!, `{"table":"sessions","row":{}}`, ...lines.slice(1)], /not a row of a known table/],
        [[lines[0]!.replace(/"migration":"[^"]+"/, `"migration":"0000_init"`), ...lines.slice(1)], /made at migration 0000_init/],
        [[`{"format":"something-else"}`, ...lines.slice(1)], /export header/],
        [[lines[0]!, "{oops", ...lines.slice(1)], /line 2 is not JSON/],
        [[...lines.slice(0, -2), lines.at(-2)!.replace(/"stories":\d+/, `"stories":99`), ""], /promises 99 rows of stories/],
        [[], /empty/],
      ];
      for (const [dumpLines, message] of cases) {
        await expect(importDatabase(empty.db, dumpLines)).rejects.toThrow(message);
        expect(Object.values(await countRows(empty.db)).every((n) => n === 0)).toBe(true);
      }
    } finally {
      await empty.close();
    }
  });

  it("works from the command line: npm's banner in the dump is skipped, and the export comes back the same", async () => {
    const folder = path.join(temp, "pglite");
    const dumpFile = path.join(temp, "dump.ndjson");
    // What `npm run export > dump.ndjson` leaves: npm's banner above the export itself.
    fs.writeFileSync(dumpFile, `\n> claimtrail@0.1.0 export\n> tsx lib/cli/export.ts\n\n${sourceDump}`);
    const env = { ...process.env, PGLITE_DIR: folder, DATABASE_URL: "" };

    const imported = await run(["lib/cli/import.ts"], env, fs.openSync(dumpFile, "r"));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported \d+ rows into the pglite database/);
    expect(imported.stdout).toMatch(/The audit chain verifies/);

    const exported = await run(["lib/cli/export.ts"], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(sourceDump);

    const again = await run(["lib/cli/import.ts"], env, fs.openSync(dumpFile, "r"));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/not empty/);
  }, 180_000);
});

function run(args: string[], env: NodeJS.ProcessEnv, stdin?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { env, stdio: [stdin ?? "ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
