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
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Reads and validates the environment once; a bad value stops the process with the variable's name. */
export function env(): Env {
  cached ??= parseEnv(envSchema);
  return cached;
}
