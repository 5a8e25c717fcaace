import { createHash } from "node:crypto";
import { asc, desc, sql } from "drizzle-orm";
import { allStatements, getDb, jsonRecords, lockUntilCommit, nextIdRange, rows, type Executor } from "@/db";
import { auditEvents, type AuditEvent } from "@/db/schema";

/**
 * Who makes a write, as the audit log records it. `admin` is what the rules on editors and tokens
 * check; Claimtrail's own tasks (the command line, setup, the seed) act as admins.
 */
export type Actor = { editorId: number | null; label: string; admin: boolean };
export const systemActor = (label: string): Actor => ({ editorId: null, label: `system:${label}`, admin: true });

export const GENESIS_HASH = "0".repeat(64);

/** JSON text already canonical, which `canonicalText` places as it is rather than writing it again. */
class CanonicalText {
  constructor(readonly text: string) {}
}

/**
 * JSON with sorted keys, so a value hashes the same after a jsonb round trip. A value made of
 * plain objects, arrays, dates and primitives is copied with its keys in order and written by
 * `JSON.stringify`, about four times faster than building the text key by key (a batch writes
 * thousands of events at once); anything else is written by `canonicalText`, which defines the
 * format.
 */
export function canonicalJson(value: unknown): string {
  try {
    const copy = sortedCopy(value);
    if (copy !== NOT_PLAIN) return JSON.stringify(copy) ?? "null";
  } catch (err) {
    // Nested deeper than the copy's stack allows, which the key-by-key writer goes past, or a date
    // with no ISO form, which it refuses as the format does.
    if (!(err instanceof RangeError)) throw err;
  }
  return canonicalText(value);
}

const NOT_PLAIN = Symbol("not plain");
// Keys JavaScript keeps in numeric order ahead of the others, whatever order they were set in.
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/** The value with each object's keys in sorted order and dates as ISO strings, or NOT_PLAIN where `JSON.stringify` would not write it as `canonicalText` does. */
function sortedCopy(value: unknown): unknown {
  if (value === null) return value;
  // As `canonicalText` writes it, whatever `toJSON` a subclass has; an invalid date throws.
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "function" || typeof value === "symbol") return null;
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i]);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  // With no prototype, a "__proto__" key is a key like any other, and nothing is inherited.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (INDEX_KEY.test(key)) return NOT_PLAIN;
    const item = sortedCopy(record[key]);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[key] = item;
  }
  return out;
}

/** The canonical text built key by key: keys in UTF-16 order, undefined members left out, dates as ISO strings. */
function canonicalText(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof CanonicalText) return value.text;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalText(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  let out = "{";
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalText(v)}`;
  }
  return `${out}}`;
}

/**
 * A value as jsonb will hold it, as canonical text: dates become ISO strings and keys are sorted,
 * so what is hashed is exactly what jsonb stores and gives back. Nothing (null or undefined) is
 * SQL NULL.
 */
function storedText(value: unknown): string | null {
  const text = canonicalJson(value ?? null);
  return text === "null" ? null : text;
}

type HashedFields = Pick<AuditEvent, "at" | "editorId" | "actor" | "action" | "entity" | "entityId" | "before" | "after" | "prevHash">;

// `prevHash` sorts last among the hashed fields, so an event's canonical text is a prefix made
// of its own fields, its predecessor's hash, and this.
const HASHED_TAIL = '"}';

/** Before or after as canonical text, written here unless the caller has written it already. */
const asCanonicalText = (value: unknown): CanonicalText | null =>
  value instanceof CanonicalText ? value : value == null ? null : new CanonicalText(canonicalJson(value));

function hashedPrefix(fields: Omit<HashedFields, "prevHash">): string {
  // The envelope is never plain (before and after are placed as text), so its own few fields go
  // straight to the key-by-key writer.
  const text = canonicalText({
    at: fields.at.toISOString(),
    editorId: fields.editorId,
    actor: fields.actor,
    action: fields.action,
    entity: fields.entity,
    entityId: fields.entityId,
    before: asCanonicalText(fields.before),
    after: asCanonicalText(fields.after),
    prevHash: "",
  });
  if (!text.endsWith(`"prevHash":"${HASHED_TAIL}`)) throw new Error("prevHash must be the last field of a hashed event.");
  return text.slice(0, -HASHED_TAIL.length);
}

export function hashEvent(e: HashedFields): string {
  return createHash("sha256").update(`${hashedPrefix(e)}${e.prevHash}${HASHED_TAIL}`).digest("hex");
}

export type AuditEntry = { action: string; entity: string; entityId: string | number; before?: unknown; after?: unknown };

/** The hash of the chain's last event, as a statement reads it (once the lock is held). */
const chainHead = sql`coalesce((select hash from audit_events order by id desc limit 1), ${GENESIS_HASH})`;

// Up to this many events, one insert each; more are hashed here and inserted many to a statement.
const EVENTS_PER_STATEMENT_MAX = 16;

/** An event ready to be chained: its before and after as the text jsonb stores, and its hashed text up to its predecessor's hash. */
type PreparedEvent = { at: Date; editorId: number | null; actor: string; action: string; entity: string; entityId: string; before: string | null; after: string | null; prefix: string };

/**
 * The chain's lock, head and ids, taken for `count` events before they are appended, or null
 * where there are so few that PostgreSQL chains them in their own statements. The lock is
 * granted before the head and the ids are read: read before it, they could predate an append
 * that commits while this one waits for the lock, and the chain would fork.
 */
export type AuditReservation = Promise<ChainReservation> | null;
type ChainReservation = { head: string; ids: number[] };

export function reserveAudit(tx: Executor, count: number): AuditReservation {
  if (count <= EVENTS_PER_STATEMENT_MAX) return null;
  return (async () => {
    // Sent together, the lock first, and run in turn: the head and the ids are read once the
    // lock is granted. (A drizzle query goes out when it is awaited; `rows` awaits at once.)
    const locked = lockUntilCommit(tx, "audit").then(() => undefined);
    const [, [head], ids] = await Promise.all([
      locked,
      rows<{ hash: string }>(tx, sql`select ${chainHead} as hash`),
      // Every append holds the lock while it inserts, so the ids can be drawn as one range.
      nextIdRange(tx, "audit_events", count),
    ]);
    return { head: head!.hash, ids };
  })();
}

/**
 * Appends events to the chain; call inside the transaction that makes the change.
 *
 * Appends are serialised by a lock held until commit, so the time between taking it and
 * committing bounds how many writes a second the whole system can make. A few events are
 * prepared before anything is sent, so a caller may start its own statements first and have
 * them run meanwhile; then the lock and the inserts go in one round trip, and PostgreSQL itself
 * links each event to the head of the chain: each insert reads the head after the lock is
 * granted (a statement of its own sees every append committed before) and hashes the prepared
 * text with it.
 *
 * Many events at once (a batch) are hashed here instead, by the same definition (`hashEvent`),
 * and inserted a thousand to a statement, after the chain is reserved for them (`reserveAudit`).
 * A caller that reserves early, before its own statements, has the events hashed while
 * PostgreSQL writes its rows, and their inserts follow those with no wait between; the lock is
 * held for the caller's writes in exchange.
 */
export async function appendAudit(tx: Executor, actor: Actor, entries: AuditEntry[], reserved: AuditReservation = reserveAudit(tx, entries.length)): Promise<void> {
  if (entries.length === 0) return;
  if (reserved) return appendHashedHere(tx, actor, entries, await reserved);
  const events = prepareEvents(actor, entries);
  await Promise.all([
    lockUntilCommit(tx, "audit"),
    ...events.map((e) =>
      tx.execute(sql`
        insert into audit_events (at, editor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
        select ${e.at.toISOString()}::timestamptz, ${e.editorId}, ${e.actor}, ${e.action}, ${e.entity}, ${e.entityId},
               ${e.before}::jsonb, ${e.after}::jsonb, head.hash,
               encode(sha256(convert_to(${e.prefix} || head.hash || ${HASHED_TAIL}, 'UTF8')), 'hex')
        from (select ${chainHead} as hash) head`),
    ),
  ]);
}

function prepareEvents(actor: Actor, entries: AuditEntry[], at = new Date()): PreparedEvent[] {
  return entries.map((entry): PreparedEvent => {
    const fields = { at, editorId: actor.editorId, actor: actor.label, action: entry.action, entity: entry.entity, entityId: String(entry.entityId) };
    const before = storedText(entry.before);
    const after = storedText(entry.after);
    const prefix = hashedPrefix({ ...fields, before: before === null ? null : new CanonicalText(before), after: after === null ? null : new CanonicalText(after) });
    return { ...fields, before, after, prefix };
  });
}

// Events hashed between two turns of the event loop. A batch's rows go out as statements of
// megabytes, which the socket takes a part at a time between turns: hashed in one go, thousands
// of events held the rest of those statements back while PostgreSQL waited for them (5,000-claim
// batches after a spell of single writes took 890–1,090 ms that way, 750–970 ms in turns).
const EVENTS_PER_TURN = 250;
// Events inserted by one statement. Each goes out as soon as its events are hashed, so that it
// waits, whole, in the socket while PostgreSQL writes the rows before it. Sent as one statement,
// 5,000 events (5 MB) were read only once those rows were written, while PostgreSQL did nothing
// else: about 45 ms of a batch, against a few in statements of 1,000.
const EVENTS_PER_INSERT = 1000;

async function appendHashedHere(tx: Executor, actor: Actor, entries: AuditEntry[], { head, ids }: ChainReservation): Promise<void> {
  if (ids.length !== entries.length) throw new Error(`The chain was reserved for ${ids.length} events, not ${entries.length}.`);
  const at = new Date();
  let prevHash = head;
  const inserts: Promise<void>[] = [];
  let failed = false;
  const insert = (chained: string[]) => {
    const inserted = insertChained(tx, chained);
    // Seen at once, not only at the end: after a failure nothing more is hashed or sent.
    inserted.catch(() => (failed = true));
    inserts.push(inserted);
  };
  // The rows as JSON text, before and after placed as the canonical text they already are.
  let chained: string[] = [];
  for (let start = 0; start < entries.length && !failed; start += EVENTS_PER_TURN) {
    if (start) await new Promise(setImmediate);
    for (const [i, e] of prepareEvents(actor, entries.slice(start, start + EVENTS_PER_TURN), at).entries()) {
      const hash = createHash("sha256").update(`${e.prefix}${prevHash}${HASHED_TAIL}`).digest("hex");
      const fields = { id: ids[start + i], at: e.at.toISOString(), editor_id: e.editorId, actor: e.actor, action: e.action, entity: e.entity, entity_id: e.entityId, prev_hash: prevHash, hash };
      prevHash = hash;
      chained.push(`${JSON.stringify(fields).slice(0, -1)},"before":${e.before ?? "null"},"after":${e.after ?? "null"}}`);
      if (chained.length === EVENTS_PER_INSERT) {
        insert(chained);
        chained = [];
      }
    }
  }
  if (chained.length && !failed) insert(chained);
  await allStatements(inserts);
}

async function insertChained(tx: Executor, chained: string[]): Promise<void> {
  await tx.execute(sql`
    insert into audit_events (id, at, editor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
    select id, at, editor_id, actor, action, entity, entity_id, before, after, prev_hash, hash
    from ${jsonRecords(chained, sql`e(id bigint, at timestamptz, editor_id int, actor text, action text, entity text, entity_id text, before jsonb, after jsonb, prev_hash text, hash text)`)}`);
}

export type ChainVerdict =
  | { ok: true; events: number; head: string }
  | { ok: false; events: number; brokenAt: number; reason: string };

/** Recomputes every hash in order; names the first event whose hash or link does not hold. */
export async function verifyAuditChain(db: Executor, batchSize = 5000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let count = 0;
  let afterId = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.id} > ${afterId}`)
      .orderBy(asc(auditEvents.id))
      .limit(batchSize);
    for (const event of batch) {
      count++;
      if (event.prevHash !== prevHash) {
        return { ok: false, events: count, brokenAt: event.id, reason: "does not link to the event before it" };
      }
      if (hashEvent(event) !== event.hash) {
        return { ok: false, events: count, brokenAt: event.id, reason: "its content does not match its hash" };
      }
      prevHash = event.hash;
      afterId = event.id;
    }
    if (batch.length < batchSize) return { ok: true, events: count, head: prevHash };
  }
}

export async function countAuditEvents(db: Executor): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`);
  return r?.n ?? 0;
}

export type AuditFilter = { editorId?: number; storyId?: number; entity?: string; beforeId?: number; limit?: number };

/** Newest first, filtered by editor, story (its claims, links, questions) and kind of record. */
export async function listAuditEvents(db: Executor, filter: AuditFilter = {}): Promise<AuditEvent[]> {
  const conditions = [sql`true`];
  if (filter.editorId !== undefined) conditions.push(sql`${auditEvents.editorId} = ${filter.editorId}`);
  if (filter.entity) conditions.push(sql`${auditEvents.entity} = ${filter.entity}`);
  if (filter.beforeId !== undefined) conditions.push(sql`${auditEvents.id} < ${filter.beforeId}`);
  if (filter.storyId !== undefined) {
    const story = filter.storyId;
    conditions.push(sql`(
      (${auditEvents.entity} = 'story' and ${auditEvents.entityId} = ${String(story)})
      or (${auditEvents.after} ->> 'storyId')::int = ${story}
      or (${auditEvents.entity} = 'claim' and ${auditEvents.entityId}::int in (select id from claims where story_id = ${story}))
      or (${auditEvents.entity} = 'link' and (${auditEvents.after} ->> 'fromClaimId')::int in (select id from claims where story_id = ${story}))
    )`);
  }
  return db
    .select()
    .from(auditEvents)
    .where(sql.join(conditions, sql` and `))
    .orderBy(desc(auditEvents.id))
    .limit(Math.min(filter.limit ?? 100, 500));
}

/** The audit log for the editors' page, newest first; never cached, as it is the record of record. */
export const readAuditLog = async (filter: AuditFilter) => listAuditEvents(await getDb(), filter);

/** The chain recomputed from the database, now. */
export const readChainVerdict = async () => verifyAuditChain(await getDb());
