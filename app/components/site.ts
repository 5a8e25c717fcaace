import { headers } from "next/headers";
import { env } from "@/lib/env";

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The origin pages are served from, for canonical links and structured data: PUBLIC_URL when
 * set (it should be in production), else the request's own host.
 */
export async function siteOrigin(): Promise<string> {
  const configured = env().PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() ?? h.get("host") ?? "";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return HOST.test(host) ? `${proto}://${host}` : "http://localhost";
}
