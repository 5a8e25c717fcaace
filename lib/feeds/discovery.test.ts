import { describe, expect, it } from "vitest";
import { feedAlternates } from "./discovery";

describe("feedAlternates", () => {
  it("announces the three feeds of a page under its path, each with its media type", () => {
    expect(feedAlternates("/stories/who-reshot-ballerina/", "Who reshot Ballerina?")).toEqual({
      types: {
        "application/rss+xml": [{ url: "/stories/who-reshot-ballerina/feed.xml", title: "Who reshot Ballerina? (RSS)" }],
        "application/atom+xml": [{ url: "/stories/who-reshot-ballerina/feed.atom", title: "Who reshot Ballerina? (Atom)" }],
        "application/feed+json": [{ url: "/stories/who-reshot-ballerina/feed.json", title: "Who reshot Ballerina? (JSON Feed)" }],
      },
    });
  });

  it("puts the site-wide feeds at the root", () => {
    expect(feedAlternates("/", "Claimtrail").types["application/atom+xml"][0]!.url).toBe("/feed.atom");
    expect(feedAlternates("", "Claimtrail").types["application/rss+xml"][0]!.url).toBe("/feed.xml");
  });
});
