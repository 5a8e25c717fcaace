import type { z } from "zod";
import { getDb, type Db } from "@/db";
import type { Editor } from "@/db/schema";
import { actorOf } from "@/lib/auth/editors";
import { take, tooManyWrites, writeLimit } from "@/lib/auth/rate-limit";
import { editorForToken, writerOfToken } from "@/lib/auth/tokens";
import type { Actor } from "@/lib/audit";
import { AppError, toAppError, type LineProblem } from "@/lib/errors";
import { MAX_BODY_BYTES } from "@/lib/validation";

type RawParams = Record<string, string | string[] | undefined>;
// Next passes no params to a route without dynamic segments, so they may be missing.
type Context = { params?: Promise<RawParams | undefined> };

/** A path segment and what it names, for the 404 a malformed one gets ("The claim was not found"). */
export type PathParam<S extends z.ZodType = z.ZodType> = { schema: S; what: string };
export const pathParam = <S extends z.ZodType>(schema: S, what: string): PathParam<S> => ({ schema, what });

/**
 * A body of JSON lines (NDJSON, `application/x-ndjson`): one value per line, each parsed with
 * `line`, within `maxLines` lines and `maxBytes` bytes. Blank lines are skipped but counted, so
 * line numbers are those an editor shows.
 */
export type NdjsonBody<S extends z.ZodType = z.ZodType> = { kind: "ndjson"; line: S; maxLines: number; maxBytes: number };
export const ndjson = <S extends z.ZodType>(line: S, limits: { maxLines: number; maxBytes: number }): NdjsonBody<S> => ({ kind: "ndjson", line, ...limits });

/**
 * One line of an NDJSON body: what its schema made of it, or what is wrong with it and the JSON it
 * held (if it was JSON), so that the caller can report every bad line at once, its own checks
 * included.
 */
export type NdjsonLine<T> = { line: number; value: T } | { line: number; problem: LineProblem; input: unknown };

/**
 * What an API route accepts, declared where OpenAPI collects it (lib/openapi.ts): its path
 * parameters, query and body schemas, whether it needs a write token, and its success status.
 */
export type EndpointSpec = {
  summary: string;
  /** Longer words for OpenAPI, where the summary and the schemas do not say enough. */
  description?: string;
  auth?: "write";
  params?: Record<string, PathParam>;
  query?: z.ZodObject;
  /** A JSON body's schema, or an NDJSON body's (`ndjson()`). */
  body?: z.ZodType | NdjsonBody;
  /** The status of a success: 200 unless said. */
  status?: number;
};

type Out<S, K extends string> = S extends Record<K, infer T>
  ? T extends NdjsonBody<infer L>
    ? NdjsonLine<z.output<L>>[]
    : T extends z.ZodType
      ? z.output<T>
      : never
  : undefined;
type ParamsOut<S extends EndpointSpec> = S["params"] extends Record<string, PathParam> ? { [K in keyof S["params"]]: z.output<S["params"][K]["schema"]> } : Record<string, never>;

export type EndpointInput<S extends EndpointSpec> = {
  req: Request;
  params: ParamsOut<S>;
  query: Out<S, "query">;
  body: Out<S, "body">;
} & (S["auth"] extends "write" ? { db: Db; editor: Editor; actor: Actor } : object);

export type Endpoint = ((req: Request, context?: Context) => Promise<Response>) & { spec: EndpointSpec };

/**
 * An API route handler: authorise (a write token is checked before the body is read, so an
 * anonymous write costs no parse), parse the path, query and body with the spec's schemas, call
 * `run`. Every failure becomes the JSON error shape, never a stack trace.
 */
export function endpoint<const S extends EndpointSpec>(spec: S, run: (input: EndpointInput<S>) => Promise<Response>): Endpoint {
  const handler = async (req: Request, context?: Context): Promise<Response> => {
    try {
      const writer = spec.auth === "write" ? await requireWriter(req) : {};
      const raw = (await context?.params) ?? {};
      const params = Object.fromEntries(Object.entries(spec.params ?? {}).map(([name, p]) => [name, readParam(raw[name], p)]));
      const query = spec.query ? readQuery(req, spec.query) : undefined;
      const body = spec.body ? await ("kind" in spec.body ? readNdjson(req, spec.body) : readBody(req, spec.body)) : undefined;
      return await run({ req, params, query, body, ...writer } as EndpointInput<S>);
    } catch (err) {
      return errorResponse(err);
    }
  };
  return Object.assign(handler, { spec });
}

/** A failure in the API's JSON error shape; a database outage or a rate limit says when to retry. */
export function errorResponse(err: unknown): Response {
  const error = toAppError(err);
  if (error.code === "internal") console.error(err);
  const retryAfter = error.code === "unavailable" ? 5 : error.code === "too_many_requests" ? error.details?.retryAfter : undefined;
  return error.toResponse(retryAfter === undefined ? undefined : { "Retry-After": String(retryAfter) });
}

/** The body as text, refused past `maxBytes` whether it declares its length or not. */
async function readText(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readLimited(req, maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "The body is not valid UTF-8.");
  }
}

/** Reads a JSON body within the size limit and parses it with the input's schema. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const text = await readText(req, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  return parsed.data;
}

/**
 * Reads an NDJSON body: each line parsed as JSON and then with the line's schema. A bad line does
 * not stop the reading; it comes back with its problem. Too many lines or bytes refuse the body.
 */
export async function readNdjson<S extends z.ZodType>(req: Request, spec: NdjsonBody<S>): Promise<NdjsonLine<z.output<S>>[]> {
  const text = await readText(req, spec.maxBytes);
  const out: NdjsonLine<z.output<S>>[] = [];
  for (const [index, content] of text.split("\n").entries()) {
    if (content.trim() === "") continue;
    if (out.length === spec.maxLines) {
      throw new AppError("payload_too_large", `The body has more than ${spec.maxLines.toLocaleString("en")} lines; line ${index + 1} is one too many.`);
    }
    const line = index + 1;
    let input: unknown;
    try {
      input = JSON.parse(content);
    } catch (err) {
      out.push({ line, problem: { line, message: `The line is not valid JSON: ${(err as Error).message}` }, input: undefined });
      continue;
    }
    const parsed = spec.line.safeParse(input);
    if (parsed.success) out.push({ line, value: parsed.data });
    else out.push({ line, problem: { line, message: "The line has invalid fields.", fields: AppError.fromZod(parsed.error).fields }, input });
  }
  if (!out.length) throw new AppError("unprocessable", "The body holds no lines: send one JSON object per line.");
  return out;
}

const tooLarge = (maxBytes: number) => new AppError("payload_too_large", `The body is larger than ${maxBytes.toLocaleString("en")} bytes.`);

async function readLimited(req: Request, maxBytes: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Parses query parameters; a malformed value is a 400 that says which one. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const error = AppError.fromZod(parsed.error, "The query has invalid values.");
    throw new AppError("bad_request", error.message, error.fields);
  }
  return parsed.data;
}

/** Parses a path segment; a malformed one is a 404, like an unknown one. */
function readParam(value: string | string[] | undefined, { schema, what }: PathParam): unknown {
  const parsed = schema.safeParse(typeof value === "string" ? value : undefined);
  if (!parsed.success) throw new AppError("not_found", `${what} was not found.`);
  return parsed.data;
}

/** The editor making a write: a live bearer token with the write scope, within the editor's write limit. */
async function requireWriter(req: Request): Promise<{ db: Db; editor: Editor; actor: Actor }> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("unauthorized", "Writes need an editor's token: Authorization: Bearer <token>.");
  const db = await getDb();
  // The write is counted against the editor's limit as the token is looked up, in a statement of
  // its own that counts only for a live write token.
  const limit = writeLimit();
  const [found, verdict] = await Promise.all([editorForToken(db, match[1]!), take(db, limit, writerOfToken(db, match[1]!))]);
  if (!found) throw new AppError("unauthorized", "The token is unknown, revoked, or its editor is disabled.");
  if (found.scope !== "write") throw new AppError("forbidden", "This token may read but not write.");
  if (!verdict.allowed) throw tooManyWrites(limit, verdict.retryAfter);
  return { db, editor: found.editor, actor: actorOf(found.editor) };
}

export const json = (data: unknown, status = 200, headers?: HeadersInit): Response => Response.json(data, { status, headers });

/** JSON already serialised, as the read cache keeps it. */
export const jsonText = (text: string) => new Response(text, { headers: { "content-type": "application/json" } });
