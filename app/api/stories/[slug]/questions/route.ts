import { json, readBody, requireWriter, route } from "@/lib/http";
import { addQuestion } from "@/lib/stories";
import { questionInput } from "@/lib/validation";

export const POST = route(async (req, { params, db }) => {
  const input = await readBody(req, questionInput);
  const { actor } = await requireWriter(req, db);
  return json(await addQuestion(db, actor, params.slug!, input), 201);
});
