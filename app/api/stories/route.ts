import { endpoint, json } from "@/lib/http";
import { createStory } from "@/lib/stories";
import { storyInput } from "@/lib/validation";

export const POST = endpoint({ summary: "Create a story", auth: "write", body: storyInput, status: 201 }, async ({ db, actor, body }) =>
  json(await createStory(db, actor, body), 201),
);
