import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit";
import { reviseClaim } from "@/lib/claims";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { CARD, claimCard, storyCard } from "./index";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** The size a PNG declares in its header, after checking its signature. */
function pngSize(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("share cards", () => {
  it("are PNG images of 1200×630 for stories and claims", async () => {
    expect(pngSize(await storyCard("who-reshot-ballerina"))).toEqual(CARD);
    expect(pngSize(await claimCard(4))).toEqual(CARD);
  });

  it("are kept until a write, then drawn again", async () => {
    const before = await claimCard(4);
    expect(await claimCard(4)).toBe(before);
    await reviseClaim(database.db, systemActor("test"), 4, { text: "Stahelski reshot a large part of Ballerina.", reason: "Wording", baseRevision: 1 });
    const after = await claimCard(4);
    expect(after).not.toBe(before);
    expect(after.equals(before)).toBe(false);
  });
});
