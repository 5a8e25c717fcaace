import { expect, test, type Page } from "@playwright/test";
import { SEED_SLUG, STORY, readerPages, seedStory } from "./helpers";

const question = (page: Page, label: string) => page.getByRole("region", { name: new RegExp(`^${label}`) });
// Next's own route announcer is an empty alert too; the page's message is the one that explains.
const problem = (page: Page) => page.getByRole("alert").filter({ hasText: "could not be read" });
const HOW_LONG = "How long did the additional photography last\\?";

test.describe("a reader walking the seed story", () => {
  test("reads the current account from the front page", async ({ page }) => {
    await page.goto("/");
    const story = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Who reshot Ballerina?" }) });
    await expect(story.getByRole("link", { name: "ComicBook corrected its relay of The Wrap" })).toBeVisible();
    await expect(story).toContainText("15 Oct 2024");
    await story.getByRole("link", { name: "Who reshot Ballerina?" }).click();

    await expect(page).toHaveURL(new RegExp(`/stories/${SEED_SLUG}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Who reshot Ballerina?" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "The current account" })).toBeVisible();
    const howLong = question(page, HOW_LONG);
    await expect(howLong.getByRole("heading", { name: /Contested/ })).toBeVisible();
    const best = howLong.getByRole("group", { name: "Best answer" });
    await expect(best.getByRole("link", { name: "The additional photography lasted less than one month." })).toBeVisible();
    await expect(best).toContainText("Standing");
    await expect(best).toContainText("ComicBook");
    await expect(best).toContainText("15 Oct 2024");
    // The answer it replaced is still there, marked as corrected in words, not only in colour.
    await expect(howLong.getByRole("heading", { name: "Answers it replaced" })).toBeVisible();
    const replaced = howLong.getByRole("listitem").filter({ hasText: "The reshoot was a two-to-three-month overseas shoot, The Wrap reports." });
    await expect(replaced).toContainText("Corrected");

    const timeline = page.getByRole("region", { name: "Timeline" });
    await expect(timeline.getByRole("listitem").filter({ hasText: "ComicBook corrected its relay of The Wrap" })).toHaveCount(3);
  });

  test("steps back to 14 October 2024, sees the earlier answer, and steps forward again", async ({ page }) => {
    await page.goto(STORY);
    await page.getByRole("link", { name: /Previous change/ }).click();
    await expect(page).toHaveURL(/\?asOf=2024-10-14$/);
    await expect(page.getByRole("heading", { level: 2, name: "The account as of 14 Oct 2024" })).toBeVisible();
    const best = question(page, HOW_LONG).getByRole("group", { name: "Best answer" });
    await expect(best).toContainText("The reshoot was a two-to-three-month overseas shoot");
    await expect(best).toContainText("Standing");
    await expect(question(page, HOW_LONG)).not.toContainText("less than one month");
    await expect(page.getByText("Change 1 of 2")).toBeVisible();

    await page.getByRole("link", { name: /Next change/ }).click();
    await expect(page).toHaveURL(/\?asOf=2024-10-15$/);
    await expect(question(page, HOW_LONG).getByRole("group", { name: "Best answer" })).toContainText("less than one month");

    // The date control gives the same, shareable view.
    await page.getByLabel("Show the account as of").fill("2024-10-14");
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await expect(page).toHaveURL(/\?asOf=2024-10-14$/);
    await expect(question(page, HOW_LONG).getByRole("group", { name: "Best answer" })).toContainText("two-to-three-month");
    await page.getByRole("link", { name: "Latest account" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "The current account" })).toBeVisible();
  });

  test("gets a clear message, not an error page, for a malformed date", async ({ page }) => {
    const res = await page.goto(`${STORY}?asOf=yesterday`);
    expect(res?.status()).toBe(200);
    await expect(problem(page)).toContainText('"yesterday" is not a date');
    await expect(page.getByRole("heading", { level: 2, name: "The current account" })).toBeVisible();
  });

  test("opens a correction and reads its diff inline and side by side", async ({ page }) => {
    await page.goto(STORY);
    const correction = page
      .getByRole("region", { name: "Timeline" })
      .getByRole("listitem")
      .filter({ hasText: "ComicBook corrected its relay of The Wrap" })
      .filter({ hasText: "lasted less than one month" });
    await correction.getByRole("link", { name: "What the correction changed" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "The reshoot was a two-to-three-month overseas shoot, The Wrap reports." })).toBeVisible();
    const link = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /Corrected by ComicBook/ }) });
    const statement = link.getByRole("figure", { name: /The statement/ });
    await expect(statement.getByRole("deletion").first()).toContainText("two-to-three-");
    await expect(statement.getByRole("insertion").first()).toContainText("less than one");
    // Screen readers hear which words went and which came.
    await expect(statement.getByRole("deletion").first()).toContainText("[deleted:");
    await expect(link.getByRole("figure", { name: /The quote/ }).getByRole("insertion").first()).toContainText("only spanned less than one");

    await page.getByRole("link", { name: "Side by side" }).click();
    await expect(page).toHaveURL(/layout=side/);
    const table = link.getByRole("table", { name: /The statement/ });
    await expect(table.getByRole("columnheader")).toHaveText(["ComicBook, 14 Oct 2024", "ComicBook, 15 Oct 2024"]);
    const [before, after] = [table.getByRole("cell").nth(0), table.getByRole("cell").nth(1)];
    await expect(before.getByRole("deletion").first()).toContainText("two-to-three-");
    await expect(before.getByRole("insertion")).toHaveCount(0);
    await expect(after.getByRole("insertion").first()).toContainText("less than one");
    await expect(after.getByRole("deletion")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Side by side" })).toHaveAttribute("aria-current", "true");

    await page.getByRole("link", { name: "Inline" }).click();
    await expect(link.getByRole("figure", { name: /The statement/ })).toBeVisible();
  });

  test("follows a relay back to its origin and sees where the words drifted", async ({ page, request }) => {
    const seed = await seedStory(request);
    await page.goto(`/claims/${seed.relayHowLong.id}`);
    const chain = page.getByRole("region", { name: "Relay chain" });
    await expect(chain).toContainText("ComicBook passed this on from The Wrap");
    await expect(chain.getByRole("figure", { name: /How the words drifted/ }).getByRole("insertion")).toContainText(", The Wrap reports");
    await chain.getByRole("link", { name: "The reshoot was a two-to-three-month overseas shoot." }).click();

    await expect(page.getByRole("heading", { level: 1, name: "The reshoot was a two-to-three-month overseas shoot." })).toBeVisible();
    await expect(page.getByRole("region", { name: "Relay chain" })).toHaveCount(0);
    const status = page.getByRole("region", { name: "Status and why" });
    await expect(status).toContainText("Disputed");
    await expect(status).toContainText("Contradicted by ComicBook");
  });

  test("opens an outlet's record", async ({ page, request }) => {
    const seed = await seedStory(request);
    await page.goto(`/claims/${seed.wrapHowLong.id}`);
    await page.getByRole("main").getByRole("link", { name: "The Wrap", exact: true }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "The Wrap" })).toBeVisible();
    const figure = (label: string) =>
      page
        .getByRole("region", { name: "Its record" })
        .locator("dl > div")
        .filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }) })
        .getByRole("definition");
    await expect(figure("claims")).toContainText("3");
    await expect(figure("contradicted")).toContainText("3");
    await expect(figure("corrected")).toContainText("0");
    await expect(figure("corrections issued")).toContainText("0");

    await page.goto("/outlets/comicbook");
    await expect(figure("claims")).toContainText("6");
    await expect(figure("corrected")).toContainText("3");
    await expect(figure("corrections issued")).toContainText("3");
    await expect(page.getByRole("region", { name: /Its claims/ }).getByRole("listitem")).toHaveCount(6);
  });

  test("searches for a quote and opens the claim it came from", async ({ page }) => {
    await page.goto("/");
    const box = page.getByRole("search", { name: "Site" }).getByRole("searchbox");
    await box.fill('"only spanned less than one month"');
    await box.press("Enter");
    await expect(page).toHaveURL(/\/search\?q=/);
    await expect(page.getByRole("heading", { level: 2, name: /result.* for “"only spanned less than one month"”/ })).toBeVisible();
    const hit = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "The additional photography lasted less than one month." }) });
    await expect(hit.locator("mark").first()).toBeVisible();
    await expect(hit.getByRole("blockquote")).toContainText("This additional photography only spanned less than one month");
    await hit.getByRole("link", { name: "The additional photography lasted less than one month." }).click();
    await expect(page.getByRole("heading", { level: 1, name: "The additional photography lasted less than one month." })).toBeVisible();
  });

  test("reads a document's update against its original, with the unchanged text folded", async ({ page, request }) => {
    const seed = await seedStory(request);
    await page.goto(`/documents/${seed.comicbookDocument}`);
    const diff = page.getByRole("figure", { name: /What changed from version 1/ });
    await expect(diff.getByRole("insertion").first()).toContainText("Len Wiseman led additional photography");
    const fold = diff.getByText(/^Show \d+ unchanged words$/);
    await expect(fold).toBeVisible();
    await expect(diff.getByText(/Stahelski was involved with reshooting/)).toBeHidden();
    await fold.click();
    await expect(diff.getByText(/Stahelski was involved with reshooting/)).toBeVisible();
  });

  test("compares two dates: answers before and after, and what caused each change", async ({ page }) => {
    await page.goto(STORY);
    await page.getByRole("link", { name: "Compare two dates" }).click();
    await page.getByLabel("From", { exact: true }).fill("2024-10-14");
    await page.getByLabel("To", { exact: true }).fill("2024-10-15");
    await page.getByRole("button", { name: "Compare" }).click();
    await expect(page).toHaveURL(/from=2024-10-14&to=2024-10-15/);
    const howLong = question(page, HOW_LONG);
    await expect(howLong.getByRole("definition").first()).toContainText("two-to-three-month");
    await expect(howLong.getByRole("definition").nth(1)).toContainText("less than one month");
    await expect(page.getByRole("region", { name: "Claims added" }).getByRole("listitem")).toHaveCount(3);
    const statuses = page.getByRole("region", { name: "Statuses changed, and why" });
    const relay = statuses.getByRole("listitem").filter({ hasText: "The reshoot was a two-to-three-month overseas shoot, The Wrap reports." }).first();
    await expect(relay).toContainText("Standing");
    await expect(relay).toContainText("Corrected");
    await expect(relay).toContainText("Corrected by ComicBook");

    await page.goto(`${STORY}/changes?from=soon`);
    await expect(problem(page)).toContainText('"soon" is not a date');
  });

  test("unknown stories, claims, outlets and documents are real 404 pages that help", async ({ page }) => {
    for (const path of ["/stories/no-such-story", "/claims/2147483647", "/claims/abc", "/claims/-1", "/outlets/nobody", "/documents/99999999", "/no/such/page"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "We could not find that page" })).toBeVisible();
      await expect(page.getByRole("link", { name: "browse all stories" })).toBeVisible();
    }
  });

  test("a malformed page number is explained on the front page", async ({ page }) => {
    const res = await page.goto("/?page=abc");
    expect(res?.status()).toBe(200);
    await expect(problem(page)).toContainText("The page must be a number.");
    await expect(page.getByRole("link", { name: "Who reshot Ballerina?" })).toBeVisible();
  });
});

test("no page logs an error to the browser console", async ({ page, request }) => {
  test.setTimeout(90_000);
  const logged: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") logged.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => logged.push(`${page.url()}: ${e.message}`));
  // A 404 page's own status is reported in the console by the browser, so only the pages that exist are visited.
  for (const { path } of (await readerPages(request)).filter((p) => !p.status)) await page.goto(path, { waitUntil: "networkidle" });
  expect(logged).toEqual([]);
});

test("each page names the address it was asked for as its canonical one, proxied or not", async ({ request, baseURL }) => {
  const canonical = async (headers: Record<string, string>) => {
    const html = await (await request.get(STORY, { headers })).text();
    return /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1];
  };
  // Asked twice each, so the second answer of each comes from the page cache.
  for (let i = 0; i < 2; i++) {
    expect(await canonical({})).toBe(`${baseURL}${STORY}`);
    expect(await canonical({ "x-forwarded-host": "news.example", "x-forwarded-proto": "https" })).toBe(`https://news.example${STORY}`);
  }
});

test.describe("keyboard", () => {
  test("skips to the content and reaches the date control and the steps by Tab", async ({ page }) => {
    await page.goto(STORY);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Show the account as of")).toBeFocused();
    const previous = page.getByRole("link", { name: /Previous change/ });
    // The date field takes a few Tab presses of its own (day, month, year), then the button.
    for (let i = 0; i < 8 && !(await previous.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(previous).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/asOf=2024-10-14/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the story steps back, diffs switch layout and folds open", async ({ page, request }) => {
    await page.goto(STORY);
    await page.getByRole("link", { name: /Previous change/ }).click();
    await expect(page.getByRole("heading", { level: 2, name: "The account as of 14 Oct 2024" })).toBeVisible();

    const seed = await seedStory(request);
    await page.goto(`/claims/${seed.relayHowLong.id}`);
    await page.getByRole("link", { name: "Side by side" }).click();
    await expect(page.getByRole("table", { name: /The statement/ })).toBeVisible();

    await page.goto(`/documents/${seed.comicbookDocument}`);
    const diff = page.getByRole("figure", { name: /What changed from version 1/ });
    await diff.getByText(/^Show \d+ unchanged words$/).click();
    await expect(diff.getByText(/Stahelski was involved with reshooting/)).toBeVisible();
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("pages fit the screen without sideways scrolling, side-by-side diffs included", async ({ page, request }) => {
    const seed = await seedStory(request);
    for (const path of [STORY, `/claims/${seed.relayHowLong.id}?layout=side`, `/documents/${seed.comicbookDocument}?layout=side`, "/outlets/comicbook"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
