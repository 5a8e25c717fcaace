import type { z } from "zod";
import { getDb, type Db } from "@/db";
import type { Editor } from "@/db/schema";
import { actorOf } from "@/lib/auth/editors";
import { editorForToken } from "@/lib/auth/tokens";
import type { Actor } from "@/lib/audit";
import { AppError, toAppError } from "@/lib/errors";
import { MAX_BODY_BYTES } from "@/lib/validation";

type RawParams = Record<string, string | string[] | undefined>;
// Next passes no params to a route without dynamic segments, so they may be missing.
type Context = { params?: Promise<RawParams | undefined> };

/** A path segment and what it names, for the 404 a malformed one gets ("The claim was not found"). */
export type PathParam<S extends z.ZodType = z.ZodType> = { schema: S; what: string };
export const pathParam = <S extends z.ZodType>(schema: S, what: string): PathParam<S> => ({ schema, what });

/**
 * What an API route accepts, declared where OpenAPI collects it (lib/openapi.ts): its path
 * parameters, query and body schemas, whether it needs a write token, and its success status.
 */
export type EndpointSpec = {
  summary: string;
  auth?: "write";
  params?: Record<string, PathParam>;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The status of a success: 200 unless said. */
  status?: number;
};

type Out<S, K extends string> = S extends Record<K, infer T> ? (T extends z.ZodType ? z.output<T> : never) : undefined;
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
      const body = spec.body ? await readBody(req, spec.body) : undefined;
      return await run({ req, params, query, body, ...writer } as EndpointInput<S>);
    } catch (err) {
      return errorResponse(err);
    }
  };
  return Object.assign(handler, { spec });
}

/** A failure in the API's JSON error shape; a database outage asks the client to retry. */
export function errorResponse(err: unknown): Response {
  const error = toAppError(err);
  if (error.code === "internal") console.error(err);
  return error.toResponse(error.code === "unavailable" ? { "Retry-After": "5" } : undefined);
}

/** Reads a JSON body within the size limit and parses it with the input's schema. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await readLimited(req);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "The body is not valid UTF-8.");
  }
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

const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES.toLocaleString("en")} bytes.`);

async function readLimited(req: Request): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
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

/** The editor making a write: a live bearer token with the write scope. */
async function requireWriter(req: Request): Promise<{ db: Db; editor: Editor; actor: Actor }> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("unauthorized", "Writes need an editor's token: Authorization: Bearer <token>.");
  const db = await getDb();
  const found = await editorForToken(db, match[1]!);
  if (!found) throw new AppError("unauthorized", "The token is unknown, revoked, or its editor is disabled.");
  if (found.scope !== "write") throw new AppError("forbidden", "This token may read but not write.");
  return { db, editor: found.editor, actor: actorOf(found.editor) };
}

export const json = (data: unknown, status = 200, headers?: HeadersInit): Response => Response.json(data, { status, headers });

/** JSON already serialised, as the read cache keeps it. */
export const jsonText = (text: string) => new Response(text, { headers: { "content-type": "application/json" } });
