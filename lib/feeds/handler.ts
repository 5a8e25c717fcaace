import { getDb } from "@/db";
import { memo } from "@/lib/cache";
import { isNotModified } from "@/lib/conditional";
import { toAppError, type AppError } from "@/lib/errors";
import { readQuery } from "@/lib/http";
import { publicOrigin } from "@/lib/origin";
import { sha256 } from "@/lib/sha256";
import { xmlAttr, xmlText } from "@/lib/xml";
import { feedState, loadFeedEvents, type FeedScope, type FeedState } from "./events";
import { feedItem } from "./items";
import { feedQuery } from "@/lib/validation";
import { feedFilter, type FeedFilter } from "./query";
import { FEED_CONTENT_TYPES, renderFeed, type FeedDocument, type FeedFormat } from "./render";

// Bumped when the markup changes, so readers holding an old copy fetch the new one.
const RENDERING = "1";

// Readers and proxies may keep a copy for five minutes, then revalidate with the validators,
// which costs one small query.
const CACHE_CONTROL = "public, max-age=300";

/** Links in feeds point at PUBLIC_URL when it is set, else at the host the request came to (lib/origin.ts). Item ids do not depend on it. */
const baseUrl = (req: Request): string => publicOrigin(req.headers, req.url);

export function feedEtag(format: FeedFormat, state: FeedState, filter: FeedFilter, base: string): string {
  const key = [RENDERING, format, base, filter.kinds.join(","), filter.limit, state.fingerprint].join("\n");
  return `W/"${sha256(key).slice(0, 32)}"`;
}

function describe(state: FeedState, filter: FeedFilter, base: string) {
  const suffix = filter.filtered ? ` (${filter.kinds.join(", ")})` : "";
  const idSuffix = filter.filtered ? `?kinds=${filter.kinds.join(",")}` : "";
  const { scope } = state;
  switch (scope.type) {
    case "site":
      return {
        id: `urn:claimtrail:feed:site${idSuffix}`,
        title: `Claimtrail${suffix}`,
        description: "Claims logged on Claimtrail, and the corrections, contradictions, confirmations and retractions between them.",
        homeUrl: `${base}/`,
      };
    case "story":
      return {
        id: `urn:claimtrail:feed:story:${scope.slug}${idSuffix}`,
        title: `${scope.title} · Claimtrail${suffix}`,
        description: scope.summary ?? `Claims and corrections in the story “${scope.title}”.`,
        homeUrl: `${base}/stories/${scope.slug}`,
      };
    case "outlet":
      return {
        id: `urn:claimtrail:feed:outlet:${scope.slug}${idSuffix}`,
        title: `${scope.name} · Claimtrail${suffix}`,
        description: `Claims by ${scope.name}, and the corrections and contradictions they met.`,
        homeUrl: `${base}/outlets/${scope.slug}`,
      };
  }
}

function errorResponse(format: FeedFormat, error: AppError): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.code === "unavailable") headers["Retry-After"] = "5";
  if (format === "json") return error.toResponse(headers);
  const fields = Object.entries(error.fields ?? {}).flatMap(([name, messages]) => messages.map((m) => `  <field name="${xmlAttr(name)}">${xmlText(m)}</field>`));
  const body = ['<?xml version="1.0" encoding="utf-8"?>', `<error code="${error.code}">`, `  <message>${xmlText(error.message)}</message>`, ...fields, "</error>", ""].join("\n");
  return new Response(body, { status: error.status, headers: { ...headers, "Content-Type": "application/xml; charset=utf-8" } });
}

// Next passes no params to a route without dynamic segments.
type RouteContext = { params?: Promise<Record<string, string | string[] | undefined> | undefined> };

/**
 * The GET handler of one feed. Errors come back in the feed's own family (XML or JSON), since
 * a reader given an HTML or JSON page where it expects XML reports a parse error, not the cause.
 */
export function feedRoute(format: FeedFormat, scopeType: FeedScope["type"]) {
  return async (req: Request, context?: RouteContext): Promise<Response> => {
    try {
      const filter = feedFilter(readQuery(req, feedQuery));
      const params = (await context?.params) ?? {};
      const scope: FeedScope = scopeType === "site" ? { type: "site" } : { type: scopeType, slug: String(params.slug ?? "") };
      const db = await getDb();
      // Both the validators and the rendered body come from the cache every write clears, so a
      // repeat or conditional request does no database work until something changes.
      const state = await memo(`feed-state|${scope.type}|${"slug" in scope ? scope.slug : ""}`, () => feedState(db, scope));
      const base = baseUrl(req);
      const etag = feedEtag(format, state, filter, base);
      const headers = { ETag: etag, "Last-Modified": state.lastModified.toUTCString(), "Cache-Control": CACHE_CONTROL };
      if (isNotModified(req.headers.get("if-none-match"), req.headers.get("if-modified-since"), etag, state.lastModified)) return new Response(null, { status: 304, headers });

      const url = new URL(req.url);
      const body = await memo(`feed-body|${etag}|${url.pathname}${url.search}`, async () => {
        const events = await loadFeedEvents(db, state.scope, filter);
        const feed: FeedDocument = {
          ...describe(state, filter, base),
          selfUrl: `${base}${url.pathname}${url.search}`,
          updated: state.lastModified,
          items: events.map((e) => feedItem(e, base)),
        };
        return renderFeed[format](feed);
      });
      return new Response(body, { headers: { ...headers, "Content-Type": FEED_CONTENT_TYPES[format], "X-Content-Type-Options": "nosniff" } });
    } catch (err) {
      const error = toAppError(err);
      if (error.code === "internal") console.error(err);
      return errorResponse(format, error);
    }
  };
}
