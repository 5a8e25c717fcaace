import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { lockUntilCommit, type Executor } from "@/db";
import { stories } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { createClaim, linkClaims } from "@/lib/claims";
import { addVersion, createDocument } from "@/lib/documents";
import { addQuestion, createStory } from "@/lib/stories";
import { claimInput, documentInput, linkInput, versionInput } from "@/lib/validation";
import { DEMO_SOURCES, DEMO_STORY, DEMO_VERSIONS } from "./demo";

export const SEED_STORY_SLUG = DEMO_STORY.slug;
const ARTICLE = "comicbook-ballerina-update-2024-10-15.txt";

type Versions = { original: string; updated: string };

/**
 * ComicBook's two versions: the excerpts kept in the repository, or, when a folder is given
 * (SEED_DIR), excerpts of the whole article saved there.
 */
export function demoVersions(seedDir?: string): Versions | { missing: string } {
  if (seedDir === undefined) return DEMO_VERSIONS;
  const file = path.join(path.resolve(seedDir), ARTICLE);
  if (!fs.existsSync(file)) return { missing: file };
  return excerptsOf(fs.readFileSync(file, "utf8"));
}

/**
 * The ComicBook article as published on 15 October 2024 opens with its update, then reprints the
 * original story. Only short excerpts are kept: the update, and the opening of the original
 * that relays The Wrap.
 */
function excerptsOf(article: string) {
  const text = article.replace(/\r\n/g, "\n").trim();
  const marker = "Our original story is as follows.";
  const split = text.indexOf(marker);
  if (split === -1) throw new Error(`The seed article has no "${marker}" line.`);
  const update = text.slice(text.indexOf("Update:"), split + marker.length).trim();
  const paragraphs = text
    .slice(split + marker.length)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const original = paragraphs.slice(0, 2).join("\n\n");
  return { original, updated: `${update}\n\n${original}` };
}

/** Loads the demo story through the domain functions; a second run adds nothing. `seedDir` is SEED_DIR, when set. */
export async function seed(db: Executor, seedDir?: string): Promise<{ created: boolean; reason?: string }> {
  const versions = demoVersions(seedDir);
  if ("missing" in versions) return { created: false, reason: `no seed article at ${versions.missing}` };
  const { original, updated } = versions;
  const actor = systemActor("seed");

  return db.transaction(async (tx) => {
    // Two starters racing to seed would both see an empty table without this.
    await lockUntilCommit(tx, "seed");
    const [existing] = await tx.select({ id: stories.id }).from(stories).where(eq(stories.slug, SEED_STORY_SLUG));
    if (existing) return { created: false, reason: "already seeded" };

    const story = await createStory(tx, actor, DEMO_STORY);
    const who = await addQuestion(tx, actor, story.slug, { label: "Who led the additional photography?" });
    const howLong = await addQuestion(tx, actor, story.slug, { label: "How long did the additional photography last?" });
    const why = await addQuestion(tx, actor, story.slug, { label: "Why did Chad Stahelski shoot scenes?" });

    const { document: wrap } = await createDocument(tx, actor, documentInput.parse(DEMO_SOURCES.wrap));
    const { document: comicbook } = await createDocument(tx, actor, documentInput.parse(DEMO_SOURCES.comicbook));
    const v1 = await addVersion(tx, actor, comicbook.id, versionInput.parse({ text: original, seenAt: "2024-10-14", note: "Original story, relaying The Wrap" }));
    const v2 = await addVersion(
      tx,
      actor,
      comicbook.id,
      versionInput.parse({ text: updated, seenAt: "2024-10-15", note: "Update of 15 October 2024 added at the top" }),
    );

    const claim = (input: Record<string, unknown>) => createClaim(tx, actor, story.slug, claimInput.parse(input));
    const wrapWho = await claim({ documentId: wrap.id, questionId: who.id, speaker: "an insider", text: "Chad Stahelski reshot most of Ballerina.", quote: "most of the movie" });
    const wrapHowLong = await claim({ documentId: wrap.id, questionId: howLong.id, speaker: "an insider", text: "The reshoot was a two-to-three-month overseas shoot." });
    const wrapWhy = await claim({
      documentId: wrap.id,
      questionId: why.id,
      speaker: "an insider",
      text: "Stahelski stepped in because Len Wiseman's first cut did not meet expectations.",
      quote: "Of course Chad had to clean up someone else’s mess.",
    });

    const relay = (question: number, origin: number, text: string, quote: string) =>
      claim({ documentId: comicbook.id, versionId: v1.id, questionId: question, relaysClaimId: origin, text, quote });
    const cbWho = await relay(who.id, wrapWho.id, "Chad Stahelski reshot most of Ballerina, The Wrap reports.", "Stahelski was involved with reshooting “most of the movie,”");
    const cbHowLong = await relay(howLong.id, wrapHowLong.id, "The reshoot was a two-to-three-month overseas shoot, The Wrap reports.", "This reportedly involved a two-to-three-month overseas shoot");
    const cbWhy = await relay(why.id, wrapWhy.id, "Stahelski stepped in after Len Wiseman's first cut did not meet expectations, The Wrap reports.", "after director Len Wiseman’s initial cut did not meet expectations");

    const update = (question: number, text: string, quote: string) =>
      claim({ documentId: comicbook.id, versionId: v2.id, questionId: question, speaker: "ComicBook", text, quote });
    const upWho = await update(who.id, "Len Wiseman led the additional photography; Stahelski helped design new action scenes.", "Len Wiseman led additional photography for the film");
    const upHowLong = await update(howLong.id, "The additional photography lasted less than one month.", "This additional photography only spanned less than one month");
    const upWhy = await update(
      why.id,
      "Stahelski covered some scenes only while Wiseman was briefly in hospital with a serious health issue.",
      "Stahelski only covered some scenes of the additional photography after Wiseman suffered a serious health issue and was briefly hospitalized",
    );

    const note = "ComicBook's update of 15 October 2024 revises its relay of The Wrap.";
    const link = (from: number, kind: string, to: number) => linkClaims(tx, actor, from, linkInput.parse({ kind, targetClaimId: to, note }));
    for (const [up, relayed, origin] of [
      [upWho, cbWho, wrapWho],
      [upHowLong, cbHowLong, wrapHowLong],
      [upWhy, cbWhy, wrapWhy],
    ] as const) {
      await link(up.id, "corrects", relayed.id);
      await link(up.id, "contradicts", origin.id);
    }
    return { created: true };
  });
}
