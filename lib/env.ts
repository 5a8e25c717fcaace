import { z } from "zod";
import { databaseEnv, parseEnv } from "@/db/config";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = databaseEnv.extend({
  SEED_ON_START: booleanFlag.default(true),
  SEED_DIR: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAGE_CACHE: booleanFlag.default(true),
  // Proxies of the deployment's own in front of the server (nginx, a load balancer): the client's
  // address is the one the outermost of them saw. 0 reads the connection alone.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Writes an editor may make a minute, through the API and the forms together (a batch is one),
  // counted in the database so that every instance shares them.
  WRITE_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
  // The watcher (lib/watch/): whether `npm start` runs it, and the bounds of what it fetches.
  WATCHER: booleanFlag.default(true),
  CAPTURE_ALLOW_PRIVATE_HOSTS: z
    .string()
    .regex(/^(?:0|1|[a-z0-9.:-]+(?:,[a-z0-9.:-]+)*)$/i, "is 0, 1, or a comma-separated list of host names")
    .default("0"),
  CAPTURE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  CAPTURE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  CAPTURE_MAX_BYTES: z.coerce.number().int().min(10_000).max(100_000_000).default(5_000_000),
  CAPTURE_HOST_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  CAPTURE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Reads and validates the environment once; a bad value stops the process with the variable's name. */
export function env(): Env {
  cached ??= parseEnv(envSchema);
  return cached;
}
