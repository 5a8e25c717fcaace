import { createHash } from "node:crypto";
import { asc, desc, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { appendAudit, canonicalJson, systemActor, verifyAuditChain } from "@/lib/audit";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";

let database: TestDatabase;

beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

// The format every stored chain was written in: changing it would break the chains already kept.
const expectedHash = (e: typeof auditEvents.$inferSelect) =>
  createHash("sha256")
    .update(
      canonicalJson({
        at: e.at.toISOString(),
        editorId: e.editorId,
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        before: e.before,
        after: e.after,
        prevHash: e.prevHash,
      }),
    )
    .digest("hex");

describe(`the audit chain on ${testEngine()}`, () => {
  it("links each appended event to the one before, hashing the canonical JSON of its fields", async () => {
    const { db } = database;
    const [last] = await db.select({ id: auditEvents.id }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    const startId = last?.id ?? 0;
    const tricky = { text: "Ballerina — “reshoots” 😀 مرحبا שלום e\u0301 \u2028 </script> \\ \"quoted\"", when: new Date("2024-10-15T12:00:00.123Z"), none: null, list: [3, 1, 2] };
    await db.transaction((tx) =>
      appendAudit(tx, systemActor("test"), [
        { action: "create", entity: "claim", entityId: 41, after: tricky },
        { action: "revise", entity: "claim", entityId: 41, before: tricky, after: { ...tricky, text: "second" } },
      ]),
    );
    await db.transaction((tx) => appendAudit(tx, systemActor("other"), [{ action: "delete", entity: "token", entityId: "7" }]));

    const events = await db.select().from(auditEvents).where(gt(auditEvents.id, startId)).orderBy(asc(auditEvents.id));
    const ours = events;
    expect(ours.map((e) => e.action)).toEqual(["create", "revise", "delete"]);
    expect(ours[0]!.after).toEqual({ ...tricky, when: "2024-10-15T12:00:00.123Z" });
    for (const [i, e] of ours.entries()) {
      expect(e.hash).toBe(expectedHash(e));
      if (i > 0) expect(e.prevHash).toBe(ours[i - 1]!.hash);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, head: ours[2]!.hash });
  });

  it("keeps one unbroken chain when many transactions append at once", async () => {
    const { db } = database;
    const actor = systemActor("test");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.transaction((tx) => appendAudit(tx, actor, [{ action: "create", entity: "story", entityId: 1000 + i, after: { i } }]))),
    );
    const verdict = await verifyAuditChain(db);
    expect(verdict.ok).toBe(true);
    const heads = await db.select({ prevHash: auditEvents.prevHash }).from(auditEvents);
    // Each event is the successor of exactly one other: no two appends read the same head.
    expect(new Set(heads.map((h) => h.prevHash)).size).toBe(heads.length);
  });

  it("keeps one unbroken chain when large appends (hashed here) and small ones run at once", async () => {
    const { db } = database;
    const actor = systemActor("test");
    const entries = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ action: "create", entity: "claim", entityId: from + i, after: { i } }));
    // Every fourth transaction appends 40 events (hashed in the server), the others one; each
    // holds the chain a moment after appending, so that the others wait for it.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction(async (tx) => {
          await appendAudit(tx, actor, entries(i % 3 === 0 ? 40 : 1, 10_000 * (i + 1)));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }),
      ),
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const heads = await db.select({ prevHash: auditEvents.prevHash }).from(auditEvents);
    expect(new Set(heads.map((h) => h.prevHash)).size).toBe(heads.length);
  });
});
