// What the server in front of Next (server.ts) decides before the framework sees a request: which
// requests are for this site at all, who sent them, and the headers no response goes without.

/** The server process's title. */
export const SERVER_TITLE = "claimtrail-server";

/**
 * The path a request asks for, or null when it asks for another site. A target in absolute form
 * (`GET http://elsewhere/…`, as a proxy is asked) names its host itself: it must be the host the
 * request was sent to, and is then read as its path, so nothing downstream sees the other name.
 */
export function ownTarget(target: string, host: string | undefined): string | null {
  if (target.startsWith("/")) return target;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !host || url.host !== hostOf(host)) return null;
  return `${url.pathname}${url.search}`;
}

/** A Host header as a URL names it (lower case, default port dropped), or null when it names nothing. */
function hostOf(header: string): string | null {
  try {
    return new URL(`http://${header}`).host;
  } catch {
    return null;
  }
}

/**
 * The client's address: the connection's peer, or behind `hops` proxies of the deployment's own,
 * the address the outermost of them was connected from. Each proxy appends its peer's address to
 * X-Forwarded-For, so only the last `hops` entries were written by trusted proxies; what comes
 * before them is the client's to make up, and is never read.
 */
export function clientAddressOf(peer: string, forwardedFor: string | string[] | undefined, hops: number): string {
  if (hops === 0) return peer;
  const entries = [forwardedFor ?? []]
    .flat()
    .flatMap((h) => h.split(","))
    .map((e) => e.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - hops)] ?? peer;
}
