import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase } from "@/db";
import { systemActor } from "@/lib/audit";
import { setEditorState } from "@/lib/auth/editors";
import { revokeToken } from "@/lib/auth/tokens";
import { call } from "@/lib/testing/http";
import { makeEditor, tableCounts, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import * as claimLinks from "./claims/[id]/links/route";
import * as claimRoute from "./claims/[id]/route";
import * as documentVersions from "./documents/[id]/versions/route";
import * as documents from "./documents/route";
import * as outlets from "./outlets/route";
import * as storyClaims from "./stories/[slug]/claims/route";
import * as storyQuestions from "./stories/[slug]/questions/route";
import * as stories from "./stories/route";

let database: TestDatabase;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  tokens.write = (await makeEditor(database.db)).token;
  tokens.read = (await makeEditor(database.db, "editor", "read")).token;
  const disabled = await makeEditor(database.db);
  await setEditorState(database.db, systemActor("test"), disabled.editor.id, { disabled: true });
  tokens.disabled = disabled.token;
  const revoked = await makeEditor(database.db);
  await revokeToken(database.db, systemActor("test"), revoked.tokenId);
  tokens.revoked = revoked.token;
});
afterAll(async () => {
  await database.close();
});

const auditCount = async () => (await tableCounts(database.db)).audit_events;

type Handler = Parameters<typeof call>[0];
const writeRoutes: [string, Handler, string, Record<string, string | number>, unknown][] = [
  ["POST /api/outlets", outlets.POST, "POST", {}, { name: "Outlet" }],
  ["POST /api/documents", documents.POST, "POST", {}, { outlet: { name: "O" }, title: "T", publishedAt: "2024" }],
  ["POST /api/documents/:id/versions", documentVersions.POST, "POST", { id: 1 }, { text: "t", seenAt: "2024-01-01" }],
  ["POST /api/stories", stories.POST, "POST", {}, { title: "S" }],
  ["POST /api/stories/:slug/questions", storyQuestions.POST, "POST", { slug: "s" }, { label: "Q" }],
  ["POST /api/stories/:slug/claims", storyClaims.POST, "POST", { slug: "s" }, { documentId: 1, text: "t" }],
  ["PATCH /api/claims/:id", claimRoute.PATCH, "PATCH", { id: 1 }, { text: "t", reason: "r", baseRevision: 1 }],
  ["POST /api/claims/:id/links", claimLinks.POST, "POST", { id: 2 }, { kind: "corrects", targetClaimId: 1 }],
];

describe(`who may write through the API, route by route, on ${testEngine()}`, () => {
  it.each(writeRoutes)("%s", async (_name, handler, method, params, body) => {
    const before = await auditCount();
    const cases: [string | undefined, number][] = [
      [undefined, 401],
      ["ct_not-a-real-token", 401],
      [tokens.revoked, 401],
      [tokens.disabled, 401],
      [tokens.read, 403],
    ];
    for (const [token, status] of cases) {
      const res = await call(handler, { method, params, body, token });
      expect(res.status, `token ${token?.slice(0, 8)}`).toBe(status);
      expect(res.body.error.code).toBe(status === 401 ? "unauthorized" : "forbidden");
    }
    expect(await auditCount()).toBe(before);
  });

  it.each([
    ["no token", undefined, 401],
    ["a read token", "read", 403],
  ] as const)("an anonymous or read-only POST of a 1 MB body is refused with %s before its body is read", async (_case, which, status) => {
    // A body that is not JSON and that counts the chunks taken from it: parsed, it would answer 400.
    let taken = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          taken++;
          controller.enqueue(new Uint8Array(1_000_000).fill(0x78));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const headers: Record<string, string> = { "content-type": "application/json", "content-length": "1000000" };
    if (which) headers.authorization = `Bearer ${tokens[which]}`;
    const req = new Request("http://localhost/api/stories", { method: "POST", body, headers, duplex: "half" } as RequestInit);
    const res = await stories.POST(req);
    expect(res.status).toBe(status);
    expect(taken).toBe(0);
    expect(req.bodyUsed).toBe(false);
  });

  it("a live write token gets through", async () => {
    const res = await call(stories.POST, { body: { title: "Allowed" }, token: tokens.write });
    expect(res.status).toBe(201);
  });
});
