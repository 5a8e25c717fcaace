import { pathParam } from "@/lib/http";
import { id } from "@/lib/validation";

export const webhookParams = { id: pathParam(id, "The webhook") };
