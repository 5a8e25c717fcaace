import { z } from "zod";

/** The variables that choose and size the database; the app's own settings extend these (lib/env.ts). */
export const databaseEnv = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" })
    .optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});

export type DatabaseEnv = z.infer<typeof databaseEnv>;

/** Variables as the process has them, empty ones left out so that defaults apply. */
export const setVariables = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));

/** Parses `schema` from the environment; a bad value throws, naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S): z.output<S> {
  const parsed = schema.safeParse(setVariables());
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
