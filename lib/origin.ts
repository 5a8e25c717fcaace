import { env } from "@/lib/env";

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** What is read of a request's headers: Headers, or a lookup over Node's header object. */
type HeaderLookup = Pick<Headers, "get">;

const first = (headers: HeaderLookup, name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;

/** Whether the client's request came over HTTPS: directly, or as the first of the protocols a proxy forwarded. */
export const isHttps = (headers: HeaderLookup, url?: URL): boolean => url?.protocol === "https:" || first(headers, "x-forwarded-proto") === "https";

/**
 * The origin links and canonical addresses name: PUBLIC_URL when set (it should be in production),
 * else the host the request came to, as the proxy in front forwarded it. A malformed host falls
 * back to `fallback`, so a forged header cannot put markup or another scheme into a page.
 */
export function publicOrigin(headers: HeaderLookup, fallback = "http://localhost"): string {
  const configured = env().PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const host = first(headers, "x-forwarded-host") ?? first(headers, "host") ?? "";
  if (!HOST.test(host)) return new URL(fallback).origin;
  return `${isHttps(headers) ? "https" : "http"}://${host.toLowerCase()}`;
}
