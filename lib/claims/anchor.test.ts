import { describe, expect, it } from "vitest";
import { findQuote, normalised } from "./anchor";

const QUOTE = "Stahelski was involved with reshooting “most of the movie,”";
const BEFORE = "According to a new report from The Wrap, ";
const AFTER = " after director Len Wiseman’s initial cut did not meet expectations.";
const anchor = { quote: QUOTE, prefix: BEFORE, suffix: AFTER };
const original = `${BEFORE}${QUOTE}${AFTER}`;

describe("finding a quote again in a new version", () => {
  it.each([
    ["exactly where it was", original, "present", QUOTE],
    ["moved further down the text", `Update: a new paragraph on top.\n\n${original}`, "present", QUOTE],
    ["with straight quote marks where it had curly ones", original.replace(/[“”]/g, '"'), "present", QUOTE.replace(/[“”]/g, '"')],
    ["with a non-breaking space and a line break inside it", original.replace("was involved", "was\u00A0involved").replace("reshooting", "\nreshooting"), "present", QUOTE.replace("was involved", "was\u00A0involved").replace("reshooting", "\nreshooting")],
    ["reworded", original.replace("involved with reshooting", "involved in reshooting"), "changed", "Stahelski was involved in reshooting “most of the movie,”"],
    ["with the words that mattered taken out", original.replace("“most of the movie,”", ""), "removed", null],
    ["gone with its paragraph", "Len Wiseman led additional photography for the film.", "removed", null],
  ])("%s", (_case, text, state, found) => {
    const check = findQuote(text, anchor);
    expect(check.state).toBe(state);
    if ("start" in check) expect(text.slice(check.start, check.end)).toBe(found);
  });

  it("tells two occurrences of a phrase apart by the context recorded with it, or leaves them to an editor", () => {
    const phrase = { quote: "the studio said", prefix: "Budapest, ", suffix: ". Wiseman" };
    const text = "In Prague, the studio said. Stahelski left. In Budapest, the studio said. Wiseman stayed.";
    const found = findQuote(text, phrase);
    expect(found).toMatchObject({ state: "present" });
    expect((found as { start: number }).start).toBe(text.lastIndexOf("the studio said"));
    expect(findQuote("the studio said, and the studio said again", { quote: "the studio said", prefix: null, suffix: null })).toEqual({ state: "ambiguous", occurrences: 2 });
  });

  it("matches a short quote only exactly, and never takes a distant text for a reworded one", () => {
    expect(findQuote("He said no.", { quote: "said yes", prefix: null, suffix: null })).toEqual({ state: "removed" });
    // Close in letters, different in words: not the same passage.
    expect(findQuote("Stahelski was invited to reshape most of the movie plans", anchor).state).toBe("removed");
  });

  it("evens out quote marks, dashes and spaces, and knows where each character came from", () => {
    const n = normalised("a\u00A0 “b” — c");
    expect(n.text).toBe('a "b" - c');
    expect(n.from.length).toBe(n.text.length + 1);
    expect("a\u00A0 “b” — c"[n.from[2]!]).toBe("“");
  });
});
