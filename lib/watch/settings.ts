import { env } from "@/lib/env";
import { addressPolicy } from "./address";
import type { FetchLimits } from "./fetch";

export type WatcherSettings = {
  limits: FetchLimits;
  /** The least time between two requests to one host; a longer Crawl-delay wins. */
  hostIntervalMs: number;
  concurrency: number;
};

/** The name and address the watcher gives every site it fetches from, so its owners know whom to ask. */
export function userAgent(publicUrl: string | undefined): string {
  const home = publicUrl ? publicUrl.replace(/\/+$/, "") : null;
  return `Claimtrail/1.0 (news claim tracker; +${home ? `${home}/watcher` : "no public address configured"})`;
}

let cached: WatcherSettings | undefined;

/** The watcher's settings from the environment (.env.example documents each). */
export function watcherSettings(): WatcherSettings {
  if (cached) return cached;
  const config = env();
  cached = {
    limits: {
      policy: addressPolicy(config.CAPTURE_ALLOW_PRIVATE_HOSTS),
      userAgent: userAgent(config.PUBLIC_URL),
      totalMs: config.CAPTURE_TIMEOUT_MS,
      connectMs: config.CAPTURE_CONNECT_TIMEOUT_MS,
      maxBytes: config.CAPTURE_MAX_BYTES,
    },
    hostIntervalMs: config.CAPTURE_HOST_INTERVAL_MS,
    concurrency: config.CAPTURE_CONCURRENCY,
  };
  return cached;
}
