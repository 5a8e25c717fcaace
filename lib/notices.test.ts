import { describe, expect, it } from "vitest";
import { noticesAdded } from "./notices";

describe("notices a new version adds", () => {
  it.each([
    ["Update: the studio has since denied the report.", "update"],
    ["Correction (Oct. 16): An earlier claim named the wrong director.", "correction"],
    ["Editor’s note: This story was updated with a statement from the studio.", "editor's note"],
    ["Clarification: the shoot took place in Budapest.", "clarification"],
    ["An earlier version of this article misstated how long the shoot lasted.", "earlier version"],
  ])("%s", (paragraph, kind) => {
    expect(noticesAdded("The story as it was.", `${paragraph}\n\nThe story as it was.`)).toEqual([{ kind, notice: paragraph }]);
  });

  it("quotes from the marker on, and ignores paragraphs that were there before or hold no marker", () => {
    expect(noticesAdded("Update: an old note.", "Update: an old note.\n\nA new paragraph about updates.")).toEqual([]);
    expect(noticesAdded("A.", "Some context first. Correction: the date was wrong.\n\nA.")).toEqual([{ kind: "correction", notice: "Correction: the date was wrong." }]);
  });
});
