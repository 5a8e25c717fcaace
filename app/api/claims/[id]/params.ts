import { pathParam } from "@/lib/http";
import { id } from "@/lib/validation";

export const claimParams = { id: pathParam(id, "The claim") };
