import { json, readBody, requireWriter, route } from "@/lib/http";
import { createStory } from "@/lib/stories";
import { storyInput } from "@/lib/validation";

export const POST = route(async (req, { db }) => {
  const input = await readBody(req, storyInput);
  const { actor } = await requireWriter(req, db);
  return json(await createStory(db, actor, input), 201);
});
