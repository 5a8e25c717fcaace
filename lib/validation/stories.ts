import { z } from "zod";
import { cleanText, diffLayout, instant, pageQuery, requiredText, slug, timeQuery } from "./common";

// Stories and their questions, and how their pages are asked for.

export const storyInput = z.strictObject({
  title: requiredText(300, "Title"),
  slug: slug.optional(),
  summary: cleanText(2000, "Summary").optional(),
});

export const questionInput = z.strictObject({ label: requiredText(300, "Question") });

export const questionForm = questionInput.extend({ _story: z.string() });

/** A story page: the account at a clock, and which page of its timeline. */
export const storyPageQuery = timeQuery.extend(pageQuery.shape);

/** What changed between two instants: `to` left out is now; as recorded by `knownAt` (left out: now). */
export const changesQuery = z.object({
  from: instant.describe("The earlier publication instant"),
  to: instant.optional().describe("The later publication instant (default now)"),
  knownAt: timeQuery.shape.knownAt,
});

/** The changes page: both dates optional (it picks the latest change), and a diff layout. */
export const changesPageQuery = changesQuery.partial().extend({ layout: diffLayout.optional() });

export type StoryInput = z.infer<typeof storyInput>;
export type QuestionInput = z.infer<typeof questionInput>;
