import { endpoint, json } from "@/lib/http";
import { addQuestion } from "@/lib/stories";
import { questionInput } from "@/lib/validation";
import { storyParams } from "../params";

export const POST = endpoint(
  { summary: "Add a question to a story", auth: "write", params: storyParams, body: questionInput, status: 201 },
  async ({ db, actor, params, body }) => json(await addQuestion(db, actor, params.slug, body), 201),
);
