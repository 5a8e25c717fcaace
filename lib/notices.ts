import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Executor } from "@/db";
import { documentVersions, versionNotices, type DocumentVersion } from "@/db/schema";

// Notices a newsroom puts on an article it changed: "Update:", "Correction:", "Editor's note:",
// "An earlier version of this article…". Found in what a new version added, they are marked and
// quoted, for an editor to link as a correction.

export type NoticeKind = "update" | "correction" | "clarification" | "editor's note" | "earlier version";

const MARKERS: [RegExp, NoticeKind][] = [
  [/\b(?:correction|corrected)\s*(?:\([^)]{0,40}\))?\s*:/i, "correction"],
  [/\bclarification\s*(?:\([^)]{0,40}\))?\s*:/i, "clarification"],
  [/\beditor[’']?s\s+note\s*(?:\([^)]{0,40}\))?\s*:/i, "editor's note"],
  [/\ban earlier version of this (?:article|story|report|piece|post)\b/i, "earlier version"],
  [/\b(?:update|updated)\s*(?:\([^)]{0,40}\))?\s*:/i, "update"],
];

const paragraphs = (text: string) => text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, " ").trim()).filter(Boolean);

/** The notices in the paragraphs `after` has and `before` has not, each quoted from its marker on. */
export function noticesAdded(before: string | null, after: string): { kind: NoticeKind; notice: string }[] {
  const had = new Set(before === null ? [] : paragraphs(before));
  const found: { kind: NoticeKind; notice: string }[] = [];
  for (const paragraph of paragraphs(after)) {
    if (had.has(paragraph)) continue;
    for (const [marker, kind] of MARKERS) {
      const at = marker.exec(paragraph);
      if (!at) continue;
      found.push({ kind, notice: paragraph.slice(at.index, at.index + 1000) });
      break;
    }
  }
  return found;
}

/** Records the notices a new version added, against the version seen before it. */
export async function recordNotices(tx: Executor, version: DocumentVersion): Promise<void> {
  const [previous] = await tx
    .select({ text: documentVersions.text })
    .from(documentVersions)
    .where(
      and(
        eq(documentVersions.documentId, version.documentId),
        or(lt(documentVersions.seenAt, version.seenAt), and(eq(documentVersions.seenAt, version.seenAt), lt(documentVersions.id, version.id))),
      ),
    )
    .orderBy(desc(documentVersions.seenAt), desc(documentVersions.id))
    .limit(1);
  const notices = noticesAdded(previous?.text ?? null, version.text);
  // A first version's notices are part of the article as first seen, not a change to it.
  if (!previous || !notices.length) return;
  await tx.insert(versionNotices).values(notices.map((n) => ({ versionId: version.id, kind: n.kind, notice: n.notice })));
}
