import { sql } from "drizzle-orm";
import { allStatements, intArray, jsonRecords, lockUntilCommit, nextIds, rows, statementsSent, toDate, type Executor } from "@/db";
import type { Claim, ClaimRevision, Link, LinkKind } from "@/db/schema";
import { appendAudit, reserveAudit, type Actor } from "@/lib/audit";
import { notAVersion } from "@/lib/documents";
import { AppError, notFound, type FieldErrors, type LineProblem } from "@/lib/errors";
import type { NdjsonLine } from "@/lib/http";
import { REPLACING_KINDS_SQL, replaces } from "@/lib/links";
import { requireAnchor, type QuoteAnchor } from "@/lib/quotes";
import type { BatchClaimInput, BatchLine, BatchLinkInput } from "@/lib/validation";
import { enqueueWebhookEvents } from "@/lib/webhooks";
import { checkQuotes } from "./quote-checks";
import { recordStatusChanges } from "./status-events";
import { claimCreated, linkCreated } from "./write";

// A batch of claims and links for one story, written all or nothing: every line is checked
// first, and one problem anywhere refuses the whole batch with every bad line named. What is
// written is what the single writes (createClaim, linkClaims) would have written line by line:
// the same rows, one audit event per claim and per link, the same webhook deliveries, quote
// checks and status events; only the statements are fewer.

export type BatchResult = {
  claims: { line: number; ref: string | null; id: number }[];
  links: { line: number; id: number; fromClaimId: number; toClaimId: number; kind: LinkKind }[];
};

/** A claim a line names: one already stored, or the claim of an earlier line (its index among the batch's claims). */
type Pointer = { stored: number } | { index: number };

type ClaimLine = {
  line: number;
  ref: string | null;
  input: BatchClaimInput;
  relays: Pointer | null;
  // Settled by the checks against the database:
  versionId: number | null;
  versionIsLatest: boolean;
  assertedAt: Date | null;
  anchor: QuoteAnchor | null;
};
type LinkLine = { line: number; input: BatchLinkInput; from: Pointer; to: Pointer; effectiveAt: Date | null };

/** Problems by line; a line may have several, each under its fields. */
class Problems {
  private readonly byLine = new Map<number, { line: number; messages: string[]; fields: FieldErrors }>();

  add(line: number, message: string, fields: FieldErrors = {}): void {
    let entry = this.byLine.get(line);
    if (!entry) this.byLine.set(line, (entry = { line, messages: [], fields: {} }));
    entry.messages.push(message);
    for (const [field, list] of Object.entries(fields)) (entry.fields[field] ??= []).push(...list);
  }

  /** An error thrown by a shared check (a quote not found, a version of another document), under the line's part. */
  addError(line: number, error: AppError, part: "claim" | "link"): void {
    const fields = Object.fromEntries(Object.entries(error.fields ?? {}).map(([field, list]) => [`${part}.${field}`, list]));
    this.add(line, error.message, fields);
  }

  has(line: number): boolean {
    return this.byLine.has(line);
  }

  get size(): number {
    return this.byLine.size;
  }

  refusal(): AppError {
    const lines: LineProblem[] = [...this.byLine.values()]
      .sort((a, b) => a.line - b.line)
      .map(({ line, messages, fields }) => ({ line, message: messages.join(" "), ...(Object.keys(fields).length && { fields }) }));
    const numbers = lines.map((p) => p.line);
    const named = numbers.length > 10 ? `${numbers.slice(0, 10).join(", ")} and ${numbers.length - 10} more` : numbers.join(", ").replace(/, (\d+)$/, " and $1");
    const which = numbers.length === 1 ? `Line ${named} has a problem` : `Lines ${named} have problems`;
    return new AppError("unprocessable", `${which}; nothing of the batch was written.`, undefined, { lines });
  }
}

/**
 * Writes a batch's claims into the story `storySlug` and its links between them and stored
 * claims, in one transaction. A claim's ref names it for later lines (its relaysClaimId, a link's
 * from or to); a ref points only backwards, so relays within a batch cannot form a cycle, and a
 * stored claim cannot relay a new one.
 */
export async function writeBatch(db: Executor, actor: Actor, storySlug: string, lines: NdjsonLine<BatchLine>[]): Promise<BatchResult> {
  return db.transaction(async (tx) => {
    const problems = new Problems();
    const { claimLines, linkLines } = resolveRefs(lines, problems);
    const storyId = await checkClaims(tx, storySlug, claimLines, problems);
    await checkLinks(tx, claimLines, linkLines, problems);
    if (problems.size) throw problems.refusal();

    // Ids first, so that rows can name each other, and the transaction's time, which the rows'
    // created_at default to: the rows are then known here as the database will hold them. The
    // audit chain is reserved in the same round trip, so that its events can be hashed here while
    // the rows go in.
    const audit = reserveAudit(tx, claimLines.length + linkLines.length);
    const [claimIds, linkIds, [clock]] = await allStatements([
      nextIds(tx, "claims", claimLines.length),
      nextIds(tx, "links", linkLines.length),
      rows<{ now: Date | string }>(tx, sql`select now() as now`),
      audit,
    ]);
    const createdAt = toDate(clock!.now);
    const made = claimRowsOf(actor, storyId, claimLines, claimIds, createdAt);
    const madeLinks = linkRowsOf(actor, linkLines, (p) => ("stored" in p ? p.stored : claimIds[p.index]!), linkIds, createdAt);
    // The rows go out first, each statement as soon as it is made, and PostgreSQL writes them
    // while the rest is made here.
    const rowsInserted = [insertClaims(tx, made), insertLinks(tx, madeLinks)];
    const created = [...made.map(({ claim, revision }) => claimCreated(storySlug, claim, revision)), ...madeLinks.map(linkCreated)];
    // The events' inserts go out as they are hashed, after the others, all awaited together: none
    // may follow a failure of theirs out of the transaction.
    await allStatements([
      ...rowsInserted,
      enqueueWebhookEvents(tx, created.map((c) => c.event)),
      // Hashed once the statements above have gone out, so PostgreSQL writes the rows meanwhile.
      statementsSent().then(() => appendAudit(tx, actor, created.map((c) => c.audit), audit)),
    ]);
    // A quote taken from an older version is looked for in the newer ones at once (in the latest
    // there is nothing newer to look in).
    const olderQuotes = new Map<number, number[]>();
    for (const [i, c] of claimLines.entries()) {
      if (c.anchor && !c.versionIsLatest) olderQuotes.set(c.input.documentId, [...(olderQuotes.get(c.input.documentId) ?? []), made[i]!.claim.id]);
    }
    for (const [documentId, ids] of olderQuotes) await checkQuotes(tx, documentId, ids);
    // Each link changes statuses as it would have written alone, after the ones before it.
    for (const [i, link] of madeLinks.entries()) await recordStatusChanges(tx, link, new Set(linkIds.slice(i + 1)));

    return {
      claims: claimLines.map((c, i) => ({ line: c.line, ref: c.ref, id: made[i]!.claim.id })),
      links: madeLinks.map((l, i) => ({ line: linkLines[i]!.line, id: l.id, fromClaimId: l.fromClaimId, toClaimId: l.toClaimId, kind: l.kind })),
    };
  });
}

/** The lines in order, each ref resolved to the claim of an earlier line; no database needed. */
function resolveRefs(lines: NdjsonLine<BatchLine>[], problems: Problems): { claimLines: ClaimLine[]; linkLines: LinkLine[] } {
  const claimLines: ClaimLine[] = [];
  const linkLines: LinkLine[] = [];
  const declared = new Map<string, { line: number; index: number | null }>();
  const pointer = (value: number | string, line: number, field: string): Pointer | null => {
    if (typeof value === "number") return { stored: value };
    const found = declared.get(value);
    if (found?.index != null) return { index: found.index };
    // A ref declared on a bad line is that line's problem, reported there.
    if (!found) problems.add(line, `No claim on an earlier line has the ref "${value}".`, { [field]: ["Unknown ref."] });
    return null;
  };
  for (const entry of lines) {
    if ("problem" in entry) {
      problems.add(entry.line, entry.problem.message, entry.problem.fields);
      const ref = (entry.input as { ref?: unknown } | null)?.ref;
      if (typeof ref === "string" && !declared.has(ref)) declared.set(ref, { line: entry.line, index: null });
      continue;
    }
    const { line, value } = entry;
    if (value.kind === "claim") {
      const { ref = null, claim: input } = value;
      let relays: Pointer | null = null;
      if (input.relaysClaimId !== undefined) {
        if (ref !== null && input.relaysClaimId === ref) problems.add(line, "A claim cannot relay itself.", { "claim.relaysClaimId": ["Pick another claim."] });
        else relays = pointer(input.relaysClaimId, line, "claim.relaysClaimId");
      }
      if (ref !== null) {
        const taken = declared.get(ref);
        if (taken) problems.add(line, `The ref "${ref}" is already used on line ${taken.line}.`, { ref: ["Each claim of a batch needs its own ref."] });
        else declared.set(ref, { line, index: claimLines.length });
      }
      claimLines.push({ line, ref, input, relays, versionId: null, versionIsLatest: false, assertedAt: null, anchor: null });
    } else {
      const from = pointer(value.link.from, line, "link.from");
      const to = pointer(value.link.to, line, "link.to");
      if (from && to) linkLines.push({ line, input: value.link, from, to, effectiveAt: null });
    }
  }
  return { claimLines, linkLines };
}

type VersionRow = { id: number; document_id: number; seen_at: Date | string };

// Versions' texts are read this many at a time, so a batch quoting many long sources stays small in memory.
const TEXTS_PER_READ = 50;

/**
 * Checks each claim as createClaim does (its document, version, question, the claim it relays,
 * its quote in the version) with a fixed number of reads for the whole batch, and settles its
 * version and date. Returns the story's id.
 */
async function checkClaims(tx: Executor, storySlug: string, claimLines: ClaimLine[], problems: Problems): Promise<number> {
  const documentIds = new Set(claimLines.map((c) => c.input.documentId));
  const versionIds = new Set(claimLines.flatMap((c) => (c.input.versionId === undefined ? [] : [c.input.versionId])));
  const questionIds = new Set(claimLines.flatMap((c) => (c.input.questionId === undefined ? [] : [c.input.questionId])));
  const storedRelays = new Set(claimLines.flatMap((c) => (c.relays && "stored" in c.relays ? [c.relays.stored] : [])));
  const [[story], documentRows, namedVersions, latestVersions, questionRows, relayRows] = await Promise.all([
    rows<{ id: number }>(tx, sql`select id from stories where slug = ${storySlug}`),
    rows<{ id: number; published_at: Date | string }>(tx, sql`select id, published_at from documents where id = any(${intArray(documentIds)})`),
    rows<VersionRow>(tx, sql`select id, document_id, seen_at from document_versions where id = any(${intArray(versionIds)})`),
    rows<VersionRow>(
      tx,
      sql`select distinct on (document_id) id, document_id, seen_at from document_versions
          where document_id = any(${intArray(documentIds)}) order by document_id, seen_at desc, id desc`,
    ),
    rows<{ id: number; story_id: number }>(tx, sql`select id, story_id from questions where id = any(${intArray(questionIds)})`),
    rows<{ id: number }>(tx, sql`select id from claims where id = any(${intArray(storedRelays)})`),
  ]);
  if (!story) throw notFound(`The story "${storySlug}"`);
  const published = new Map(documentRows.map((d) => [Number(d.id), toDate(d.published_at)]));
  const named = new Map(namedVersions.map((v) => [Number(v.id), { id: Number(v.id), documentId: Number(v.document_id), seenAt: toDate(v.seen_at) }]));
  const latest = new Map(latestVersions.map((v) => [Number(v.document_id), { id: Number(v.id), documentId: Number(v.document_id), seenAt: toDate(v.seen_at) }]));
  const questionStory = new Map(questionRows.map((q) => [Number(q.id), Number(q.story_id)]));
  const relayFound = new Set(relayRows.map((r) => Number(r.id)));

  // Claims whose quote must be found in a version's text, by version.
  const quoted = new Map<number, ClaimLine[]>();
  for (const c of claimLines) {
    const { input, line } = c;
    const publishedAt = published.get(input.documentId);
    if (!publishedAt) {
      problems.add(line, `Document ${input.documentId} does not exist.`, { "claim.documentId": ["No such document."] });
      continue;
    }
    if (input.questionId !== undefined && questionStory.get(input.questionId) !== Number(story.id)) {
      problems.add(line, `Question ${input.questionId} is not a question of this story.`, { "claim.questionId": ["Not a question of this story."] });
    }
    if (c.relays && "stored" in c.relays && !relayFound.has(c.relays.stored)) {
      problems.add(line, `Claim ${c.relays.stored} does not exist.`, { "claim.relaysClaimId": ["No such claim."] });
    }
    const newest = latest.get(input.documentId);
    let version = newest;
    if (input.versionId !== undefined) {
      version = named.get(input.versionId);
      if (version?.documentId !== input.documentId) {
        problems.addError(line, notAVersion(input.documentId, input.versionId), "claim");
        continue;
      }
    }
    c.versionId = version?.id ?? null;
    c.versionIsLatest = version !== undefined && version.id === newest?.id;
    c.assertedAt = input.assertedAt ?? version?.seenAt ?? publishedAt;
    if (input.quote?.length && version) quoted.set(version.id, [...(quoted.get(version.id) ?? []), c]);
  }

  const versions = [...quoted.keys()];
  for (let i = 0; i < versions.length; i += TEXTS_PER_READ) {
    const texts = await rows<{ id: number; text: string }>(tx, sql`select id, text from document_versions where id = any(${intArray(versions.slice(i, i + TEXTS_PER_READ))})`);
    for (const { id, text } of texts) {
      for (const c of quoted.get(Number(id)) ?? []) {
        try {
          c.anchor = requireAnchor(text, c.input.quote!, { prefix: c.input.quotePrefix, suffix: c.input.quoteSuffix }, Number(id));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          problems.addError(c.line, err, "claim");
        }
      }
    }
  }
  return Number(story.id);
}

/**
 * Checks each link as linkClaims does: both ends exist, differ, and the newer links to the older;
 * the link is not there already (stored, or on an earlier line); and replacing links, stored and
 * new together, form no cycle.
 */
async function checkLinks(tx: Executor, claimLines: ClaimLine[], linkLines: LinkLine[], problems: Problems): Promise<void> {
  if (!linkLines.length) return;
  const stored = new Set(linkLines.flatMap((l) => [l.from, l.to].flatMap((p) => ("stored" in p ? [p.stored] : []))));
  const storedFroms = new Set(linkLines.flatMap((l) => ("stored" in l.from && "stored" in l.to ? [l.from.stored] : [])));
  const anyReplacing = linkLines.some((l) => replaces(l.input.kind));
  // Two writers must not each close half of a loop: replacing links take turns, as linkClaims's do.
  if (anyReplacing) await lockUntilCommit(tx, "replacingLinks");
  const [storedRows, existing, replacing] = await Promise.all([
    rows<{ id: number; asserted_at: Date | string }>(tx, sql`select id, asserted_at from claims where id = any(${intArray(stored)})`),
    rows<{ from_claim_id: number; to_claim_id: number; kind: LinkKind }>(tx, sql`select from_claim_id, to_claim_id, kind from links where from_claim_id = any(${intArray(storedFroms)})`),
    // The stored replacing links reachable from the stored claims the batch links.
    anyReplacing
      ? rows<{ from_claim_id: number; to_claim_id: number }>(
          tx,
          sql`with recursive reach(id) as (
                select unnest(${intArray(stored)})
                union
                select l.to_claim_id from links l join reach on l.from_claim_id = reach.id where l.kind in (${REPLACING_KINDS_SQL})
              )
              select l.from_claim_id, l.to_claim_id from links l join reach on l.from_claim_id = reach.id where l.kind in (${REPLACING_KINDS_SQL})`,
        )
      : [],
  ]);
  const assertedAt = new Map(storedRows.map((r) => [Number(r.id), toDate(r.asserted_at)]));
  const key = (p: Pointer) => ("stored" in p ? `s${p.stored}` : `n${p.index}`);
  const label = (p: Pointer) => ("stored" in p ? `claim ${p.stored}` : `the claim of line ${claimLines[p.index]!.line}`);
  const labelFirst = (p: Pointer) => label(p).replace(/^./, (c) => c.toUpperCase());
  const seen = new Map<string, number>();
  for (const r of existing) seen.set(`s${r.from_claim_id}>s${r.to_claim_id}:${r.kind}`, 0);
  const next = new Map<string, string[]>();
  const follow = (from: string, to: string) => next.set(from, [...(next.get(from) ?? []), to]);
  for (const r of replacing) follow(`s${r.from_claim_id}`, `s${r.to_claim_id}`);

  for (const l of linkLines) {
    const { line, input } = l;
    const ends = [
      ["link.from", l.from],
      ["link.to", l.to],
    ] as const;
    let usable = true;
    for (const [field, p] of ends) {
      if ("stored" in p && !assertedAt.has(p.stored)) {
        problems.add(line, `Claim ${p.stored} does not exist.`, { [field]: ["No such claim."] });
        usable = false;
      }
      // A claim of the batch with a problem of its own is reported on its line.
      if ("index" in p && problems.has(claimLines[p.index]!.line)) usable = false;
    }
    if (!usable) continue;
    if (key(l.from) === key(l.to)) {
      problems.add(line, "A claim cannot be linked to itself.", { "link.to": ["Pick another claim."] });
      continue;
    }
    const dateOf = (p: Pointer) => ("stored" in p ? assertedAt.get(p.stored)! : claimLines[p.index]!.assertedAt!);
    if (dateOf(l.from) < dateOf(l.to)) {
      problems.add(line, `A link goes from the newer claim to the older: ${label(l.from)} predates ${label(l.to)}.`, {
        "link.to": ["The target must not be newer than the linking claim."],
      });
      continue;
    }
    const id = `${key(l.from)}>${key(l.to)}:${input.kind}`;
    const before = seen.get(id);
    if (before !== undefined) {
      const already = before === 0 ? `${labelFirst(l.from)} already ${input.kind} ${label(l.to)}.` : `Line ${before} already links ${label(l.from)} to ${label(l.to)} this way.`;
      problems.add(line, already, { "link.kind": ["This link exists."] });
      continue;
    }
    seen.set(id, line);
    // A chain of replacements must not loop back: the newer claim would replace itself.
    if (replaces(input.kind) && reaches(next, key(l.to), key(l.from))) {
      problems.add(line, `${labelFirst(l.to)} already replaces ${label(l.from)}: corrections cannot form a cycle.`, { "link.to": ["This would make a cycle."] });
      continue;
    }
    if (replaces(input.kind)) follow(key(l.from), key(l.to));
    l.effectiveAt = input.effectiveAt ?? dateOf(l.from);
  }
}

function reaches(next: Map<string, string[]>, start: string, goal: string): boolean {
  const stack = [start];
  const visited = new Set(stack);
  while (stack.length) {
    const at = stack.pop()!;
    if (at === goal) return true;
    for (const to of next.get(at) ?? []) {
      if (visited.has(to)) continue;
      visited.add(to);
      stack.push(to);
    }
  }
  return false;
}

/** The batch's claims and first revisions as createClaim makes them. */
function claimRowsOf(actor: Actor, storyId: number, claimLines: ClaimLine[], ids: number[], createdAt: Date): { claim: Claim; revision: ClaimRevision }[] {
  const idOf = (p: Pointer) => ("stored" in p ? p.stored : ids[p.index]!);
  return claimLines.map((c, i) => {
    const id = ids[i]!;
    const quote = c.input.quote?.length ? c.input.quote : null;
    const claim: Claim = {
      id,
      storyId,
      documentId: c.input.documentId,
      versionId: c.versionId,
      questionId: c.input.questionId ?? null,
      speaker: c.input.speaker?.trim() || null,
      assertedAt: c.assertedAt!,
      revision: 1,
      createdAt,
    };
    const revision: ClaimRevision = {
      claimId: id,
      revision: 1,
      text: c.input.text.trim(),
      quote,
      quotePrefix: c.anchor?.prefix ?? c.input.quotePrefix ?? null,
      quoteSuffix: c.anchor?.suffix ?? c.input.quoteSuffix ?? null,
      quoteVerified: c.anchor !== null,
      relaysClaimId: c.relays ? idOf(c.relays) : null,
      reason: null,
      editorId: actor.editorId,
      createdAt,
    };
    return { claim, revision };
  });
}

/** The batch's links as linkClaims makes them, in line order. */
function linkRowsOf(actor: Actor, linkLines: LinkLine[], idOf: (p: Pointer) => number, ids: number[], createdAt: Date): Link[] {
  return linkLines.map((l, i) => ({
    id: ids[i]!,
    fromClaimId: idOf(l.from),
    toClaimId: idOf(l.to),
    kind: l.input.kind,
    effectiveAt: l.effectiveAt!,
    note: l.input.note?.trim() || null,
    editorId: actor.editorId,
    createdAt,
  }));
}

/** Claims and their revisions in two statements, whatever their number; created_at takes its default. */
async function insertClaims(tx: Executor, made: { claim: Claim; revision: ClaimRevision }[]): Promise<void> {
  if (!made.length) return;
  const claimRows = made.map(({ claim: c }) => ({
    id: c.id,
    story_id: c.storyId,
    document_id: c.documentId,
    version_id: c.versionId,
    question_id: c.questionId,
    speaker: c.speaker,
    asserted_at: c.assertedAt.toISOString(),
  }));
  // Sent before the revisions' rows are made.
  const claimsInserted = tx
    .execute(
      sql`insert into claims (id, story_id, document_id, version_id, question_id, speaker, asserted_at)
          select id, story_id, document_id, version_id, question_id, speaker, asserted_at
          from ${jsonRecords(claimRows, sql`c(id int, story_id int, document_id int, version_id int, question_id int, speaker text, asserted_at timestamptz)`)}`,
    )
    .then(() => undefined);
  const revisionRows = made.map(({ revision: r }) => ({
    claim_id: r.claimId,
    text: r.text,
    quote: r.quote,
    quote_prefix: r.quotePrefix,
    quote_suffix: r.quoteSuffix,
    quote_verified: r.quoteVerified,
    relays_claim_id: r.relaysClaimId,
    editor_id: r.editorId,
  }));
  await allStatements([
    claimsInserted,
    tx.execute(sql`
      insert into claim_revisions (claim_id, revision, text, quote, quote_prefix, quote_suffix, quote_verified, relays_claim_id, editor_id)
      select claim_id, 1, text, quote, quote_prefix, quote_suffix, quote_verified, relays_claim_id, editor_id
      from ${jsonRecords(revisionRows, sql`r(claim_id int, text text, quote text, quote_prefix text, quote_suffix text, quote_verified boolean, relays_claim_id int, editor_id int)`)}`),
  ]);
}

/** Links in one statement; created_at takes its default. */
async function insertLinks(tx: Executor, made: Link[]): Promise<void> {
  if (!made.length) return;
  const linkRows = made.map((l) => ({
    id: l.id,
    from_claim_id: l.fromClaimId,
    to_claim_id: l.toClaimId,
    kind: l.kind,
    effective_at: l.effectiveAt.toISOString(),
    note: l.note,
    editor_id: l.editorId,
  }));
  await tx.execute(sql`
    insert into links (id, from_claim_id, to_claim_id, kind, effective_at, note, editor_id)
    select id, from_claim_id, to_claim_id, kind, effective_at, note, editor_id
    from ${jsonRecords(linkRows, sql`l(id int, from_claim_id int, to_claim_id int, kind link_kind, effective_at timestamptz, note text, editor_id int)`)}`);
}
