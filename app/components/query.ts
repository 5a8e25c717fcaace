import { z } from "zod";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export type QueryResult<T> = { data: T; problems: string[] };

/**
 * Reads a page's query with its schema. A malformed value never fails the page: it is left
 * out (so the page shows its default) and its message is returned for the page to show.
 */
export async function readSearchParams<S extends z.ZodObject>(searchParams: SearchParams, schema: S): Promise<QueryResult<z.output<S>>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(await searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "" && key in schema.shape) raw[key] = first;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { data: parsed.data, problems: [] };
  const problems: string[] = [];
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === "string" && key in raw) delete raw[key];
    problems.push(issue.message);
  }
  const retry = schema.safeParse(raw);
  // The schemas here make every field optional, so dropping the bad ones always parses.
  return { data: (retry.success ? retry.data : schema.parse({})) as z.output<S>, problems };
}

/** A path with a query string, leaving out empty values. */
export function hrefWith(path: string, params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
