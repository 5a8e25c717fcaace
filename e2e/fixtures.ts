import fs from "node:fs";
import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { DEMO_SOURCES, DEMO_VERSIONS } from "@/lib/seed/demo";

export { expect };

export const editorURL = process.env.E2E_EDITOR_URL!;

/** What the editors' server was prepared with: the admin's session and a write token. */
const prepared = () => JSON.parse(fs.readFileSync(process.env.E2E_EDITOR_PREPARED!, "utf8")) as { cookie: { name: string; value: string }; token: string };

type Json = Record<string, any>;

/** The JSON API of the editors' server, as the fixtures' admin. */
export type EditorApi = { post(path: string, data: object): Promise<Json>; get(path: string): Promise<Json> };

/** A story of the test's own, with the demo's questions. */
export type StoryFixture = { slug: string; title: string; questions: { who: Json; howLong: Json } };

/** The story with The Wrap's report and ComicBook's relay of it, in two versions, at addresses of the test's own. */
export type SourcesFixture = StoryFixture & {
  wrap: Json;
  comicbook: Json;
  versions: Json[];
  wrapHowLong: Json;
  relayHowLong: Json;
  updateHowLong: Json;
};

type Fixtures = {
  /** A page on the editors' server, signed in as the admin. */
  editorPage: Page;
  api: EditorApi;
  story: StoryFixture;
  sources: SourcesFixture;
  /** Text no other test uses: for titles, slugs and addresses. */
  unique: string;
};

async function apiOf(request: APIRequestContext, token: string): Promise<EditorApi> {
  const check = async (path: string, res: Awaited<ReturnType<APIRequestContext["get"]>>) => {
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as Json;
  };
  return {
    post: async (path, data) => check(path, await request.post(`${editorURL}${path}`, { data, headers: { authorization: `Bearer ${token}` } })),
    get: async (path) => check(path, await request.get(`${editorURL}${path}`)),
  };
}

/** A browser context on the editors' server, signed in as the admin; the caller closes it. */
export async function editorContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, baseURL: editorURL });
  const { hostname } = new URL(editorURL);
  await context.addCookies([{ ...prepared().cookie, domain: hostname, path: "/", httpOnly: true, sameSite: "Lax" }]);
  return context;
}

export const test = base.extend<Fixtures>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  unique: async ({}, use, testInfo) => {
    await use(`${testInfo.workerIndex}-${testInfo.repeatEachIndex}-${Date.now().toString(36)}`);
  },

  editorPage: async ({ browser }, use) => {
    const context = await editorContext(browser);
    await use(await context.newPage());
    await context.close();
  },

  api: async ({ request }, use) => {
    await use(await apiOf(request, prepared().token));
  },

  story: async ({ api, unique }, use) => {
    const title = `Who reshot Ballerina? (${unique})`;
    const story = await api.post("/api/stories", { title, slug: `who-reshot-ballerina-${unique}` });
    const who = await api.post(`/api/stories/${story.slug}/questions`, { label: "Who led the additional photography?" });
    const howLong = await api.post(`/api/stories/${story.slug}/questions`, { label: "How long did the additional photography last?" });
    await use({ slug: story.slug, title, questions: { who, howLong } });
  },

  sources: async ({ api, story, unique }, use) => {
    const wrap = await api.post("/api/documents", { ...DEMO_SOURCES.wrap, url: `https://www.thewrap.com/ballerina-reshoots-${unique}/` });
    const comicbook = await api.post("/api/documents", { ...DEMO_SOURCES.comicbook, url: `https://comicbook.com/movies/news/ballerina-reshoots-${unique}/` });
    const v1 = await api.post(`/api/documents/${comicbook.id}/versions`, { text: DEMO_VERSIONS.original, seenAt: "2024-10-14", note: "the original relay" });
    const v2 = await api.post(`/api/documents/${comicbook.id}/versions`, { text: DEMO_VERSIONS.updated, seenAt: "2024-10-15", note: "the update of 15 Oct" });
    const claims = `/api/stories/${story.slug}/claims`;
    const howLong = story.questions.howLong.id;
    const wrapHowLong = await api.post(claims, { documentId: wrap.id, questionId: howLong, speaker: "an insider", text: "The reshoot was a two-to-three-month overseas shoot." });
    const relayHowLong = await api.post(claims, {
      documentId: comicbook.id,
      versionId: v1.id,
      questionId: howLong,
      relaysClaimId: wrapHowLong.id,
      text: "The reshoot was a two-to-three-month overseas shoot, The Wrap reports.",
      quote: "This reportedly involved a two-to-three-month overseas shoot",
    });
    const updateHowLong = await api.post(claims, {
      documentId: comicbook.id,
      versionId: v2.id,
      questionId: howLong,
      speaker: "ComicBook",
      text: "The additional photography lasted less than one month.",
      quote: "This additional photography only spanned less than one month",
    });
    await use({ ...story, wrap, comicbook, versions: [v1, v2], wrapHowLong, relayHowLong, updateHowLong });
  },
});

/** Selects `quote` in the source text as a mouse would, then takes it. */
async function selectQuote(page: Page, quote: string) {
  const source = page.getByLabel("Source text");
  await source.evaluate((el: HTMLTextAreaElement, q) => {
    const start = el.value.indexOf(q);
    el.focus();
    el.setSelectionRange(start, start + q.length);
  }, quote);
  await page.getByRole("button", { name: "Use selection as quote" }).click();
  await expect(page.getByLabel("Quote", { exact: true })).toHaveValue(quote);
}

export async function logClaim(page: Page, fields: { quote?: string; version?: string; text: string; speaker?: string; question?: string; relays?: string }) {
  if (fields.version) await page.getByLabel("Version", { exact: true }).selectOption({ label: fields.version });
  if (fields.quote) await selectQuote(page, fields.quote);
  await page.getByLabel("Statement").fill(fields.text);
  if (fields.speaker) await page.getByLabel("Who is quoted").fill(fields.speaker);
  if (fields.question) await page.getByLabel("Question it answers").selectOption({ label: fields.question });
  if (fields.relays) await page.getByLabel("Relays the claim").fill(fields.relays);
  await page.getByRole("button", { name: "Log claim" }).click();
  const status = page.getByRole("status").filter({ hasText: /Logged claim \d+/ });
  await expect(status).toBeVisible();
  return Number(/Logged claim (\d+)/.exec((await status.textContent()) ?? "")![1]);
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/editor$/);
}
