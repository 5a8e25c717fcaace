import { endpoint, json } from "@/lib/http";
import { createOutlet } from "@/lib/outlets";
import { outletInput } from "@/lib/validation";

export const POST = endpoint(
  { summary: "Create an outlet, or return the one with that name (200)", auth: "write", body: outletInput, status: 201 },
  async ({ db, actor, body }) => {
    const { outlet, created } = await createOutlet(db, actor, body);
    return json(outlet, created ? 201 : 200);
  },
);
