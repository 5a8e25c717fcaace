import { editorContext, expect, test, type EditorApi } from "./fixtures";
import { BROWSER_UA, nuErrors, violations } from "./helpers";

const SYLLABLES = ["ka", "vel", "mor", "tis", "bra", "quen", "do", "lur", "sen", "fa", "gri", "nok", "pal", "zu", "ther", "wim"];

/**
 * Names no other test uses: the editors' server is shared, and claims that differ in one name
 * still read alike. Only "reshot" is common to two tests' reports, and a match needs two words.
 */
function namesOf(unique: string) {
  let seed = [...unique].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const word = () => {
    let w = "";
    for (let i = 0; i < 3; i++) {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      w += SYLLABLES[(seed >>> 16) % SYLLABLES.length];
    }
    return w[0]!.toUpperCase() + w.slice(1);
  };
  return { first: word(), last: word(), film: word(), place: word() };
}

type Names = ReturnType<typeof namesOf>;

async function reshootStory(api: EditorApi, slug: string, n: Names) {
  const doc = async (outlet: string, day: string) => api.post("/api/documents", { outlet: { name: outlet }, title: `${outlet} on ${n.film}`, publishedAt: `2024-10-${day}` });
  const [insider, reel, beat, voice] = [await doc("Screen Insider", "14"), await doc("Reel World", "15"), await doc("Film Beat", "15"), await doc("Studio Voice", "16")];
  const origin = await api.post(`/api/stories/${slug}/claims`, { documentId: insider.id, text: `${n.first} ${n.last} reshot most of ${n.film} in ${n.place}.` });
  return { insider, reel, beat, voice, origin };
}

test("the claim form shows claims already held as the editor types, and logs a relay or a link in one click", async ({ editorPage: page, api, story, unique }) => {
  const n = namesOf(unique);
  const { reel, voice, origin } = await reshootStory(api, story.slug, n);

  await page.goto(`/editor/documents/${reel.id}?story=${story.slug}`);
  const form = page.getByRole("form", { name: "Log a claim" });
  await form.getByLabel("Statement").fill(`${n.last} reshot most of ${n.film} in ${n.place}, sources say.`);
  const suggestion = form.getByRole("listitem", { name: `Claim ${origin.id}, Screen Insider` });
  await expect(suggestion).toContainText(`${n.first} ${n.last} reshot most of ${n.film} in ${n.place}.`);
  await expect(suggestion).toContainText("14 Oct 2024");
  await expect(suggestion).toContainText("Standing");
  await expect(suggestion).toContainText("this story");
  expect(await violations(page), "claim form with suggestions").toEqual([]);

  await suggestion.getByRole("button", { name: `Log as relaying #${origin.id}` }).click();
  const logged = form.getByRole("status").filter({ hasText: /Logged claim \d+ as a relay/ });
  await expect(logged).toBeVisible();
  const relayId = Number(/Logged claim (\d+)/.exec((await logged.textContent()) ?? "")![1]);
  expect((await api.get(`/api/claims/${relayId}`)).claim.relaysClaimId).toBe(origin.id);
  // The form starts afresh.
  await expect(form.getByLabel("Statement")).toHaveValue("");

  // A denial, linked from the list as it is logged.
  await page.goto(`/editor/documents/${voice.id}?story=${story.slug}`);
  await form.getByLabel("Statement").fill(`${n.last} did not reshoot most of ${n.film} in ${n.place}, the studio says.`);
  await form.getByLabel("A link made from this list").selectOption("contradicts");
  await form.getByRole("listitem", { name: `Claim ${origin.id}, Screen Insider` }).getByRole("button", { name: `Log as: contradicts #${origin.id}` }).click();
  await expect(form.getByRole("status").filter({ hasText: `contradicts claim ${origin.id}` })).toBeVisible();
  expect((await api.get(`/api/claims/${origin.id}`)).claim.status).toBe("disputed");

  // Unrelated words suggest nothing.
  await page.goto(`/editor/documents/${voice.id}?story=${story.slug}`);
  await form.getByLabel("Statement").fill("The harbour authority will dredge the northern channel next spring.");
  await expect(form.getByText("No claim Claimtrail holds reads like this one.")).toBeVisible();
});

test("without scripts, reviewing shows the similar claims and keeps the form; nothing is saved until a choice is made", async ({ browser, api, story, unique }) => {
  const n = namesOf(unique);
  const { beat, origin } = await reshootStory(api, story.slug, n);
  const context = await editorContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  const count = async () => (await api.get(`/api/stories/${story.slug}`)).claims.length;
  const before = await count();

  await page.goto(`/editor/documents/${beat.id}?story=${story.slug}`);
  const statement = `Film Beat hears ${n.last} reshot most of ${n.film} in ${n.place}.`;
  await page.getByLabel("Statement").fill(statement);
  await page.getByLabel("Who is quoted").fill("a crew member");
  await page.getByRole("button", { name: "Review similar claims" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 claim Claimtrail holds reads like this one" })).toBeVisible();
  await expect(page.getByLabel("Statement")).toHaveValue(statement);
  await expect(page.getByLabel("Who is quoted")).toHaveValue("a crew member");
  expect(await count()).toBe(before);
  // The reviewed form came from a POST: its HTML, as the browser holds it, goes to the Nu checker.
  expect(nuErrors(new Map([["reviewed claim form", await page.content()]]))).toEqual([]);

  await page.getByRole("listitem", { name: `Claim ${origin.id}, Screen Insider` }).getByRole("button", { name: `Log as relaying #${origin.id}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `as a relay of claim ${origin.id}` })).toBeVisible();
  expect(await count()).toBe(before + 1);
  await context.close();
});

test("a claim page says who reported it first and who repeated it; the editor confirms or dismisses unmarked repeats", async ({ editorPage: page, api, story, unique }) => {
  const n = namesOf(unique);
  const { reel, beat, origin } = await reshootStory(api, story.slug, n);
  const claims = `/api/stories/${story.slug}/claims`;
  const marked = await api.post(claims, { documentId: beat.id, relaysClaimId: origin.id, text: `${n.last} reshot most of ${n.film} in ${n.place}, Screen Insider reports.` });
  const unmarked = await api.post(claims, { documentId: reel.id, text: `${n.first} ${n.last} reshot most of ${n.film} in ${n.place}, an insider says.` });

  await page.goto(`/claims/${unmarked.id}`);
  const section = page.getByRole("region", { name: "First appearance and spread" });
  await expect(section).toContainText("First reported by Screen Insider on 14 Oct 2024, in words like these; repeated by 2 outlets within 1 day.");
  await expect(section.getByRole("listitem")).toHaveText([/15 Oct 2024: Film Beat · relayed/, /15 Oct 2024: Reel World \(this claim\)/]);
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
  expect(jsonLd["@graph"][0].firstAppearance.publisher.name).toBe("Screen Insider");
  expect(await violations(page), "claim page").toEqual([]);

  await page.goto(`/editor/repeats?story=${story.slug}`);
  const pair = page.getByRole("listitem", { name: `Claim ${unmarked.id} and claim ${origin.id}` });
  await expect(pair.getByRole("heading")).toContainText("Reel World may relay Screen Insider");
  expect(await violations(page), "likely relays").toEqual([]);
  const html = new Map<string, string>();
  for (const path of [`/claims/${unmarked.id}`, `/editor/repeats?story=${story.slug}`, `/editor/documents/${reel.id}?story=${story.slug}`]) {
    const res = await page.request.get(path, { headers: { "user-agent": BROWSER_UA } });
    expect(res.status(), path).toBe(200);
    html.set(path, await res.text());
  }
  expect(nuErrors(html)).toEqual([]);

  await pair.getByRole("button", { name: "Not a repeat" }).click();
  await expect(pair.getByRole("status")).toContainText(`Dismissed: claim ${unmarked.id} is not a repeat of claim ${origin.id}.`);
  await page.reload();
  await expect(page.getByRole("listitem", { name: `Claim ${unmarked.id} and claim ${origin.id}` })).toHaveCount(0);
  expect((await api.get(`/api/claims/${origin.id}`)).spread.repeats.map((r: { claimId: number }) => r.claimId)).toEqual([marked.id]);

  // Another outlet's unmarked repeat, confirmed: it becomes a relay.
  const other = await api.post("/api/documents", { outlet: { name: "Cinema Daily" }, title: `Cinema Daily on ${n.film}`, publishedAt: "2024-10-16" });
  const echo = await api.post(claims, { documentId: other.id, text: `${n.first} ${n.last} reshot most of ${n.film} in ${n.place}, we hear.` });
  await page.reload();
  const confirm = page.getByRole("listitem", { name: `Claim ${echo.id} and claim ${origin.id}` });
  await confirm.getByRole("button", { name: `Mark #${echo.id} as relaying #${origin.id}` }).click();
  await expect(confirm.getByRole("status")).toContainText(`Marked: claim ${echo.id} relays claim ${origin.id}.`);
  expect((await api.get(`/api/claims/${echo.id}`)).claim.relaysClaimId).toBe(origin.id);
});
