import { pathParam } from "@/lib/http";
import { slugParam } from "@/lib/validation";

export const storyParams = { slug: pathParam(slugParam, "The story") };
