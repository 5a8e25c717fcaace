import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentVersions } from "@/db/schema";
import { expandStrictly } from "@/lib/testing/jsonld";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { annotationOf } from "./annotation";
import { readClaim } from "./index";

const ORIGIN = "https://claimtrail.example";
const absolute = (path: string) => `${ORIGIN}${path}`;

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("a claim's quote as a Web Annotation", () => {
  it("selects the quoted words with what surrounds them in the version they were read in", async () => {
    const detail = await readClaim(4);
    const annotation = await annotationOf(database.db, detail, absolute);
    const { selector, state, source } = annotation.target;
    expect(selector).toMatchObject({ type: "TextQuoteSelector", exact: detail.claim.quote });
    expect(source).toBe(detail.claim.document.url);
    expect(state).toMatchObject({ type: "TimeState", cached: `${ORIGIN}/documents/${detail.claim.document.id}#version-${detail.anchor.versionId}` });
    const [version] = await database.db.select().from(documentVersions).where(eq(documentVersions.id, detail.anchor.versionId!));
    // The selector finds the passage in the stored text, with its context on both sides.
    expect(version!.text).toContain(`${selector.prefix ?? ""}${selector.exact}${selector.suffix ?? ""}`);
    expect(state!.sourceDate).toBe(version!.seenAt.toISOString());
    expect(annotation.body[0]).toMatchObject({ type: "TextualBody", value: detail.claim.text, purpose: "describing" });
  });

  it("expands as JSON-LD with no term dropped", async () => {
    const annotation = await annotationOf(database.db, await readClaim(4), absolute);
    const [expanded] = (await expandStrictly(annotation)) as Record<string, unknown>[];
    expect(expanded!["@type"]).toEqual(["http://www.w3.org/ns/oa#Annotation"]);
    const target = (expanded!["http://www.w3.org/ns/oa#hasTarget"] as Record<string, unknown>[])[0]!;
    const selector = (target["http://www.w3.org/ns/oa#hasSelector"] as Record<string, { "@value": string }[]>[])[0]!;
    expect(selector["http://www.w3.org/ns/oa#exact"]![0]!["@value"]).toBe(annotation.target.selector.exact);
  });

  it("is refused for a claim that quotes nothing", async () => {
    await expect(annotationOf(database.db, await readClaim(2), absolute)).rejects.toMatchObject({ code: "not_found" });
  });
});
