import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit";
import { createClaim, readClaim } from "@/lib/claims";
import { createDocument } from "@/lib/documents";
import { readStory } from "@/lib/stories";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { documentInput } from "@/lib/validation";
import { claimJsonLd, serializeJsonLd } from "./jsonld";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const absolute = (path: string) => `https://claimtrail.example${path}`;

async function claimByText(text: string) {
  const view = await readStory("who-reshot-ballerina");
  const claim = view.claims.find((c) => c.text === text);
  if (!claim) throw new Error(`no claim "${text}"`);
  return readClaim(claim.id);
}

const graphOf = (data: any) => data["@graph"] as any[];

describe("claim JSON-LD", () => {
  it("describes a corrected relay as a Claim first appearing at its origin, with a ClaimReview naming the status", async () => {
    const detail = await claimByText("The reshoot was a two-to-three-month overseas shoot, The Wrap reports.");
    const data = claimJsonLd(detail, absolute);
    expect(data["@context"]).toBe("https://schema.org");
    const [claim, review] = graphOf(data);
    expect(claim).toMatchObject({
      "@type": "Claim",
      "@id": `https://claimtrail.example/claims/${detail.claim.id}#claim`,
      text: detail.claim.text,
      datePublished: "2024-10-14T00:00:00.000Z",
      author: { "@type": "Organization", name: "ComicBook" },
      // Its own article, then The Wrap's, where it first appeared.
      appearance: [
        { "@type": "CreativeWork", publisher: { "@type": "Organization", name: "ComicBook" } },
        { "@type": "CreativeWork", publisher: { "@type": "Organization", name: "The Wrap" } },
      ],
      firstAppearance: { "@type": "CreativeWork", name: "Chad Stahelski reshot most of Ballerina, insider says", publisher: { name: "The Wrap" } },
    });
    expect(review).toMatchObject({
      "@type": "ClaimReview",
      claimReviewed: detail.claim.text,
      itemReviewed: { "@id": claim["@id"] },
      reviewRating: { "@type": "Rating", alternateName: "Corrected" },
      datePublished: "2024-10-15T00:00:00.000Z",
    });
  });

  it("names an anonymous source as the author, the claim's own document as its first appearance, and the relay as a later one", async () => {
    const detail = await claimByText("The reshoot was a two-to-three-month overseas shoot.");
    const [claim, review] = graphOf(claimJsonLd(detail, absolute));
    expect(claim.author).toEqual({ "@type": "Person", name: "an insider" });
    expect(claim.appearance.map((a: any) => a.publisher.name)).toEqual(["The Wrap", "ComicBook"]);
    expect(claim.firstAppearance).toEqual(claim.appearance[0]);
    expect(review.reviewRating.alternateName).toBe("Disputed");
  });

  it("has no ClaimReview while a claim stands unchallenged", async () => {
    const detail = await claimByText("The additional photography lasted less than one month.");
    expect(graphOf(claimJsonLd(detail, absolute)).map((n) => n["@type"])).toEqual(["Claim"]);
  });

  it("cannot be broken out of its script element by the text it carries", async () => {
    const actor = systemActor("test");
    const { document } = await createDocument(database.db, actor, documentInput.parse({ outlet: { name: "Mischief Weekly" }, title: "</script><script>alert(1)</script>", publishedAt: "2024-11-01" }));
    const created = await createClaim(database.db, actor, "who-reshot-ballerina", {
      documentId: document.id,
      text: "</script><script>alert(1)</script> \u2028 <!-- end",
      speaker: "<b>someone</b>",
    });
    const json = serializeJsonLd(claimJsonLd(await readClaim(created.id), absolute));
    expect(json).not.toContain("<");
    expect(json).not.toContain("\u2028");
    // Escaping changes the characters, not the data.
    const [claim] = graphOf(JSON.parse(json));
    expect(claim.text).toBe("</script><script>alert(1)</script> \u2028 <!-- end");
    expect(claim.appearance.name).toBe("</script><script>alert(1)</script>");
  });
});
