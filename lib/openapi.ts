import { z } from "zod";
import type { Endpoint, EndpointSpec } from "@/lib/http";

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;

/** An API route module as Next loads it: its handlers by method, each made with `endpoint()`. */
export type RouteModule = Partial<Record<(typeof METHODS)[number], unknown>>;

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" });

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
        lines: {
          type: "array",
          description: "A body of lines (NDJSON) refused: each bad line, numbered from 1, with its problem and fields",
          items: {
            type: "object",
            required: ["line", "message"],
            properties: {
              line: { type: "integer" },
              message: { type: "string" },
              fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
            },
          },
        },
        retryAfter: { type: "integer", description: "Seconds to wait before trying again (429), as the Retry-After header says" },
      },
    },
  },
};

const errors = Object.fromEntries(
  [
    ["400", "Malformed request"],
    ["401", "No valid editor token"],
    ["403", "The token may not write"],
    ["404", "Not found"],
    ["409", "Conflict: already exists, or edited meanwhile"],
    ["413", "Body too large"],
    ["422", "Invalid fields"],
    ["429", "Too many writes: wait as long as Retry-After says"],
    ["503", "Database unavailable"],
  ].map(([code, description]) => [code, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
);

function parameter(name: string, where: "path" | "query", schema: z.ZodType) {
  const { description, ...rest } = jsonSchema(schema) as { description?: string };
  return { name, in: where, required: where === "path" || !schema.safeParse(undefined).success, ...(description && { description }), schema: rest };
}

function requestBody(body: NonNullable<EndpointSpec["body"]>) {
  if (!("kind" in body)) return { required: true, content: { "application/json": { schema: jsonSchema(body) } } };
  return {
    required: true,
    description: `NDJSON: one JSON object per line, each as this schema; at most ${body.maxLines.toLocaleString("en")} lines and ${body.maxBytes.toLocaleString("en")} bytes.`,
    content: { "application/x-ndjson": { schema: jsonSchema(body.line) } },
  };
}

function operation(spec: EndpointSpec) {
  const status = String(spec.status ?? 200);
  return {
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    ...(spec.auth && { security: [{ bearer: [] }] }),
    parameters: [
      ...Object.entries(spec.params ?? {}).map(([name, p]) => parameter(name, "path", p.schema)),
      ...Object.entries(spec.query?.shape ?? {}).map(([name, s]) => parameter(name, "query", s as z.ZodType)),
    ],
    ...(spec.body && { requestBody: requestBody(spec.body) }),
    responses: { [status]: { description: status === "201" ? "Created" : "OK", content: { "application/json": { schema: { type: "object" } } } }, ...errors },
  };
}

const specOf = (handler: unknown): EndpointSpec | undefined => (typeof handler === "function" ? (handler as Partial<Endpoint>).spec : undefined);

/**
 * The OpenAPI 3.1 description of the JSON API, read off the routes themselves: each handler's
 * spec names its parameters and the zod schemas it parses with.
 */
export function openApiDocument(routes: Record<string, RouteModule>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, module] of Object.entries(routes)) {
    for (const method of METHODS) {
      const spec = specOf(module[method]);
      if (spec) (paths[path] ??= {})[method.toLowerCase()] = operation(spec);
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "Claimtrail API", version: "1.0.0", description: "Dated news claims, their sources, and the corrections between them." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas: { Error: errorSchema } },
    paths,
  };
}

/** The methods of a route module that are not described: a handler made without `endpoint()`. */
export const undescribedMethods = (module: RouteModule): string[] => METHODS.filter((m) => module[m] !== undefined && !specOf(module[m]));
