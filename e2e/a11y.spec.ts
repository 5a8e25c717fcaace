import { expect, test } from "@playwright/test";
import { READER_PAGES, seedStory, violations } from "./helpers";

for (const { name, path, status } of READER_PAGES) {
  test(`axe finds no violations: ${name}`, async ({ page, request }) => {
    const res = await page.goto(path(await seedStory(request)));
    expect(res?.status()).toBe(status ?? 200);
    expect(await violations(page)).toEqual([]);
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  for (const { name, path } of READER_PAGES.filter((p) => ["story", "corrected relay claim side by side", "document side by side"].includes(p.name))) {
    test(`axe finds no violations: ${name}`, async ({ page, request }) => {
      await page.goto(path(await seedStory(request)));
      expect(await violations(page)).toEqual([]);
    });
  }
});
