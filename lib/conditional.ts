import { timeOf } from "@/lib/time";

/**
 * Whether a conditional GET may be answered 304. If-None-Match wins when present (weak
 * comparison); If-Modified-Since counts only without it.
 */
export function isNotModified(ifNoneMatch: string | null, ifModifiedSince: string | null, etag: string, lastModified: Date | null): boolean {
  if (ifNoneMatch !== null) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
    return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
  }
  if (ifModifiedSince === null || lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds: a change later within the same second still counts as one.
  return !Number.isNaN(since) && Math.floor(timeOf(lastModified) / 1000) * 1000 <= since;
}
