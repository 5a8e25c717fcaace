import { editorURL, expect, test } from "./fixtures";
import { BROWSER_UA, nuErrors, violations } from "./helpers";

// A story past the picture's limit of 60 claims: its picture gathers claims by outlet, says so,
// and stays accessible and valid.

const OUTLETS = 9;
const CLAIMS = 72;

test("a story of 72 claims from 9 outlets is drawn in boxes by outlet, says so, and passes axe and the Nu checker", async ({ page, request, api, story, unique }) => {
  test.setTimeout(120_000);
  const documents = [];
  for (let i = 0; i < OUTLETS; i++) {
    documents.push(await api.post("/api/documents", { outlet: { name: `Outlet ${i + 1} ${unique}` }, title: `Report ${i + 1}`, url: `https://outlet-${i + 1}-${unique}.example/report`, publishedAt: "2024-10-14" }));
  }
  const claims: Awaited<ReturnType<typeof api.post>>[] = [];
  for (let i = 0; i < CLAIMS; i++) {
    // Outlet 1 reports, the others relay what came just before, a few of them a day later.
    claims.push(
      await api.post(`/api/stories/${story.slug}/claims`, {
        documentId: documents[i % OUTLETS]!.id,
        questionId: story.questions.howLong.id,
        text: `Statement number ${i + 1} about the reshoot.`,
        ...(i % OUTLETS !== 0 && { relaysClaimId: claims[i - 1]!.id }),
      }),
    );
  }
  await page.goto(`${editorURL}/stories/${story.slug}`);
  const section = page.getByRole("region", { name: "Who relayed and answered whom" });
  await expect(section).toContainText(`This story has ${CLAIMS} claims from ${OUTLETS} outlets, too many to draw one by one`);
  const picture = section.getByRole("group", { name: /Who reported what/ });
  // Six outlets and one box for the other three.
  await expect(picture.getByRole("link")).toHaveCount(7);
  await expect(picture.getByRole("link", { name: /^3 other outlets · 24 claims/ })).toHaveAttribute("href", `/stories/${story.slug}#timeline`);
  await expect(picture.getByRole("link", { name: new RegExp(`^Outlet 1 ${unique} · 8 claims`) })).toHaveCount(1);
  expect(await violations(page)).toEqual([]);

  const html = await (await request.get(`${editorURL}/stories/${story.slug}`, { headers: { "user-agent": BROWSER_UA } })).text();
  expect(nuErrors(new Map([["grouped story", html]]))).toEqual([]);
});
