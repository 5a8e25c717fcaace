import { endpoint, json, pathParam } from "@/lib/http";
import { readOutlet } from "@/lib/outlets";
import { slugParam } from "@/lib/validation";

export const GET = endpoint({ summary: "An outlet and its record", params: { slug: pathParam(slugParam, "The outlet") } }, async ({ params }) =>
  json(await readOutlet(params.slug)),
);
