import { and, desc, eq, sql } from "drizzle-orm";
import { lockUntilCommit, rows, toDate, type Executor } from "@/db";
import { claimRevisions, claims, documents, documentVersions, links, questions, quoteChecks, stories, type Claim, type ClaimRevision, type Link } from "@/db/schema";
import { appendAudit, type Actor, type AuditEntry } from "@/lib/audit";
import { notAVersion, resolveVersion } from "@/lib/documents";
import { AppError, notFound } from "@/lib/errors";
import { REPLACING_KINDS_SQL, replaces } from "@/lib/links";
import { requireAnchor } from "@/lib/quotes";
import { checkQuotes } from "./quote-checks";
import { enqueueWebhookEvent, type WebhookEventInput } from "@/lib/webhooks";
import { recordRelayChange, recordStatusChanges, standingsBelow } from "./status-events";
import type { ClaimInput, ClaimPatch, LinkInput } from "@/lib/validation";

export type ClaimWithRevision = Claim & { current: ClaimRevision };

/** What a new claim leaves behind besides its rows: its audit event and its webhook event. */
export const claimCreated = (storySlug: string, claim: Claim, revision: ClaimRevision): { audit: AuditEntry; event: WebhookEventInput } => ({
  audit: { action: "create", entity: "claim", entityId: claim.id, after: { ...claim, current: revision } },
  event: {
    id: `urn:claimtrail:claim:${claim.id}`,
    type: "claim",
    claimIds: [claim.id],
    documentIds: [],
    data: { claimId: claim.id, story: storySlug, documentId: claim.documentId, text: revision.text, quote: revision.quote, relaysClaimId: revision.relaysClaimId, assertedAt: claim.assertedAt },
  },
});

/** What a new link leaves behind besides its row (its status events aside). */
export const linkCreated = (link: Link): { audit: AuditEntry; event: WebhookEventInput } => ({
  audit: { action: "create", entity: "link", entityId: link.id, after: link },
  event: {
    id: `urn:claimtrail:link:${link.id}`,
    type: "link",
    claimIds: [link.fromClaimId, link.toClaimId],
    documentIds: [],
    data: { linkId: link.id, kind: link.kind, fromClaimId: link.fromClaimId, toClaimId: link.toClaimId, effectiveAt: link.effectiveAt, note: link.note },
  },
});

async function currentRevision(db: Executor, claim: Claim): Promise<ClaimRevision> {
  const [rev] = await db
    .select()
    .from(claimRevisions)
    .where(and(eq(claimRevisions.claimId, claim.id), eq(claimRevisions.revision, claim.revision)));
  return rev!;
}

export async function getClaimRow(db: Executor, id: number, forUpdate = false): Promise<Claim> {
  const query = db.select().from(claims).where(eq(claims.id, id));
  const [claim] = forUpdate ? await query.for("update") : await query;
  if (!claim) throw notFound(`Claim ${id}`);
  return claim;
}

/** A new claim at revision 1; with `link`, linked to an older claim in the same transaction, so a refused link saves nothing. */
export async function createClaim(db: Executor, actor: Actor, storySlug: string, input: ClaimInput, link?: LinkInput): Promise<ClaimWithRevision> {
  return db.transaction(async (tx) => {
    const quote = input.quote?.length ? input.quote : null;
    // The reads that check the input do not depend on each other: sent together, they take one
    // round trip. Their answers are then checked in the order a caller would fix them. The new
    // claim's id and the transaction's time come with them, so that its rows, its audit event and
    // its webhook event can all go in the next round trip.
    const [[story], [document], [version], [newest], [question], [origin], [next]] = await Promise.all([
      tx.select({ id: stories.id }).from(stories).where(eq(stories.slug, storySlug)),
      tx.select({ id: documents.id, publishedAt: documents.publishedAt }).from(documents).where(eq(documents.id, input.documentId)),
      citedVersion(tx, input.documentId, input.versionId, quote !== null),
      // Whether a quote taken from a version named has newer versions to be looked for in.
      input.versionId === undefined || !quote ? [] : newestVersionId(tx, input.documentId),
      input.questionId === undefined ? [] : tx.select({ storyId: questions.storyId }).from(questions).where(eq(questions.id, input.questionId)),
      input.relaysClaimId == null ? [] : tx.select({ id: claims.id }).from(claims).where(eq(claims.id, input.relaysClaimId)),
      rows<{ id: number; now: Date | string }>(tx, sql`select nextval(pg_get_serial_sequence('claims', 'id'))::int as id, now() as now`),
    ]);
    if (!story) throw notFound(`The story "${storySlug}"`);
    if (!document) throw new AppError("unprocessable", `Document ${input.documentId} does not exist.`, { documentId: ["No such document."] });
    if (input.questionId !== undefined && question?.storyId !== story.id) {
      throw new AppError("unprocessable", `Question ${input.questionId} is not a question of this story.`, { questionId: ["Not a question of this story."] });
    }
    if (input.relaysClaimId != null && !origin) {
      throw new AppError("unprocessable", `Claim ${input.relaysClaimId} does not exist.`, { relaysClaimId: ["No such claim."] });
    }
    if (input.versionId !== undefined && !version) throw notAVersion(input.documentId, input.versionId);
    const anchor = quote && version ? requireAnchor(version.text!, quote, { prefix: input.quotePrefix, suffix: input.quoteSuffix }, version.id) : null;

    // The rows as the database will hold them: created_at defaults to the transaction's time,
    // which `now` is, so nothing needs reading back.
    const createdAt = toDate(next!.now);
    const claim: Claim = {
      id: Number(next!.id),
      storyId: story.id,
      documentId: document.id,
      versionId: version?.id ?? null,
      questionId: input.questionId ?? null,
      speaker: input.speaker?.trim() || null,
      assertedAt: input.assertedAt ?? version?.seenAt ?? document.publishedAt,
      revision: 1,
      createdAt,
    };
    const revision: ClaimRevision = {
      claimId: claim.id,
      revision: 1,
      text: input.text.trim(),
      quote,
      quotePrefix: anchor?.prefix ?? input.quotePrefix ?? null,
      quoteSuffix: anchor?.suffix ?? input.quoteSuffix ?? null,
      quoteVerified: anchor !== null,
      relaysClaimId: input.relaysClaimId ?? null,
      reason: null,
      editorId: actor.editorId,
      createdAt,
    };
    const { createdAt: _claimTime, ...claimRow } = claim;
    const { createdAt: _revisionTime, ...revisionRow } = revision;
    const created = claimCreated(storySlug, claim, revision);
    // Sent in this order and answered in one round trip: the rows first (started here, as the
    // statements below are started when called), since the webhook's scope reads the claim's row.
    const written = Promise.all([tx.insert(claims).values(claimRow), tx.insert(claimRevisions).values(revisionRow)]);
    await Promise.all([written, appendAudit(tx, actor, [created.audit]), enqueueWebhookEvent(tx, created.event)]);
    // A quote taken from an older version is looked for in the newer ones at once (the latest
    // has none to be looked for in).
    if (anchor && version && newest && newest.id !== version.id) await checkQuotes(tx, document.id, [claim.id]);
    if (link) await linkClaims(tx, actor, claim.id, link);
    return { ...claim, current: revision };
  });
}

/**
 * The version a claim cites: the one named, if it is the document's, else the latest seen; with
 * its text only when a quote is to be found in it (a source's text may run to 500,000 characters).
 */
function citedVersion(tx: Executor, documentId: number, versionId: number | undefined, withText: boolean) {
  const query = tx
    .select({ id: documentVersions.id, seenAt: documentVersions.seenAt, text: withText ? documentVersions.text : sql<string | null>`null` })
    .from(documentVersions);
  if (versionId !== undefined) return query.where(and(eq(documentVersions.id, versionId), eq(documentVersions.documentId, documentId)));
  return query.where(eq(documentVersions.documentId, documentId)).orderBy(desc(documentVersions.seenAt), desc(documentVersions.id)).limit(1);
}

const newestVersionId = (tx: Executor, documentId: number) =>
  tx
    .select({ id: documentVersions.id })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, documentId))
    .orderBy(desc(documentVersions.seenAt), desc(documentVersions.id))
    .limit(1);

/** A claim may relay any other claim but itself or one that, up its own chain, relays it. */
async function checkRelayTarget(tx: Executor, claimId: number, targetId: number): Promise<void> {
  if (targetId === claimId) throw new AppError("unprocessable", "A claim cannot relay itself.", { relaysClaimId: ["Pick another claim."] });
  if (!(await tx.select({ id: claims.id }).from(claims).where(eq(claims.id, targetId))).length) {
    throw new AppError("unprocessable", `Claim ${targetId} does not exist.`, { relaysClaimId: ["No such claim."] });
  }
  // Two edits at once could each close half of a loop: they take turns.
  await lockUntilCommit(tx, "relays");
  const chain = await rows<{ id: number }>(
    tx,
    sql`with recursive up(id, depth) as (
          select ${targetId}::int, 0
          union
          select r.relays_claim_id, up.depth + 1 from up
          join claims c on c.id = up.id
          join claim_revisions r on r.claim_id = c.id and r.revision = c.revision
          where r.relays_claim_id is not null and up.depth < 100
        ) select id from up`,
  );
  if (chain.some((r) => Number(r.id) === claimId)) {
    throw new AppError("unprocessable", `Claim ${targetId} already relays claim ${claimId}, up its chain: relays cannot form a cycle.`, { relaysClaimId: ["This would make a cycle."] });
  }
}

/** An edit is a new revision; it must name the revision it started from, or nothing is written. */
export async function reviseClaim(db: Executor, actor: Actor, claimId: number, patch: ClaimPatch): Promise<ClaimWithRevision> {
  return db.transaction(async (tx) => {
    const claim = await getClaimRow(tx, claimId, true);
    const before = await currentRevision(tx, claim);
    if (claim.revision !== patch.baseRevision) {
      throw new AppError("conflict", `Claim ${claimId} was edited since revision ${patch.baseRevision}; it is now at revision ${claim.revision}.`, undefined, {
        current: before,
      });
    }
    let quote = before.quote;
    let prefix = before.quotePrefix;
    let suffix = before.quoteSuffix;
    let verified = before.quoteVerified;
    if (patch.quote !== undefined) {
      quote = patch.quote.length ? patch.quote : null;
      const version = claim.versionId ? await resolveVersion(tx, claim.documentId, claim.versionId) : null;
      const anchor = quote && version ? requireAnchor(version.text, quote, { prefix: patch.quotePrefix, suffix: patch.quoteSuffix }, version.id) : null;
      prefix = anchor?.prefix ?? patch.quotePrefix ?? null;
      suffix = anchor?.suffix ?? patch.quoteSuffix ?? null;
      verified = anchor !== null;
    }
    const relays = patch.relaysClaimId === undefined ? before.relaysClaimId : patch.relaysClaimId;
    const relayChanged = relays !== before.relaysClaimId;
    if (relayChanged && relays !== null) await checkRelayTarget(tx, claimId, relays);
    const standings = relayChanged ? await standingsBelow(tx, claimId) : null;
    const next = claim.revision + 1;
    const [bumped] = await tx
      .update(claims)
      .set({ revision: next })
      .where(and(eq(claims.id, claimId), eq(claims.revision, patch.baseRevision)))
      .returning();
    if (!bumped) throw new AppError("conflict", `Claim ${claimId} was edited meanwhile.`, undefined, { current: before });
    const [revision] = await tx
      .insert(claimRevisions)
      .values({
        claimId,
        revision: next,
        text: patch.text?.trim() ?? before.text,
        quote,
        quotePrefix: prefix,
        quoteSuffix: suffix,
        quoteVerified: verified,
        relaysClaimId: relays,
        reason: patch.reason.trim(),
        editorId: actor.editorId,
      })
      .returning();
    await appendAudit(tx, actor, [{ action: "revise", entity: "claim", entityId: claimId, before, after: revision }]);
    if (patch.quote !== undefined && verified) await checkQuotes(tx, claim.documentId, [claimId]);
    if (standings) await recordRelayChange(tx, claimId, standings, revision!.createdAt);
    return { ...bumped, current: revision! };
  });
}

export async function linkClaims(db: Executor, actor: Actor, fromClaimId: number, input: LinkInput): Promise<Link> {
  return db.transaction(async (tx) => {
    if (fromClaimId === input.targetClaimId) {
      throw new AppError("unprocessable", "A claim cannot be linked to itself.", { targetClaimId: ["Pick another claim."] });
    }
    const from = await getClaimRow(tx, fromClaimId);
    const [target] = await tx.select().from(claims).where(eq(claims.id, input.targetClaimId));
    if (!target) throw new AppError("unprocessable", `Claim ${input.targetClaimId} does not exist.`, { targetClaimId: ["No such claim."] });
    if (from.assertedAt < target.assertedAt) {
      throw new AppError("unprocessable", `A link goes from the newer claim to the older: claim ${fromClaimId} predates claim ${target.id}.`, {
        targetClaimId: ["The target must not be newer than the linking claim."],
      });
    }
    const [duplicate] = await tx
      .select({ id: links.id })
      .from(links)
      .where(and(eq(links.fromClaimId, fromClaimId), eq(links.toClaimId, target.id), eq(links.kind, input.kind)));
    if (duplicate) throw new AppError("conflict", `Claim ${fromClaimId} already ${input.kind} claim ${target.id}.`, { kind: ["This link exists."] });
    // A chain of replacements must not loop back: the newer claim would replace itself.
    if (replaces(input.kind)) {
      await lockUntilCommit(tx, "replacingLinks");
      const loop = await rows<{ id: number }>(
        tx,
        sql`with recursive reach(id) as (
              select ${target.id}::int
              union
              select l.to_claim_id from links l join reach on l.from_claim_id = reach.id
              where l.kind in (${REPLACING_KINDS_SQL})
            )
            select id from reach where id = ${fromClaimId} limit 1`,
      );
      if (loop.length) {
        throw new AppError("unprocessable", `Claim ${target.id} already replaces claim ${fromClaimId}: corrections cannot form a cycle.`, {
          targetClaimId: ["This would make a cycle."],
        });
      }
    }
    const [link] = await tx
      .insert(links)
      .values({
        fromClaimId,
        toClaimId: target.id,
        kind: input.kind,
        effectiveAt: input.effectiveAt ?? from.assertedAt,
        note: input.note?.trim() || null,
        editorId: actor.editorId,
      })
      .returning();
    const created = linkCreated(link!);
    await Promise.all([appendAudit(tx, actor, [created.audit]), enqueueWebhookEvent(tx, created.event)]);
    await recordStatusChanges(tx, link!);
    return link!;
  });
}

/**
 * Takes the reworded passage a check found as the claim's quote, anchored in that version: a new
 * revision, made only when an editor confirms it (lib/inbox.ts), and only if the claim was not
 * edited since the check.
 */
export async function reanchorQuote(db: Executor, actor: Actor, checkId: number): Promise<ClaimWithRevision> {
  return db.transaction(async (tx) => {
    const [check] = await tx.select().from(quoteChecks).where(eq(quoteChecks.id, checkId));
    if (!check || check.state !== "changed" || check.found === null || check.start === null || check.end === null) {
      throw new AppError("unprocessable", `Check ${checkId} found no new wording to take.`);
    }
    const claim = await getClaimRow(tx, check.claimId, true);
    const before = await currentRevision(tx, claim);
    if (claim.revision !== check.revision) throw new AppError("conflict", `Claim ${claim.id} was edited since; look at its quote again.`, undefined, { current: before });
    const [version] = await tx.select().from(documentVersions).where(eq(documentVersions.id, check.versionId));
    const next = claim.revision + 1;
    const [bumped] = await tx.update(claims).set({ revision: next, versionId: check.versionId }).where(and(eq(claims.id, claim.id), eq(claims.revision, claim.revision))).returning();
    const [revision] = await tx
      .insert(claimRevisions)
      .values({
        claimId: claim.id,
        revision: next,
        text: before.text,
        quote: check.found,
        quotePrefix: version!.text.slice(Math.max(0, check.start - 32), check.start),
        quoteSuffix: version!.text.slice(check.end, check.end + 32),
        quoteVerified: true,
        relaysClaimId: before.relaysClaimId,
        reason: `The source reworded the passage; its new wording, from version ${check.versionId}, taken as the quote.`,
        editorId: actor.editorId,
      })
      .returning();
    await appendAudit(tx, actor, [{ action: "revise", entity: "claim", entityId: claim.id, before, after: revision }]);
    await checkQuotes(tx, claim.documentId, [claim.id]);
    return { ...bumped!, current: revision! };
  });
}
