import { notFound } from "@/lib/errors";
import { route } from "@/lib/http";

// An unknown API path answers in the API's own JSON error shape, not with the HTML 404 page.
const unknownPath = route(async (req) => {
  throw notFound(`${req.method} ${new URL(req.url).pathname}`);
});

export { unknownPath as DELETE, unknownPath as GET, unknownPath as PATCH, unknownPath as POST, unknownPath as PUT };
