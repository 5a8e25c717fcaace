import { expect, test } from "@playwright/test";
import { BROWSER_UA, nuErrors, readerPages } from "./helpers";

test("the Nu checker finds no errors in the HTML of any page type", async ({ request }) => {
  test.setTimeout(120_000);
  const pages = new Map<string, string>();
  for (const { name, path: url, status } of await readerPages(request)) {
    const res = await request.get(url, { headers: { "user-agent": BROWSER_UA } });
    expect(res.status(), name).toBe(status ?? 200);
    pages.set(name, await res.text());
  }
  expect(nuErrors(pages)).toEqual([]);
  expect(pages.size).toBeGreaterThanOrEqual(15);
});
