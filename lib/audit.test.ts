import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
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
    // Every third transaction appends many events (hashed in the server, a few hundred at a
    // time), the others one; each holds the chain a moment after appending, so that the others
    // wait for it.
    const sizes = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 40 + 300 * i : 1));
    await Promise.all(
      sizes.map((n, i) =>
        db.transaction(async (tx) => {
          await appendAudit(tx, actor, entries(n, 10_000 * (i + 1)));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }),
      ),
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const heads = await db.select({ prevHash: auditEvents.prevHash }).from(auditEvents);
    expect(new Set(heads.map((h) => h.prevHash)).size).toBe(heads.length);
    // A large append's events follow one another in the order they were given.
    for (const [i, n] of sizes.entries()) {
      const from = 10_000 * (i + 1);
      const appended = await db
        .select({ id: auditEvents.id, entityId: auditEvents.entityId })
        .from(auditEvents)
        .where(and(eq(auditEvents.entity, "claim"), inArray(auditEvents.entityId, Array.from({ length: n }, (_, k) => String(from + k)))))
        .orderBy(asc(auditEvents.id));
      expect(appended.map((e) => Number(e.entityId))).toEqual(Array.from({ length: n }, (_, k) => from + k));
      expect(appended.at(-1)!.id - appended[0]!.id).toBe(n - 1);
    }
  });
});

describe("canonicalJson, the text an event's hash is taken over", () => {
  it("sorts keys by UTF-16 code units at every depth, integer-like keys included", () => {
    const value = { b: 1, a: { z: [3, { d: 1, c: 2 }], y: "" }, "！": false, "😀": true, B: null };
    expect(canonicalJson(value)).toBe('{"B":null,"a":{"y":"","z":[3,{"c":2,"d":1}]},"b":1,"😀":true,"！":false}');
    expect(canonicalJson({ ...value, a: { "10": "x", "9": "y", z: [] } })).toBe('{"B":null,"a":{"10":"x","9":"y","z":[]},"b":1,"😀":true,"！":false}');
  });

  it("leaves out undefined members, writes null where an array holds nothing writable, and dates as ISO strings", () => {
    const value = { gone: undefined, none: null, list: [undefined, () => 1, new Date("2024-10-15T12:00:00.123Z")], at: new Date("2024-10-14T00:00:00Z") };
    expect(canonicalJson(value)).toBe('{"at":"2024-10-14T00:00:00.000Z","list":[null,null,"2024-10-15T12:00:00.123Z"],"none":null}');
  });

  it("reads objects of any prototype by their own keys, and escapes text as JSON does", () => {
    const bare = Object.assign(Object.create(null) as object, { b: "“quoted” \\ \u2028 </script>", a: 2 });
    class Row {
      z = 1;
      y = [new Map([["k", 1]])];
    }
    expect(canonicalJson({ bare, row: new Row() })).toBe('{"bare":{"a":2,"b":"“quoted” \\\\ \u2028 </script>"},"row":{"y":[{}],"z":1}}');
  });

  it("keeps a key named __proto__, writes dates by their ISO form whatever their toJSON, and refuses a date that has none", () => {
    expect(canonicalJson(JSON.parse('{"b":{"__proto__":{"x":1}},"__proto__":1,"a":null}'))).toBe('{"__proto__":1,"a":null,"b":{"__proto__":{"x":1}}}');
    class Stamp extends Date {
      override toJSON() {
        return "not the instant";
      }
    }
    expect(canonicalJson({ at: new Stamp("2024-10-15T00:00:00Z") })).toBe('{"at":"2024-10-15T00:00:00.000Z"}');
    expect(() => canonicalJson({ at: new Date("not a date") })).toThrow(RangeError);
  });

  it("writes values nested deeper than a copy can go", () => {
    const depth = 3_000;
    let deep: unknown = [];
    for (let i = 1; i < depth; i++) deep = [deep];
    expect(canonicalJson({ deep })).toBe(`{"deep":${"[".repeat(depth)}${"]".repeat(depth)}}`);
  });
});
