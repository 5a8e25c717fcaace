import { notFound } from "@/lib/errors";

// An unknown API path answers in the API's own JSON error shape, not with the HTML 404 page, and
// without asking the database: it is not found whether or not the database is up.
const unknownPath = (req: Request) => notFound(`${req.method} ${new URL(req.url).pathname}`).toResponse();

export { unknownPath as DELETE, unknownPath as GET, unknownPath as OPTIONS, unknownPath as PATCH, unknownPath as POST, unknownPath as PUT };
