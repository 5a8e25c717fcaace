import { describe, expect, it } from "vitest";
import { questionPhrase } from "./phrase";

describe("questionPhrase", () => {
  it("turns the seed story's questions into the phrases its feed titles use", () => {
    expect(questionPhrase("How long did the additional photography last?")).toBe("how long the additional photography lasted");
    expect(questionPhrase("Who led the additional photography?")).toBe("who led the additional photography");
    expect(questionPhrase("Why did Chad Stahelski shoot scenes?")).toBe("why Chad Stahelski shot scenes");
  });

  it.each([
    ["When did production stop?", "when production stopped"],
    ["Where did the money go?", "where the money went"],
    ["Why did the CEO step down?", "why the CEO stepped down"],
    ["How many people did the storm kill?", "how many people the storm killed"],
    ["How long did the shoot last?", "how long the shoot lasted"],
    ["What did the minister say about the budget?", "what the minister said about the budget"],
    ["When was the film shot?", "when the film was shot"],
    ["Why was the set closed?", "why the set was closed"],
    ["Why was Wiseman in hospital?", "why Wiseman was in hospital"],
    ["Who was the director of the film?", "who the director of the film was"],
    ["How many people were hurt?", "how many people were hurt"],
  ])("%s → %s", (question, phrase) => {
    expect(questionPhrase(question)).toBe(phrase);
  });

  it.each([
    "Did Stahelski reshoot the film?",
    "Why did the studio fire the director?",
    "Why did the studio hire Wiseman?",
    "Why does the studio want a sequel?",
    "Who said <this> & ]]>? 🤔",
    "The budget",
    "من أخرج الفيلم؟",
  ])("leaves %s to be quoted as asked", (question) => {
    expect(questionPhrase(question)).toBeNull();
  });
});
