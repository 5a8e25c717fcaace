import { z } from "zod";
import { claimInput, claimPatch, documentInput, linkInput, outletInput, questionInput, storyInput, versionInput } from "@/lib/validation";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" });

const error = {
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
    ["503", "Database unavailable"],
  ].map(([code, description]) => [code, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
);

const ok = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const pathParam = (name: string, type: "string" | "integer") => ({ name, in: "path", required: true, schema: { type } });
const queryParam = (name: string, description: string, required = false) => ({ name, in: "query", required, description, schema: { type: "string" } });
const clock = [
  queryParam("asOf", "Publication time: what had been published by then (default now)"),
  queryParam("knownAt", "Logging time: what Claimtrail had recorded by then (default now)"),
];
const write = (summary: string, input: string, params: object[] = [], status = "201") => ({
  summary,
  security: [{ bearer: [] }],
  parameters: params,
  requestBody: body(input),
  responses: { [status]: ok("Created"), ...errors },
});
const read = (summary: string, params: object[] = []) => ({ summary, parameters: params, responses: { "200": ok("OK"), ...errors } });

/** The OpenAPI 3.1 description of the JSON API, generated from the zod schemas the routes parse with. */
export function openApiDocument() {
  const slug = pathParam("slug", "string");
  const id = pathParam("id", "integer");
  return {
    openapi: "3.1.0",
    info: { title: "Claimtrail API", version: "1.0.0", description: "Dated news claims, their sources, and the corrections between them." },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: error,
        OutletInput: schema(outletInput),
        DocumentInput: schema(documentInput),
        VersionInput: schema(versionInput),
        StoryInput: schema(storyInput),
        QuestionInput: schema(questionInput),
        ClaimInput: schema(claimInput),
        ClaimPatch: schema(claimPatch),
        LinkInput: schema(linkInput),
      },
    },
    paths: {
      "/api/health": { get: read("Liveness and database state") },
      "/api/outlets": { post: write("Create an outlet (or return the one with that name)", "OutletInput") },
      "/api/outlets/{slug}": { get: read("An outlet and its record", [slug]) },
      "/api/documents": { post: write("Create a document, or return the one with the same normalised URL", "DocumentInput") },
      "/api/documents/{id}": { get: read("A document with its versions", [id]) },
      "/api/documents/{id}/versions": { post: write("Append a version of the document's text", "VersionInput", [id]) },
      "/api/documents/{id}/diff": { get: read("Word diff between two versions", [id, queryParam("from", "version id", true), queryParam("to", "version id", true)]) },
      "/api/stories": { post: write("Create a story", "StoryInput") },
      "/api/stories/{slug}": { get: read("A story: questions with best answers, claims with status", [slug, ...clock]) },
      "/api/stories/{slug}/questions": { post: write("Add a question to a story", "QuestionInput", [slug]) },
      "/api/stories/{slug}/claims": { post: write("Log a claim", "ClaimInput", [slug]) },
      "/api/stories/{slug}/timeline": { get: read("Dated events of the story", [slug, ...clock]) },
      "/api/stories/{slug}/changes": { get: read("What changed between two instants", [slug, queryParam("from", "instant", true), queryParam("to", "instant")]) },
      "/api/claims/{id}": {
        get: read("A claim: status, relay chain, links, revisions", [id, ...clock]),
        patch: write("Edit a claim (a new revision)", "ClaimPatch", [id], "200"),
      },
      "/api/claims/{id}/links": { post: write("Link this (newer) claim to an older one", "LinkInput", [id]) },
      "/api/claims/{id}/diff": {
        get: read("Diff against another claim, or between two revisions", [id, queryParam("against", "claim id"), queryParam("fromRevision", "revision"), queryParam("toRevision", "revision")]),
      },
      "/api/claims/{id}/drift": { get: read("A relay's words against its origin's", [id, ...clock]) },
      "/api/audit/verify": { get: read("Recompute the audit hash chain") },
    },
  };
}
