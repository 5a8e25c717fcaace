import { endpoint, json } from "@/lib/http";
import { openApiDocument } from "@/lib/openapi";
import { API_ROUTES } from "../routes";

export const dynamic = "force-static";

export const GET = endpoint({ summary: "This description of the API" }, async () => json(openApiDocument(API_ROUTES)));
