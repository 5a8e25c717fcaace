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

/**
 * Whether an answer is worth compressing: text, JSON, XML, SVG or a citation format, of more than
 * about a packet. Images are compressed already.
 */
export const worthCompressing = (contentType: string | null | undefined, byteLength: number): boolean =>
  byteLength > 1024 && /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|x-ndjson)|application\/x-(?:bibtex|research-info-systems)|image\/svg\+xml)/.test(contentType ?? "");

/**
 * Whether a client's Accept-Encoding takes a content coding: named, or by `*`, with a quality
 * above 0. No header takes none but the bytes as they are.
 */
export function acceptsCoding(accepted: string | undefined, coding: string): boolean {
  if (!accepted) return false;
  let wildcard = 0;
  for (const item of accepted.split(",")) {
    const [name, ...params] = item.trim().toLowerCase().split(";");
    if (name !== coding && name !== "*") continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    const quality = q === undefined ? 1 : Number(q);
    if (name === coding) return quality > 0;
    wildcard = quality;
  }
  return wildcard > 0;
}
