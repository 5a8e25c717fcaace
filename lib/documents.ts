import { and, asc, desc, eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { documents, documentVersions, outlets, type Document, type DocumentVersion, type Outlet } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { memo } from "@/lib/cache";
import { diffWords } from "@/lib/diff/words";
import { AppError, notFound } from "@/lib/errors";
import { checkQuotes } from "@/lib/claims/quote-checks";
import { recordNotices } from "@/lib/notices";
import { enqueueWebhookEvent } from "@/lib/webhooks";
import { findOrCreateOutlet, getOutletBySlug, outletForUrl } from "@/lib/outlets";
import { sha256 } from "@/lib/sha256";
import type { DocumentInput, SourceInput, VersionInput } from "@/lib/validation";

/**
 * Creates a document, or returns the one already known under the same normalised URL.
 * `discoveredAt` marks one the watcher found in its outlet's feed, for an editor to look at.
 */
export async function createDocument(db: Executor, actor: Actor, input: DocumentInput, discoveredAt: Date | null = null): Promise<{ document: Document; created: boolean }> {
  return db.transaction(async (tx) => {
    if (input.url) {
      const [existing] = await tx.select().from(documents).where(eq(documents.url, input.url)).limit(1);
      if (existing) return { document: existing, created: false };
    }
    const outlet =
      input.outlet === undefined
        ? await outletForUrl(tx, actor, input.url!)
        : typeof input.outlet === "string"
          ? await getOutletBySlug(tx, input.outlet)
          : (await findOrCreateOutlet(tx, actor, input.outlet)).outlet;
    const [document] = await tx
      .insert(documents)
      .values({
        outletId: outlet.id,
        url: input.url ?? null,
        title: input.title.trim(),
        authors: input.authors ?? [],
        publishedAt: input.publishedAt.date,
        precision: input.precision ?? input.publishedAt.precision,
        kind: input.kind ?? "article",
        discoveredAt,
      })
      .returning();
    await appendAudit(tx, actor, [{ action: "create", entity: "document", entityId: document!.id, after: document }]);
    return { document: document!, created: true };
  });
}

/** Appends a version of a document's text; `captureId` names the watcher's capture that found it. */
export async function addVersion(db: Executor, actor: Actor, documentId: number, input: VersionInput, captureId: number | null = null): Promise<DocumentVersion> {
  return db.transaction(async (tx) => {
    const [document] = await tx.select({ id: documents.id }).from(documents).where(eq(documents.id, documentId)).for("update");
    if (!document) throw notFound(`Document ${documentId}`);
    const [version] = await tx
      .insert(documentVersions)
      .values({ documentId, text: input.text, sha256: sha256(input.text), seenAt: input.seenAt, note: input.note ?? null, captureId })
      .returning();
    const { text: _text, ...summary } = version!;
    await appendAudit(tx, actor, [{ action: "create", entity: "document_version", entityId: version!.id, after: summary }]);
    await enqueueWebhookEvent(tx, {
      id: `urn:claimtrail:version:${version!.id}`,
      type: "version",
      claimIds: [],
      documentIds: [documentId],
      data: { versionId: version!.id, documentId, seenAt: version!.seenAt, note: version!.note, captureId: version!.captureId },
    });
    // What the new text did to the quotes claims take from the document, and any notice it added.
    await checkQuotes(tx, documentId);
    await recordNotices(tx, version!);
    return version!;
  });
}

/** A source as an editor adds it: the document (or the one known by its URL) and, when given, its text as a new version; all or nothing. */
export async function addSource(db: Executor, actor: Actor, input: SourceInput): Promise<{ document: Document; created: boolean }> {
  return db.transaction(async (tx) => {
    const result = await createDocument(tx, actor, input.document);
    if (input.version) await addVersion(tx, actor, result.document.id, input.version);
    return result;
  });
}

export type DocumentView = Document & { outlet: Outlet; versions: DocumentVersion[] };

export async function getDocument(db: Executor, id: number): Promise<DocumentView> {
  const [row] = await db.select().from(documents).innerJoin(outlets, eq(outlets.id, documents.outletId)).where(eq(documents.id, id));
  if (!row) throw notFound(`Document ${id}`);
  const versions = await db
    .select()
    .from(documentVersions)
    .where(eq(documentVersions.documentId, id))
    .orderBy(asc(documentVersions.seenAt), asc(documentVersions.id));
  return { ...row.documents, outlet: row.outlets, versions };
}

export const notAVersion = (documentId: number, versionId: number) =>
  new AppError("unprocessable", `Version ${versionId} is not a version of document ${documentId}.`, { versionId: ["Not a version of this document."] });

export async function findVersion(db: Executor, documentId: number, versionId: number): Promise<DocumentVersion | null> {
  const [version] = await db
    .select()
    .from(documentVersions)
    .where(and(eq(documentVersions.id, versionId), eq(documentVersions.documentId, documentId)));
  return version ?? null;
}

export async function latestVersion(db: Executor, documentId: number): Promise<DocumentVersion | null> {
  const [latest] = await db
    .select()
    .from(documentVersions)
    .where(eq(documentVersions.documentId, documentId))
    .orderBy(desc(documentVersions.seenAt), desc(documentVersions.id))
    .limit(1);
  return latest ?? null;
}

/** The version a claim is read against: the one named, which must belong to the document, else the latest seen. */
export async function resolveVersion(db: Executor, documentId: number, versionId?: number): Promise<DocumentVersion | null> {
  if (versionId === undefined) return latestVersion(db, documentId);
  const version = await findVersion(db, documentId, versionId);
  if (!version) throw notAVersion(documentId, versionId);
  return version;
}

export async function diffDocumentVersions(db: Executor, documentId: number, fromId: number, toId: number) {
  const [from, to] = await Promise.all([resolveVersion(db, documentId, fromId), resolveVersion(db, documentId, toId)]);
  return { from: from!, to: to!, ops: diffWords(from!.text, to!.text) };
}

/** A document with its versions, cached until the next write. */
export const readDocument = (id: number): Promise<DocumentView> => memo(`document|${id}`, async () => getDocument(await getDb(), id));

/** Two versions of a document and the word diff between them. */
export const readVersionDiff = (documentId: number, fromId: number, toId: number) =>
  memo(`version-diff|${documentId}|${fromId}|${toId}`, async () => diffDocumentVersions(await getDb(), documentId, fromId, toId));
