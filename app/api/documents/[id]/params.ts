import { pathParam } from "@/lib/http";
import { id } from "@/lib/validation";

export const documentParams = { id: pathParam(id, "The document") };
