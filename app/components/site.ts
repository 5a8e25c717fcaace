import { headers } from "next/headers";
import { publicOrigin } from "@/lib/origin";

/** The origin pages are served from, for canonical links and structured data (lib/origin.ts). */
export async function siteOrigin(): Promise<string> {
  return publicOrigin(await headers());
}
