import fs from "node:fs";
import { DEMO_VERSIONS } from "@/lib/seed/demo";
import { EDITOR_ADMIN } from "./accounts";
import { editorURL, expect, logClaim, signIn, test, type SourcesFixture } from "./fixtures";
import { BROWSER_UA, newsboat, nuErrors, violations } from "./helpers";

// An editor's work, one task per test: each builds its own story and sources through the
// fixtures (e2e/fixtures.ts) on the editors' server, so any test runs alone and in any order.

test.use({ baseURL: editorURL });

test("first run: the setup code from the server's log creates the first admin, then /setup is gone", async ({ browser }) => {
  // A server of its own, started on an empty database, whose log holds the code.
  const setupURL = process.env.E2E_SETUP_URL!;
  const page = await (await browser.newContext({ baseURL: setupURL })).newPage();
  const code = /setup code: (\S+)/.exec(fs.readFileSync(process.env.E2E_SETUP_LOG!, "utf8"))?.[1];
  expect(code).toBeTruthy();
  await page.goto("/setup");
  await page.getByLabel("Setup code").fill("wrong-code");
  await page.getByLabel("Your email").fill(EDITOR_ADMIN.email);
  await page.getByLabel("Password").fill(EDITOR_ADMIN.password);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page.getByText("Not a valid setup code")).toBeVisible();
  // What was typed survives the failed submit, apart from the password.
  await expect(page.getByLabel("Your email")).toHaveValue(EDITOR_ADMIN.email);
  await page.getByLabel("Setup code").fill(code!);
  await page.getByLabel("Password").fill(EDITOR_ADMIN.password);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page).toHaveURL(/\/editor$/);
  expect((await page.request.get("/setup")).status()).toBe(404);
  await page.context().close();
});

test("signing in checks the password and keeps the email on failure", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(EDITOR_ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("do not match");
  await expect(page.getByLabel("Email")).toHaveValue(EDITOR_ADMIN.email);
  await page.getByLabel("Password").fill(EDITOR_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/editor$/);
});

test("starts a story and its questions, with errors beside the field", async ({ editorPage: page, unique }) => {
  await page.goto("/editor");
  await page.getByRole("button", { name: "Create story" }).click();
  const form = page.getByRole("form", { name: "Start a story" });
  await expect(form.getByText("Title is required.")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Title").fill(`Who reshot Ballerina? ${unique}`);
  await page.getByRole("button", { name: "Create story" }).click();
  await expect(page).toHaveURL(new RegExp(`/editor/stories/who-reshot-ballerina-${unique}$`));
  for (const label of ["Who led the additional photography?", "How long did the additional photography last?"]) {
    await page.getByRole("textbox", { name: "Question", exact: true }).fill(label);
    await page.getByRole("button", { name: "Add question" }).click();
    await expect(page.getByRole("status").filter({ hasText: label })).toBeVisible();
  }
});

test("adds The Wrap's report without text, and logs its claim with an unverified quote", async ({ editorPage: page, story, unique }) => {
  await page.goto(`/editor/stories/${story.slug}`);
  const form = page.getByRole("form", { name: "Add a source" });
  await form.getByLabel("URL").fill(`https://www.thewrap.com/ballerina-${unique}/?utm_source=twitter#comments`);
  await form.getByLabel("Outlet", { exact: true }).fill("The Wrap");
  await form.getByLabel("Outlet homepage").fill("https://www.thewrap.com/");
  await form.getByLabel("Title").fill("Chad Stahelski reshot most of Ballerina");
  await form.getByLabel("Published").fill("2024-10-14");
  await form.getByRole("button", { name: "Add source" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Chad Stahelski reshot most of Ballerina" })).toBeVisible();
  // The address is kept without its tracking parameters and fragment.
  await expect(page.getByRole("link", { name: `https://www.thewrap.com/ballerina-${unique}/` })).toBeVisible();
  await page.getByLabel("Quote", { exact: true }).fill("most of the movie");
  const id = await logClaim(page, { text: "The reshoot was a two-to-three-month overseas shoot.", speaker: "an insider", question: "How long did the additional photography last?" });
  const res = await page.request.get(`/api/claims/${id}`);
  expect((await res.json()).claim).toMatchObject({ quote: "most of the movie", quoteVerified: false, speaker: "an insider" });
});

test("adds ComicBook's article with both versions, found by host, and logs claims by selecting quotes", async ({ editorPage: page, api, story, unique }) => {
  const wrap = await api.post("/api/documents", { outlet: { name: "The Wrap" }, title: "Chad Stahelski reshot most of Ballerina", publishedAt: "2024-10-14" });
  const origin = await api.post(`/api/stories/${story.slug}/claims`, { documentId: wrap.id, text: "The reshoot was a two-to-three-month overseas shoot." });

  await page.goto(`/editor/stories/${story.slug}`);
  const form = page.getByRole("form", { name: "Add a source" });
  // A host no outlet has yet: the outlet is made for it and named by it.
  const host = `comicbook-${unique}.test`;
  await form.getByLabel("URL").fill(`https://www.${host}/movies/news/ballerina-reshoots/`);
  await form.getByLabel("Title").fill("Ballerina reshoots");
  await form.getByLabel("Published").fill("2024-10-14");
  await form.getByLabel("Text of the article").fill(DEMO_VERSIONS.original);
  await form.getByRole("button", { name: "Add source" }).click();
  await expect(page.getByText(`${host} ·`)).toBeVisible();

  const version = page.getByRole("form", { name: "Add a version" });
  await version.getByLabel("Text").fill(DEMO_VERSIONS.updated);
  await version.getByLabel("Seen on").fill("2024-10-15");
  await version.getByLabel("Note").fill("the update of 15 Oct");
  await version.getByRole("button", { name: "Save version" }).click();
  await expect(version.getByRole("status")).toContainText("Saved version");
  await page.reload();

  const relay = await logClaim(page, {
    version: "Version 1 · 14 Oct 2024",
    quote: "This reportedly involved a two-to-three-month overseas shoot",
    text: "The reshoot was a two-to-three-month overseas shoot, The Wrap reports.",
    question: "How long did the additional photography last?",
    relays: `#${origin.id}`,
  });
  await page.reload();
  const update = await logClaim(page, {
    version: "Version 2 · 15 Oct 2024 · the update of 15 Oct",
    quote: "This additional photography only spanned less than one month",
    text: "The additional photography lasted less than one month.",
    question: "How long did the additional photography last?",
  });
  const claims = await Promise.all([relay, update].map(async (id) => (await api.get(`/api/claims/${id}`)).claim));
  expect(claims.map((c) => [c.quoteVerified, c.relaysClaimId])).toEqual([
    [true, origin.id],
    [true, null],
  ]);
});

test("a quote that is not in the text is refused, and the form keeps everything typed", async ({ editorPage: page, sources }) => {
  await page.goto(`/editor/documents/${sources.comicbook.id}?story=${sources.slug}`);
  await page.getByLabel("Quote", { exact: true }).fill("shot in Prague for a year");
  await page.getByLabel("Statement").fill("A statement that must survive");
  await page.getByRole("button", { name: "Log claim" }).click();
  await expect(page.getByText("Not found verbatim in the document text.")).toBeVisible();
  await expect(page.getByLabel("Statement")).toHaveValue("A statement that must survive");
  await expect(page.getByLabel("Quote", { exact: true })).toHaveValue("shot in Prague for a year");
});

test("links the correction with a live preview of the diff and the status change", async ({ editorPage: page, sources }) => {
  const { updateHowLong: update, relayHowLong: relay } = sources;
  await page.goto(`/editor/claims/${update.id}`);
  const form = page.getByRole("form", { name: "Link to an older claim" });
  await form.getByLabel("This claim…").selectOption("corrects");
  await form.getByLabel("…the claim").fill(`#${relay.id}`);
  const preview = form.getByRole("region", { name: "Preview" });
  await expect(preview).toContainText("goes from Standing to Corrected");
  await expect(preview.locator("del")).toContainText(["two-to-three-"]);
  await expect(preview.locator("ins").first()).toBeVisible();
  await form.getByRole("button", { name: "Save link" }).click();
  await expect(form.getByRole("status")).toContainText(`claim ${update.id} corrects claim ${relay.id}`);

  // Readers see it on the public pages at once.
  const reader = await (await page.context().browser()!.newContext({ baseURL: editorURL })).newPage();
  await reader.goto(`/stories/${sources.slug}`);
  await expect(reader.getByText("ComicBook corrected its relay of The Wrap").first()).toBeVisible();
  expect((await (await reader.request.get(`/api/claims/${relay.id}`)).json()).claim.status).toBe("corrected");
  await reader.context().close();
});

test("two editors edit one claim: the second sees both versions side by side and loses nothing", async ({ editorPage: page, browser, sources }) => {
  const other = await (await browser.newContext({ baseURL: editorURL })).newPage();
  await signIn(other, EDITOR_ADMIN);
  const id = sources.updateHowLong.id;
  await page.goto(`/editor/claims/${id}`);
  await other.goto(`/editor/claims/${id}`);

  const mine = page.getByRole("form", { name: "Edit claim" });
  await mine.getByLabel("Statement").fill("The additional photography took less than a month.");
  await mine.getByLabel("Reason for the edit").fill("closer to the source");
  await mine.getByRole("button", { name: "Save edit" }).click();
  await expect(mine.getByRole("status")).toContainText("Saved revision 2");

  const theirs = other.getByRole("form", { name: "Edit claim" });
  await theirs.getByLabel("Statement").fill("Additional photography lasted under one month.");
  await theirs.getByLabel("Reason for the edit").fill("style");
  await theirs.getByRole("button", { name: "Save edit" }).click();
  await expect(theirs.getByRole("alert")).toContainText("was edited since revision 1");
  const conflict = theirs.getByRole("region", { name: "Edit conflict" });
  await expect(conflict).toContainText("Saved meanwhile (revision 2)");
  await expect(conflict).toContainText("The additional photography took less than a month.");
  await expect(theirs.getByLabel("Statement")).toHaveValue("Additional photography lasted under one month.");
  await theirs.getByRole("button", { name: "Save edit" }).click();
  await expect(theirs.getByRole("status")).toContainText("Saved revision 3");
  await other.context().close();
});

test("works from the keyboard alone: a question added and the whole text taken as the quote", async ({ editorPage: page, sources }) => {
  await page.goto(`/editor/stories/${sources.slug}`);
  await page.getByRole("textbox", { name: "Question", exact: true }).focus();
  await page.keyboard.type("Why did Chad Stahelski shoot scenes?");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Why did Chad Stahelski shoot scenes?" })).toBeVisible();

  await page.getByRole("link", { name: `ComicBook: ${sources.comicbook.title}` }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: sources.comicbook.title })).toBeVisible();
  // The picker reacts to keys once the page has hydrated.
  await page.waitForLoadState("networkidle");
  const source = page.getByLabel("Source text");
  await source.focus();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Use selection as quote" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Quote", { exact: true })).toHaveValue(/^Update: ComicBook has learned[^]*The Wrap[^]*$/);
});

/** Every editor page, with the forms on each. */
const EDITOR_PAGES: [string, (s: SourcesFixture) => string][] = [
  ["editor home", () => "/editor"],
  ["story", (s) => `/editor/stories/${s.slug}`],
  ["claim", (s) => `/editor/claims/${s.updateHowLong.id}`],
  ["audit log", () => "/editor/audit"],
  ["people", () => "/editor/people"],
  ["tokens", () => "/editor/tokens"],
  ["watches", () => "/editor/watches"],
  ["inbox", () => "/editor/inbox"],
  ["webhooks", () => "/editor/webhooks"],
  ["source with its watch and capture log", (s) => `/editor/documents/${s.comicbook.id}?story=${s.slug}`],
];

test.describe("axe finds no violations on the editor pages", () => {
  for (const [name, path] of EDITOR_PAGES) {
    test(name, async ({ editorPage: page, sources }) => {
      await page.goto(path(sources));
      expect(await violations(page)).toEqual([]);
    });
  }

  test("source page, reached by a client-side navigation", async ({ editorPage: page, sources }) => {
    await page.goto(`/editor/stories/${sources.slug}`);
    await page.getByRole("link", { name: `ComicBook: ${sources.comicbook.title}` }).click();
    // A client-side navigation sets the new title once the page has arrived; check the page then.
    await expect(page).toHaveURL(/\/editor\/documents\/\d+(\?|$)/);
    await expect(page).toHaveTitle(/^Source/);
    expect(await violations(page)).toEqual([]);
  });

  test("a form showing its errors, and the sign-in page", async ({ editorPage: page, browser }) => {
    await page.goto("/editor");
    await page.getByRole("button", { name: "Create story" }).click();
    await expect(page.getByText("Title is required.")).toBeVisible();
    expect(await violations(page), "form with errors").toEqual([]);
    const visitor = await (await browser.newContext({ baseURL: editorURL })).newPage();
    await visitor.goto("/signin");
    expect(await violations(visitor), "/signin").toEqual([]);
    await visitor.context().close();
  });
});

test("the Nu checker finds no errors in the HTML of the editor pages and the sign-in page", async ({ editorPage: page, sources }) => {
  const html = new Map<string, string>();
  const paths: [string, string][] = [...EDITOR_PAGES.map(([name, path]): [string, string] => [name, path(sources)]), ["sign-in", "/signin"], ["claim editor with the link form", `/editor/claims/${sources.relayHowLong.id}`]];
  for (const [name, path] of paths) {
    const res = await page.request.get(path, { headers: { "user-agent": BROWSER_UA } });
    expect(res.status(), path).toBe(200);
    html.set(name, await res.text());
  }
  expect(nuErrors(html)).toEqual([]);
});

test("a page a reader has already seen shows the next write at once", async ({ editorPage: page, browser, unique }) => {
  const reader = await (await browser.newContext({ baseURL: editorURL })).newPage();
  const title = `Was the ending of Ballerina reshot? ${unique}`;
  for (let i = 0; i < 2; i++) {
    await reader.goto("/");
    await expect(reader.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(reader.getByRole("link", { name: title })).toHaveCount(0);
  }
  await page.goto("/editor");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create story" }).click();
  await expect(page).toHaveURL(/\/editor\/stories\/was-the-ending-of-ballerina-reshot/);
  await reader.goto("/");
  await expect(reader.getByRole("link", { name: title })).toBeVisible();
  await reader.context().close();
});

test("a long story pages its timeline and its outlet pages its claims, each page leading to the next", async ({ editorPage: page, browser, unique }) => {
  // A token made on the tokens page, as an importer would get one.
  await page.goto("/editor/tokens");
  await page.getByLabel("Name").fill(`importer ${unique}`);
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByLabel("Shown once").textContent())!.trim();
  const post = async (path: string, data: object) => {
    const res = await page.request.post(path, { data, headers: { authorization: `Bearer ${secret}` } });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  };
  const story = await post("/api/stories", { title: `A story told in thirty reports ${unique}` });
  const document = await post("/api/documents", { url: `https://wire-${unique}.example/thirty-reports`, title: "Thirty reports", publishedAt: "2025-01-01" });
  for (let day = 1; day <= 30; day++) {
    await post(`/api/stories/${story.slug}/claims`, { documentId: document.id, text: `Report number ${day}.`, assertedAt: `2025-01-${String(day).padStart(2, "0")}` });
  }

  const reader = await (await browser.newContext({ baseURL: editorURL })).newPage();
  await reader.goto(`/stories/${story.slug}`);
  const timeline = reader.getByRole("list").filter({ has: reader.getByText("Report number 1.", { exact: true }) });
  await expect(timeline.getByRole("listitem")).toHaveCount(25);
  await expect(reader.getByText("Report number 26.", { exact: true })).toHaveCount(0);
  await expect(reader.getByRole("navigation", { name: "Timeline pages" })).toContainText("Page 1 of 2");
  await reader.getByRole("link", { name: "Later events" }).click();
  await expect(reader.getByRole("navigation", { name: "Timeline pages" })).toContainText("Page 2 of 2");
  await expect(reader.getByText("Report number 30.", { exact: true })).toBeVisible();
  await expect(reader.getByText("Report number 1.", { exact: true })).toHaveCount(0);
  await reader.getByRole("link", { name: "Earlier events" }).click();
  await expect(reader.getByText("Report number 1.", { exact: true })).toBeVisible();

  // The outlet's page counts all thirty and lists them newest first, a page at a time.
  const { outlet } = await (await reader.request.get(`/api/documents/${document.id}`)).json();
  await reader.goto(`/outlets/${outlet.slug}`);
  await expect(reader.getByRole("region", { name: "Its record" })).toContainText("30 recorded in Claimtrail");
  const listed = reader.getByRole("region", { name: "Its claims, newest first" }).locator("li.card");
  await expect(listed).toHaveCount(25);
  await expect(listed.first()).toContainText("Report number 30.");
  await expect(reader.getByText("Report number 5.", { exact: true })).toHaveCount(0);
  await expect(reader.getByRole("navigation", { name: "Pages of claims" })).toContainText("Page 1 of 2");
  await reader.getByRole("link", { name: "Older claims" }).click();
  await expect(listed).toHaveCount(5);
  await expect(listed.last()).toContainText("Report number 1.");
  await reader.getByRole("link", { name: "Newer claims" }).click();
  await expect(listed.first()).toContainText("Report number 30.");
  await reader.context().close();
});

test("the audit log lists every write, filters by kind and story, and verifies its chain", async ({ editorPage: page, api, sources }) => {
  await api.post(`/api/claims/${sources.updateHowLong.id}/links`, { kind: "corrects", targetClaimId: sources.relayHowLong.id });
  const { story } = await api.get(`/api/stories/${sources.slug}`);
  await page.goto(`/editor/audit?story=${story.id}`);
  await expect(page.getByRole("status").filter({ hasText: "Chain verified" })).toBeVisible();
  await page.getByLabel("Kind").selectOption("link");
  await page.getByRole("button", { name: "Filter" }).click();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(EDITOR_ADMIN.email);
  await expect(rows.nth(1)).toContainText("create link");
});

test("a signed-out visitor gets no write, and the form keeps what they typed", async ({ editorPage: page, unique }) => {
  await page.goto("/editor");
  await page.context().clearCookies();
  const title = `A story nobody may create ${unique}`;
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create story" }).click();
  await expect(page.getByRole("form", { name: "Start a story" }).getByRole("alert")).toContainText("Your session has ended");
  await expect(page.getByLabel("Title")).toHaveValue(title);
  expect(await (await page.request.get("/")).text()).not.toContain(title);
});

test("signing out ends that session, with or without scripts", async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ baseURL: editorURL, javaScriptEnabled });
    const page = await context.newPage();
    await signIn(page, EDITOR_ADMIN);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto("/editor/inbox");
    await expect(page, `scripts ${javaScriptEnabled ? "on" : "off"}`).toHaveURL(/\/signin\?next=%2Feditor%2Finbox$/);
    await context.close();
  }
});

test("a disabled editor is stopped at once", async ({ editorPage: page, browser, unique }) => {
  const email = `reporter-${unique}@newsroom.test`;
  await page.goto("/editor/people");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add editor" }).click();
  const password = await page.getByLabel("Shown once").textContent();
  expect(password).toBeTruthy();

  const reporter = await (await browser.newContext({ baseURL: editorURL })).newPage();
  await signIn(reporter, { email, password: password! });
  await reporter.goto("/editor");
  await reporter.getByLabel("Title").fill("Written after being disabled");

  await page.reload();
  await page.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "is now disabled" })).toBeVisible();

  await reporter.getByRole("button", { name: "Create story" }).click();
  await expect(reporter.getByRole("form", { name: "Start a story" }).getByRole("alert")).toContainText("Your session has ended");
  await reporter.goto("/editor");
  await expect(reporter).toHaveURL(/\/signin/);
  await reporter.context().close();
});

test("an admin registers a webhook for one story, sees its secret once and its deliveries, and disables it", async ({ editorPage: page, api, sources: story, unique }) => {
  await page.goto("/editor/webhooks");
  const form = page.getByRole("form", { name: "Register a webhook" });
  // The watcher's address rules hold for endpoints too: this server refuses private addresses.
  await form.getByLabel("Endpoint address").fill("http://127.0.0.1:9/hook");
  await form.getByRole("button", { name: "Register webhook" }).click();
  await expect(form.getByRole("alert")).toContainText("Deliveries cannot go to that address");
  await expect(form.getByLabel("Endpoint address")).toHaveValue("http://127.0.0.1:9/hook");

  const url = `https://hooks-${unique}.example.org/claimtrail`;
  await form.getByLabel("Endpoint address").fill(url);
  await form.getByLabel("New versions of documents").uncheck();
  await form.getByLabel("Only for the story").fill(story.slug);
  await form.getByRole("button", { name: "Register webhook" }).click();
  const registered = form.getByText(/^Registered webhook \d+/);
  await expect(registered).toBeVisible();
  await expect(form.getByLabel("Shown once")).toHaveText(/^whsec_/);
  const id = /Registered webhook (\d+)/.exec((await registered.textContent())!)![1];

  // A claim logged in the story is queued for the endpoint at once, and shows in its log.
  const claim = await api.post(`/api/stories/${story.slug}/claims`, { documentId: story.wrap.id, text: `A claim for the webhook ${unique}.` });
  await page.reload();
  const endpoint = page.getByRole("region", { name: `Webhook ${id}: ${url}` });
  await expect(endpoint).toContainText(`story ${story.slug}`);
  await expect(endpoint).not.toContainText("New versions of documents");
  await expect(endpoint.getByRole("row").filter({ hasText: `urn:claimtrail:claim:${claim.id}` })).toHaveCount(1);
  await expect(page.getByText(/^whsec_/)).toHaveCount(0);

  await endpoint.getByRole("button", { name: `Disable webhook ${id}` }).click();
  await expect(endpoint.getByText(`Disabled webhook ${id}: nothing more is sent to it.`)).toBeVisible();
  await page.reload();
  await expect(endpoint).toContainText("disabled");
  await expect(endpoint.getByRole("button", { name: `Disable webhook ${id}` })).toHaveCount(0);
});

test("a source drops one quoted passage and rewords another: readers see dated marks, and the editor settles both in the inbox", async ({ editorPage: page, api, sources, browser }) => {
  // A feed reader, the Nu checker and axe on four pages: more than the default minute when the suite runs in parallel.
  test.setTimeout(120_000);
  const { comicbook, relayHowLong, updateHowLong, slug } = sources;
  const RELAY_QUOTE = "This reportedly involved a two-to-three-month overseas shoot";
  const UPDATE_QUOTE = "This additional photography only spanned less than one month";
  const REWORDED = "This additional photography only lasted less than one month";
  const third = DEMO_VERSIONS.updated.replace(`${RELAY_QUOTE} […]`, "").replace(UPDATE_QUOTE, REWORDED);
  await api.post(`/api/documents/${comicbook.id}/versions`, { text: third, seenAt: "2024-10-16", note: "a quiet edit" });

  const relay = await api.get(`/api/claims/${relayHowLong.id}`);
  expect(relay.anchor).toMatchObject({ state: "removed", since: "2024-10-16T00:00:00.000Z" });
  expect((await api.get(`/api/claims/${updateHowLong.id}`)).anchor).toMatchObject({ state: "changed" });

  // A feed reader gets one item for each edit.
  const feed = newsboat(`${editorURL}/stories/${slug}/feed.atom?kinds=quotes`);
  expect(feed.first.trim()).toBe("2 unread articles");
  expect(feed.items.map((i) => [i.title, i.url])).toEqual(
    expect.arrayContaining([
      [`ComicBook removed a passage a claim quotes: “${RELAY_QUOTE}”`, `${editorURL}/claims/${relayHowLong.id}#source-edits`],
      [`ComicBook reworded a passage a claim quotes: “${UPDATE_QUOTE}”`, `${editorURL}/claims/${updateHowLong.id}#source-edits`],
    ]),
  );
  for (const item of feed.items) expect(item.guid).toMatch(/^urn:claimtrail:quote:\d+$/);

  // A reader sees the mark apart from the status, the date the source changed the passage, and the diff.
  const reader = await (await browser.newContext({ baseURL: editorURL })).newPage();
  await reader.goto(`/claims/${relayHowLong.id}`);
  await expect(reader.getByText("Quote removed by its source").first()).toBeVisible();
  const edits = reader.locator("#source-edits");
  await expect(edits).toContainText("On 16 Oct 2024 ComicBook removed this passage from its article, without a correction notice.");
  await expect(edits.getByRole("figure", { name: /^What the source did to the passage/ })).toContainText(RELAY_QUOTE);
  expect(await violations(reader), "claim page with a removed quote").toEqual([]);
  // As published on 15 October, the passage was still there.
  await reader.goto(`/claims/${relayHowLong.id}?asOf=2024-10-15`);
  await expect(reader.locator("#source-edits")).toHaveCount(0);
  await reader.goto(`/stories/${slug}`);
  await expect(reader.locator(".event-source-edit")).toHaveCount(2);
  await expect(reader.locator(".event-source-edit").first()).toContainText("edited without notice");

  // The editor's inbox holds both decisions; each resolves in place.
  await page.goto("/editor/inbox");
  const reworded = page.getByRole("listitem", { name: new RegExp(`^Quote of claim ${updateHowLong.id},`) });
  await expect(reworded.getByRole("heading")).toContainText("A quoted passage was reworded");
  expect(await violations(page), "inbox").toEqual([]);
  const html = new Map<string, string>();
  for (const path of [`/claims/${relayHowLong.id}`, `/claims/${updateHowLong.id}`, `/stories/${slug}`, "/editor/inbox"]) {
    const res = await page.request.get(path, { headers: { "user-agent": BROWSER_UA } });
    expect(res.status(), path).toBe(200);
    html.set(path, await res.text());
  }
  expect(nuErrors(html)).toEqual([]);

  await reworded.getByRole("button", { name: "Take the new wording as the quote" }).click();
  await expect(reworded.getByRole("status")).toContainText("The claim now quotes the new wording.");
  expect((await api.get(`/api/claims/${updateHowLong.id}`)).claim.quote).toBe(REWORDED);
  const removed = page.getByRole("listitem", { name: new RegExp(`^Quote of claim ${relayHowLong.id},`) });
  await removed.getByRole("button", { name: "Noted: keep the claim, marked" }).click();
  await expect(removed.getByRole("status")).toContainText("Noted.");
  await page.reload();
  await expect(page.getByRole("listitem", { name: new RegExp(`^Quote of claim ${updateHowLong.id},`) })).toHaveCount(0);
  await expect(page.getByRole("listitem", { name: new RegExp(`^Quote of claim ${relayHowLong.id},`) })).toHaveCount(0);
  await reader.context().close();
});
