import { expect, test } from "@playwright/test";
import { STORY, seedStory } from "./helpers";

// The provenance pictures, share cards, citations and linked data of the seed story, as a reader
// and the programs a reader uses meet them.

test.describe("the story's picture", () => {
  test("draws every claim as a link to it, with the same relations in words beside it", async ({ page, request }) => {
    const { claims } = await (await request.get(`/api/stories/who-reshot-ballerina`)).json();
    await page.goto(STORY);
    const section = page.getByRole("region", { name: "Who relayed and answered whom" });
    const figure = section.getByRole("figure");
    const picture = figure.getByRole("group", { name: /Who reported what in “Who reshot Ballerina\?”/ });
    await expect(picture).toBeVisible();
    for (const c of claims) await expect(picture.locator(`a[href="/claims/${c.id}"]`)).toHaveCount(1);
    await expect(picture.getByRole("link", { name: /^The Wrap 14 Oct 2024 · disputed: / })).toHaveCount(3);
    await section.getByText("The same relations in words").click();
    const words = section.locator(".provenance-words").getByRole("listitem");
    await expect(words).toHaveCount(9);
    await expect(words.filter({ hasText: / relays The Wrap, 14 Oct 2024/ })).toHaveCount(3);
    await expect(words.filter({ hasText: / corrects ComicBook, 14 Oct 2024/ })).toHaveCount(3);
    await expect(words.filter({ hasText: / contradicts The Wrap, 14 Oct 2024/ })).toHaveCount(3);

    // A box leads to its claim.
    await picture.getByRole("link", { name: /^ComicBook 15 Oct 2024 · standing: The additional photography lasted less than one month/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("The additional photography lasted less than one month.");
  });

  test("as of 14 October 2024 shows only what was published by then", async ({ page }) => {
    await page.goto(`${STORY}?asOf=2024-10-14`);
    const picture = page.getByRole("region", { name: "Who relayed and answered whom" }).getByRole("group", { name: /Who reported what/ });
    await expect(picture.getByRole("link")).toHaveCount(6);
    await expect(picture).not.toContainText("15 Oct 2024");
    await expect(picture).not.toContainText("corrected");
  });

  test("is served alone as an SVG file, at the page's date too", async ({ request }) => {
    const now = await request.get(`${STORY}/graph.svg`);
    expect(now.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
    const svg = await now.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<a href="\/claims\/\d+"/g)).toHaveLength(9);
    const then = await (await request.get(`${STORY}/graph.svg?asOf=2024-10-14`)).text();
    expect(then.match(/<a href="\/claims\/\d+"/g)).toHaveLength(6);
    expect((await request.get(`/stories/no-such-story/graph.svg`)).status()).toBe(404);
  });

  test("on a phone, scrolls inside its frame while the page keeps its width", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(STORY);
    const frame = page.locator(".provenance-scroll");
    const { scroll, client } = await frame.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(scroll).toBeGreaterThan(client);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});

test("in print, the picture is scaled to the page instead of cut off", async ({ page }) => {
  await page.setViewportSize({ width: 600, height: 900 });
  await page.emulateMedia({ media: "print" });
  await page.goto(STORY);
  const widths = await page.locator(".provenance-scroll svg").evaluate((svg) => ({ drawn: svg.getBoundingClientRect().width, page: document.documentElement.clientWidth }));
  expect(widths.drawn).toBeLessThanOrEqual(widths.page);
  const { scroll, client } = await page.locator(".provenance-scroll").evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
});

test("the timeline strip counts each day's events and leads to the account as of then", async ({ page }) => {
  await page.goto(`${STORY}?asOf=2024-10-14`);
  const strip = page.getByRole("group", { name: /When “Who reshot Ballerina\?” was reported/ });
  await expect(strip).toContainText("As of 14 Oct 2024");
  await strip.getByRole("link", { name: "15 Oct 2024: 3 reports, 6 corrections and other links (after the date shown)" }).click();
  await expect(page).toHaveURL(/asOf=2024-10-15/);
  await expect(page.getByRole("heading", { level: 2, name: "The account as of 15 Oct 2024" })).toBeVisible();
});

test.describe("a claim page", () => {
  test("shows the claim's neighbourhood with the claim marked", async ({ page, request }) => {
    const seed = await seedStory(request);
    await page.goto(`/claims/${seed.wrapHowLong.id}`);
    const section = page.getByRole("region", { name: "Where it came from and where it went" });
    const picture = section.getByRole("group", { name: /^Where “The reshoot was a two-to-three-month overseas shoot\.” came from/ });
    await expect(picture.getByRole("link")).toHaveCount(3);
    await expect(picture.locator(`a[href="/claims/${seed.relayHowLong.id}"]`)).toHaveCount(1);
    await expect(picture.locator(`a[href="/claims/${seed.updateHowLong.id}"]`)).toHaveCount(1);
  });

  test("offers citations to copy and download, and its quote as a Web Annotation", async ({ page, request, baseURL }) => {
    const seed = await seedStory(request);
    await page.goto(`/claims/${seed.relayHowLong.id}`);
    const cite = page.getByRole("region", { name: "Cite this claim" });
    await expect(cite.locator(".reference")).toContainText("(2024, October 14). ComicBook. https://comicbook.com/");
    await cite.getByText("BibTeX", { exact: true }).click();
    const bibtex = cite.locator("details", { hasText: "BibTeX" }).locator("pre");
    await expect(bibtex).toContainText("@article{");
    await expect(bibtex).toContainText(`${baseURL}/claims/${seed.relayHowLong.id}`);
    await cite.getByText("RIS", { exact: true }).click();
    const download = await cite.getByRole("link", { name: "Download the RIS file" }).getAttribute("href");
    const ris = await request.get(download!);
    expect(ris.headers()["content-type"]).toBe("application/x-research-info-systems; charset=utf-8");
    expect(await ris.text()).toContain(`UR  - ${seed.relayHowLong.document.url}`);

    const alternate = await page.locator('link[rel="alternate"][type="application/ld+json"]').getAttribute("href");
    const annotation = await (await request.get(alternate!)).json();
    expect(annotation).toMatchObject({ type: "Annotation", target: { selector: { type: "TextQuoteSelector", exact: seed.relayHowLong.quote } } });
  });
});

test("share cards are 1200×630 PNG images named by the pages", async ({ page, request }) => {
  const seed = await seedStory(request);
  for (const path of [STORY, `/claims/${seed.relayHowLong.id}`]) {
    await page.goto(path);
    const image = await page.locator('meta[property="og:image"]').getAttribute("content");
    expect(await page.locator('meta[property="og:image:width"]').getAttribute("content")).toBe("1200");
    const res = await request.get(image!);
    expect(res.headers()["content-type"]).toBe("image/png");
    const png = await res.body();
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(630);
  }
});

test("the story names its PROV-O provenance as an alternate", async ({ page, request }) => {
  await page.goto(STORY);
  const href = await page.locator('link[rel="alternate"][type="application/ld+json"]').getAttribute("href");
  const res = await request.get(href!);
  expect(res.headers()["content-type"]).toBe("application/ld+json");
  const doc = await res.json();
  expect(doc["@context"].prov).toBe("http://www.w3.org/ns/prov#");
  expect(doc["@graph"].filter((n: { "@type": unknown }) => n["@type"] === "prov:Entity").length).toBeGreaterThan(9);
});
