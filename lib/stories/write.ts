import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { questions, stories, type Question, type Story } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { AppError, notFound } from "@/lib/errors";
import { slugify } from "@/lib/slug";
import type { QuestionInput, StoryInput } from "@/lib/validation";

export async function createStory(db: Executor, actor: Actor, input: StoryInput): Promise<Story> {
  return db.transaction(async (tx) => {
    const slug = input.slug ?? slugify(input.title);
    const [taken] = await tx.select({ id: stories.id }).from(stories).where(eq(stories.slug, slug));
    if (taken) throw new AppError("conflict", `A story with the slug "${slug}" already exists.`, { slug: ["Already taken."] });
    const [story] = await tx
      .insert(stories)
      .values({ slug, title: input.title.trim(), summary: input.summary?.trim() || null })
      .returning();
    await appendAudit(tx, actor, [{ action: "create", entity: "story", entityId: story!.id, after: story }]);
    return story!;
  });
}

export async function getStoryBySlug(db: Executor, slug: string): Promise<Story> {
  const [story] = await db.select().from(stories).where(eq(stories.slug, slug));
  if (!story) throw notFound(`The story "${slug}"`);
  return story;
}

export async function addQuestion(db: Executor, actor: Actor, storySlug: string, input: QuestionInput): Promise<Question> {
  return db.transaction(async (tx) => {
    const story = await getStoryBySlug(tx, storySlug);
    const [question] = await tx.insert(questions).values({ storyId: story.id, label: input.label.trim() }).returning();
    await appendAudit(tx, actor, [{ action: "create", entity: "question", entityId: question!.id, after: question }]);
    return question!;
  });
}
