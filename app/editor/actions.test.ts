import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase } from "@/db";
import { systemActor } from "@/lib/audit";
import { setEditorState } from "@/lib/auth/editors";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import type { FormState } from "@/lib/forms";
import { makeEditor, testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { databaseDigest } from "@/lib/testing/reliability/digest";

// Server actions are public endpoints. Next's request context (cookies, headers, redirect) is
// stood in for here so each action can be called as a browser would, against a real database.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => new Headers({ host: "localhost:3000" }),
}));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`redirect ${to}`), { digest: `NEXT_REDIRECT;${to}` });
  },
}));

const actions = await import("./actions");

let database: TestDatabase;
let admin: Awaited<ReturnType<typeof makeEditor>>;
let editor: Awaited<ReturnType<typeof makeEditor>>;

beforeAll(async () => {
  database = await testDatabase();
  useDatabase(database);
  admin = await makeEditor(database.db, "admin");
  editor = await makeEditor(database.db, "editor");
});
afterAll(async () => {
  await database.close();
});

async function signInAs(who: typeof editor | null) {
  jar.clear();
  if (who) jar.set(SESSION_COOKIE, (await createSession(database.db, who.editor)).value);
}

/** Every row of every table, fingerprinted: a refused action must leave it unchanged, a token's revocation included. */
const rowCounts = () => databaseDigest(database.db);

const form = (fields: Record<string, string | number>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, String(v));
  return data;
};

type Act = (prev: FormState, data: FormData) => Promise<FormState>;
const writes: [string, Act, Record<string, string | number>][] = [
  ["createStoryAction", actions.createStoryAction, { title: "Forbidden story" }],
  ["addQuestionAction", actions.addQuestionAction, { _story: "any", label: "Q?" }],
  ["addSourceAction", actions.addSourceAction, { outletName: "X", title: "T", publishedAt: "2024-01-01" }],
  ["addVersionAction", actions.addVersionAction, { _document: 1, text: "t", seenAt: "2024-01-01" }],
  ["createClaimAction", actions.createClaimAction, { _story: "any", documentId: 1, text: "t" }],
  ["linkAction", actions.linkAction, { _from: 2, kind: "corrects", targetClaimId: 1 }],
  ["editClaimAction", actions.editClaimAction, { _claim: 1, text: "t", reason: "r", baseRevision: 1 }],
  ["createTokenAction", actions.createTokenAction, { name: "t", scope: "write" }],
  ["revokeTokenAction", actions.revokeTokenAction, { _token: 1 }],
  ["createEditorAction", actions.createEditorAction, { email: "new@example.test", role: "editor" }],
  ["updateEditorAction", actions.updateEditorAction, { _editor: 1, disabled: "1" }],
  ["watchAction", actions.watchAction, { _document: 1, enabled: "1" }],
  ["captureNowAction", actions.captureNowAction, { _document: 1 }],
  ["watchFeedAction", actions.watchFeedAction, { outlet: "the-wrap", feedUrl: "https://www.thewrap.com/feed/" }],
  ["inboxAction", actions.inboxAction, { _kind: "notice", _id: 1, action: "dismiss" }],
  ["noticeLinkAction", actions.noticeLinkAction, { _id: 1, kind: "corrects", fromClaimId: 2, targetClaimId: 1 }],
  ["registerWebhookAction", actions.registerWebhookAction, { url: "https://hooks.example.org/in", event_claim: "on" }],
  ["disableWebhookAction", actions.disableWebhookAction, { _webhook: 1 }],
];

describe(`server actions refuse writes without a live session on ${testEngine()}`, () => {
  it.each(writes)("%s: signed out → refused, nothing written, typed values kept", async (_name, act, fields) => {
    await signInAs(null);
    const before = await rowCounts();
    const state = await act({ status: "idle" }, form(fields));
    expect(state.status).toBe("error");
    expect(state.message).toMatch(/session has ended|need attention/i);
    expect(state.values).toEqual(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
    expect(await rowCounts()).toEqual(before);
  });

  it("a disabled editor's session stops working at once", async () => {
    const reporter = await makeEditor(database.db, "editor");
    await signInAs(reporter);
    await setEditorState(database.db, systemActor("test"), reporter.editor.id, { disabled: true });
    const before = await rowCounts();
    const state = await actions.createStoryAction({ status: "idle" }, form({ title: "After disabling" }));
    expect(state.message).toMatch(/session has ended/);
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ["createEditorAction", actions.createEditorAction, { email: "sneaky@example.test", role: "admin" }],
    ["updateEditorAction", actions.updateEditorAction, { role: "editor" }],
    ["registerWebhookAction", actions.registerWebhookAction, { url: "https://hooks.example.org/in", event_claim: "on" }],
    ["disableWebhookAction", actions.disableWebhookAction, { _webhook: 1 }],
  ] as [string, Act, Record<string, string>][])("%s needs an admin", async (_name, act, fields) => {
    await signInAs(editor);
    const before = await rowCounts();
    const state = await act({ status: "idle" }, form({ ...fields, _editor: admin.editor.id }));
    expect(state.message).toMatch(/Only an admin/);
    expect(await rowCounts()).toEqual(before);
  });

  it("an editor may revoke only their own tokens", async () => {
    await signInAs(editor);
    const state = await actions.revokeTokenAction({ status: "idle" }, form({ _token: admin.tokenId }));
    expect(state.message).toMatch(/only your own/);
    const own = await actions.revokeTokenAction({ status: "idle" }, form({ _token: editor.tokenId }));
    expect(own.status).toBe("ok");
  });

  it("an admin registers a webhook from the form: the events ticked, the scope typed, the secret shown once", async () => {
    await signInAs(admin);
    const story = await actions.createStoryAction({ status: "idle" }, form({ title: "Hooked story" })).catch((e: Error) => e.message);
    expect(story).toMatch(/redirect \/editor\/stories\/hooked-story/);
    const none = await actions.registerWebhookAction({ status: "idle" }, form({ url: "https://hooks.example.org/in" }));
    expect(none.fields).toEqual({ events: ["Choose at least one kind of event."] });
    const missing = await actions.registerWebhookAction({ status: "idle" }, form({ url: "https://hooks.example.org/in", event_status: "on", "scope.story": "no-such-story" }));
    expect(missing.fields).toEqual({ "scope.story": ["No such story."] });
    const made = await actions.registerWebhookAction({ status: "idle" }, form({ url: "https://hooks.example.org/in", event_status: "on", event_quote: "on", "scope.story": "hooked-story" }));
    expect(made.status).toBe("ok");
    expect((made.data as { secret: string }).secret).toMatch(/^whsec_/);
    const { readWebhooks } = await import("@/lib/webhooks");
    const [hook] = await readWebhooks();
    expect(hook).toMatchObject({ url: "https://hooks.example.org/in", scope: { story: "hooked-story" }, events: ["quote", "status"], disabled: false });
    const off = await actions.disableWebhookAction({ status: "idle" }, form({ _webhook: hook!.id }));
    expect(off.message).toMatch(/Disabled webhook/);
    expect((await readWebhooks())[0]!.disabled).toBe(true);
  });

  it("a signed-in editor's write goes through", async () => {
    await signInAs(editor);
    await expect(actions.createStoryAction({ status: "idle" }, form({ title: "Allowed story" }))).rejects.toThrow(/redirect \/editor\/stories\/allowed-story/);
  });
});
