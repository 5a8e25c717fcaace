import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();

export const roleEnum = pgEnum("editor_role", ["editor", "admin"]);
export const precisionEnum = pgEnum("date_precision", ["year", "month", "day", "time"]);
export const documentKindEnum = pgEnum("document_kind", [
  "article",
  "interview",
  "statement",
  "broadcast",
  "post",
  "other",
]);
export const linkKindEnum = pgEnum("link_kind", [
  "corrects",
  "contradicts",
  "confirms",
  "supersedes",
  "retracts",
]);
export const tokenScopeEnum = pgEnum("token_scope", ["read", "write"]);
export const watchKindEnum = pgEnum("watch_kind", ["document", "feed"]);
export const captureOutcomeEnum = pgEnum("capture_outcome", [
  "not-modified",
  "unchanged",
  "cosmetic",
  "timestamp-only",
  "flip-flop",
  "extraction-suspect",
  "refused",
  "failed",
  "new-version",
  "feed-read",
]);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

export const editors = pgTable("editors", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: roleEnum("role").notNull().default("editor"),
  passwordHash: text("password_hash").notNull(),
  disabledAt: ts("disabled_at"),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the cookie value: a stolen table row cannot be replayed as a cookie.
    idHash: text("id_hash").primaryKey(),
    editorId: integer("editor_id")
      .notNull()
      .references(() => editors.id),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("sessions_editor_idx").on(t.editorId)],
);

/** Attempts per key (a sign-in's account or address) in the window of their limit, shared by every instance (lib/auth/rate-limit.ts). */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    hits: ts("hits").array().notNull(),
    // Whether the last attempt was refused, as the upsert that made it decided.
    refused: boolean("refused").notNull().default(false),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [index("rate_limits_updated_idx").on(t.updatedAt)],
);

/**
 * Token buckets per key (an editor's writes), shared by every instance (lib/auth/rate-limit.ts):
 * one time per key, whatever the limit, where a sliding log would keep one per request.
 */
export const rateBuckets = pgTable(
  "rate_buckets",
  {
    key: text("key").primaryKey(),
    // When the bucket is full again: each request taken moves it on by one share of the window.
    fullAt: ts("full_at").notNull(),
    // Whether the last request was refused, as the upsert that made it decided.
    refused: boolean("refused").notNull().default(false),
  },
  (t) => [index("rate_buckets_full_idx").on(t.fullAt)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    editorId: integer("editor_id")
      .notNull()
      .references(() => editors.id),
    name: text("name").notNull(),
    scope: tokenScopeEnum("scope").notNull().default("write"),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("api_tokens_editor_idx").on(t.editorId)],
);

export const setupCodes = pgTable("setup_codes", {
  // Only the hash is kept: the code itself appears once, in the server's log.
  codeHash: text("code_hash").primaryKey(),
  createdAt: createdAt(),
  usedAt: ts("used_at"),
});

export const outlets = pgTable("outlets", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  homepage: text("homepage"),
  createdAt: createdAt(),
});

export const documents = pgTable(
  "documents",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    outletId: integer("outlet_id")
      .notNull()
      .references(() => outlets.id),
    url: text("url").unique(),
    title: text("title").notNull(),
    authors: text("authors").array().notNull().default(sql`'{}'::text[]`),
    publishedAt: ts("published_at").notNull(),
    precision: precisionEnum("precision").notNull().default("day"),
    kind: documentKindEnum("kind").notNull().default("article"),
    // Set when the watcher found the document in its outlet's feed, for an editor to look at.
    discoveredAt: ts("discovered_at"),
    createdAt: createdAt(),
  },
  (t) => [index("documents_outlet_idx").on(t.outletId, t.publishedAt)],
);

export const documentVersions = pgTable(
  "document_versions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer("document_id")
      .notNull()
      .references(() => documents.id),
    text: text("text").notNull(),
    sha256: text("sha256").notNull(),
    seenAt: ts("seen_at").notNull(),
    note: text("note"),
    // The capture that found this version; null when an editor added it.
    captureId: bigint("capture_id", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [index("document_versions_document_idx").on(t.documentId, t.seenAt)],
);

export const stories = pgTable("stories", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  summary: text("summary"),
  createdAt: createdAt(),
});

export const questions = pgTable(
  "questions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id),
    label: text("label").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("questions_story_idx").on(t.storyId)],
);

export const claims = pgTable(
  "claims",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id),
    documentId: integer("document_id")
      .notNull()
      .references(() => documents.id),
    versionId: integer("version_id").references(() => documentVersions.id),
    questionId: integer("question_id").references(() => questions.id),
    speaker: text("speaker"),
    assertedAt: ts("asserted_at").notNull(),
    // The revision number edits must name; bumped in the same statement that checks it.
    revision: integer("revision").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    // The trailing columns are those a story's outline reads (lib/claims/graph.ts), so that it
    // reads them from the index alone rather than from each claim's row.
    index("claims_story_asserted_idx").on(t.storyId, t.assertedAt, t.id, t.questionId, t.createdAt, t.documentId),
    index("claims_document_idx").on(t.documentId),
    index("claims_question_idx").on(t.questionId),
    index("claims_created_idx").on(t.createdAt, t.id),
  ],
);

export const claimRevisions = pgTable(
  "claim_revisions",
  {
    claimId: integer("claim_id")
      .notNull()
      .references(() => claims.id),
    revision: integer("revision").notNull(),
    text: text("text").notNull(),
    quote: text("quote"),
    quotePrefix: text("quote_prefix"),
    quoteSuffix: text("quote_suffix"),
    quoteVerified: boolean("quote_verified").notNull().default(false),
    relaysClaimId: integer("relays_claim_id").references(() => claims.id),
    reason: text("reason"),
    editorId: integer("editor_id").references(() => editors.id),
    createdAt: createdAt(),
    // PostgreSQL also keeps `search`, the statement and quote as the full-text index reads them,
    // generated from both (migration 0007), so that search and claim matching read terms instead
    // of parsing each candidate's text again. It is not declared here, so rows read or returned
    // through drizzle (the API's claims, the audit log's before and after) do not carry it.
  },
  (t) => [
    primaryKey({ columns: [t.claimId, t.revision] }),
    // A claim's revision as known at a date, and what it relays, for every claim of a story at
    // once, from the index alone: the rows themselves are wide with text and search terms.
    index("claim_revisions_known_idx").on(t.claimId, t.revision, t.createdAt, t.relaysClaimId),
    index("claim_revisions_relays_idx").on(t.relaysClaimId),
    check("claim_revisions_no_self_relay", sql`${t.relaysClaimId} is null or ${t.relaysClaimId} <> ${t.claimId}`),
  ],
);

export const links = pgTable(
  "links",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    fromClaimId: integer("from_claim_id")
      .notNull()
      .references(() => claims.id),
    toClaimId: integer("to_claim_id")
      .notNull()
      .references(() => claims.id),
    kind: linkKindEnum("kind").notNull(),
    effectiveAt: ts("effective_at").notNull(),
    note: text("note"),
    editorId: integer("editor_id").references(() => editors.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("links_unique").on(t.fromClaimId, t.toClaimId, t.kind),
    index("links_to_idx").on(t.toClaimId),
    index("links_created_idx").on(t.createdAt, t.id),
    check("links_not_self", sql`${t.fromClaimId} <> ${t.toClaimId}`),
  ],
);

/**
 * What the watcher checks: a document's address, or an outlet's RSS or Atom feed. One watch per
 * document and per feed address; `nextCheckAt` is null while it is paused or has stopped.
 */
export const watches = pgTable(
  "watches",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    kind: watchKindEnum("kind").notNull(),
    documentId: integer("document_id")
      .unique()
      .references(() => documents.id),
    outletId: integer("outlet_id").references(() => outlets.id),
    url: text("url").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    // An editor's fixed interval; null follows the cadence of the document's age.
    everyMinutes: integer("every_minutes"),
    nextCheckAt: ts("next_check_at"),
    // The slot a sweep handed out and when, so that no slot is fetched twice.
    claimedSlot: ts("claimed_slot"),
    claimedAt: ts("claimed_at"),
    failures: integer("failures").notNull().default(0),
    pausedReason: text("paused_reason"),
    etag: text("etag"),
    lastModified: text("last_modified"),
    // The SHA-256 of the last body read: the same bytes again need no extraction.
    lastBodySha256: text("last_body_sha256"),
    checks: integer("checks").notNull().default(0),
    lastCheckedAt: ts("last_checked_at"),
    lastSuccessAt: ts("last_success_at"),
    lastChangeAt: ts("last_change_at"),
    // When it was (last) asked for: the cadence counts an article's age from the latest of this,
    // its publication and its last change.
    watchedAt: ts("watched_at").notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("watches_feed_url").on(t.url).where(sql`${t.kind} = 'feed'`),
    index("watches_due_idx").on(t.nextCheckAt).where(sql`${t.enabled}`),
    check("watches_target", sql`(${t.kind} = 'document') = (${t.documentId} is not null)`),
  ],
);

/** Every check the watcher made, with its outcome and the evidence, kept so it can be read again. */
export const captures = pgTable(
  "captures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    watchId: integer("watch_id")
      .notNull()
      .references(() => watches.id),
    documentId: integer("document_id").references(() => documents.id),
    at: ts("at").notNull(),
    slot: ts("slot"),
    outcome: captureOutcomeEnum("outcome").notNull(),
    reason: text("reason"),
    httpStatus: integer("http_status"),
    finalUrl: text("final_url"),
    // The response headers that matter: type, length, validators, caching, retry.
    headers: jsonb("headers").$type<Record<string, string>>(),
    bodySha256: text("body_sha256"),
    // The body as received, gzip-compressed, when it was within the kept size.
    body: bytea("body"),
    extractor: text("extractor"),
    extracted: jsonb("extracted").$type<{ title?: string; byline?: string; publishedAt?: string; modifiedAt?: string; chars?: number }>(),
    versionId: integer("version_id").references(() => documentVersions.id),
    durationMs: integer("duration_ms"),
  },
  (t) => [index("captures_watch_idx").on(t.watchId, t.id), index("captures_document_idx").on(t.documentId, t.id)],
);

/** Per host: robots.txt as last read, and the politeness state shared by every instance. */
export const captureHosts = pgTable("capture_hosts", {
  host: text("host").primaryKey(),
  robotsTxt: text("robots_txt"),
  robotsStatus: integer("robots_status"),
  // allow: every path may be fetched (a 4xx robots file); deny: none may (5xx, unreachable).
  robotsRule: text("robots_rule"),
  robotsFetchedAt: ts("robots_fetched_at"),
  crawlDelayMs: integer("crawl_delay_ms"),
  nextRequestAt: ts("next_request_at"),
  inFlightUntil: ts("in_flight_until"),
});

export const anchorStateEnum = pgEnum("anchor_state", ["present", "changed", "ambiguous", "removed"]);

/**
 * A claim's quote looked for in a version of its source newer than the one it was anchored in:
 * found as it was, only a close match (reworded), found more than once, or gone. One row per
 * claim revision and version; the latest says where the quote stands.
 */
export const quoteChecks = pgTable(
  "quote_checks",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    claimId: integer("claim_id")
      .notNull()
      .references(() => claims.id),
    revision: integer("revision").notNull(),
    versionId: integer("version_id")
      .notNull()
      .references(() => documentVersions.id),
    // The version the quote was found in as it was, before this one.
    anchoredVersionId: integer("anchored_version_id").references(() => documentVersions.id),
    state: anchorStateEnum("state").notNull(),
    start: integer("start"),
    end: integer("end"),
    // The new wording, when the passage was reworded.
    found: text("found"),
    errors: integer("errors"),
    // When the version was seen: the date of the source's edit as far as Claimtrail can tell.
    seenAt: ts("seen_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("quote_checks_unique").on(t.claimId, t.revision, t.versionId), index("quote_checks_version_idx").on(t.versionId)],
);

/** A correction notice or editor's note that a new version added ("Update:", "Correction:"…). */
export const versionNotices = pgTable(
  "version_notices",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    versionId: integer("version_id")
      .notNull()
      .references(() => documentVersions.id),
    kind: text("kind").notNull(),
    notice: text("notice").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("version_notices_version_idx").on(t.versionId)],
);

/**
 * A claim's derived status changed: a link, or a change up its relay chain, made it so. One row
 * per claim and cause; before and after as subscribers are told.
 */
export const statusEvents = pgTable(
  "status_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    claimId: integer("claim_id")
      .notNull()
      .references(() => claims.id),
    before: text("before").notNull(),
    after: text("after").notNull(),
    reason: text("reason").notNull(),
    linkId: integer("link_id").references(() => links.id),
    // When the change took effect on the published clock.
    effectiveAt: ts("effective_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("status_events_claim_idx").on(t.claimId), index("status_events_created_idx").on(t.createdAt, t.id)],
);

/** What an editor decided about an inbox item: the item's kind and id, and the decision. */
export const inboxResolutions = pgTable(
  "inbox_resolutions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    itemKind: text("item_kind").notNull(),
    itemId: integer("item_id").notNull(),
    action: text("action").notNull(),
    editorId: integer("editor_id").references(() => editors.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("inbox_resolutions_item").on(t.itemKind, t.itemId)],
);

/**
 * A pair of claims an editor judged not to be a repeat of each other: the pair is no longer
 * offered as a likely relay, and neither counts the other in its first appearance or spread.
 * Kept in one order, the older claim first.
 */
export const matchDismissals = pgTable(
  "match_dismissals",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    earlierClaimId: integer("earlier_claim_id")
      .notNull()
      .references(() => claims.id),
    laterClaimId: integer("later_claim_id")
      .notNull()
      .references(() => claims.id),
    editorId: integer("editor_id").references(() => editors.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("match_dismissals_pair").on(t.earlierClaimId, t.laterClaimId),
    index("match_dismissals_later_idx").on(t.laterClaimId),
    check("match_dismissals_two_claims", sql`${t.earlierClaimId} <> ${t.laterClaimId}`),
  ],
);

export const webhookEventEnum = pgEnum("webhook_event", ["claim", "link", "version", "quote", "status"]);

/** An endpoint that subscribers registered: events of these kinds, in this scope, signed with its secret. */
export const webhooks = pgTable("webhooks", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  url: text("url").notNull(),
  storyId: integer("story_id").references(() => stories.id),
  outletId: integer("outlet_id").references(() => outlets.id),
  claimId: integer("claim_id").references(() => claims.id),
  events: webhookEventEnum("events").array().notNull(),
  // The signing secret, whsec_ and base64: shown once when made, kept to sign.
  secret: text("secret").notNull(),
  editorId: integer("editor_id").references(() => editors.id),
  disabledAt: ts("disabled_at"),
  createdAt: createdAt(),
});

/** One event for one endpoint: delivered once, however many attempts and instances that takes. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id),
    eventId: text("event_id").notNull(),
    eventKind: webhookEventEnum("event_kind").notNull(),
    payload: jsonb("payload").notNull(),
    state: text("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    // Taken by an instance for an attempt; lapses if it dies.
    claimedUntil: ts("claimed_until"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("webhook_deliveries_once").on(t.webhookId, t.eventId), index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    at: ts("at").notNull(),
    editorId: integer("editor_id").references(() => editors.id),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull().unique(),
  },
  (t) => [index("audit_entity_idx").on(t.entity, t.entityId), index("audit_editor_idx").on(t.editorId)],
);

export type Editor = typeof editors.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Outlet = typeof outlets.$inferSelect;
export type Document = typeof documents.$inferSelect;
export type DocumentVersion = typeof documentVersions.$inferSelect;
export type Story = typeof stories.$inferSelect;
export type Question = typeof questions.$inferSelect;
export type Claim = typeof claims.$inferSelect;
export type ClaimRevision = typeof claimRevisions.$inferSelect;
export type Link = typeof links.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Watch = typeof watches.$inferSelect;
export type Capture = typeof captures.$inferSelect;
export type CaptureOutcome = (typeof captureOutcomeEnum.enumValues)[number];
export type QuoteCheck = typeof quoteChecks.$inferSelect;
export type StatusEvent = typeof statusEvents.$inferSelect;
export type MatchDismissal = typeof matchDismissals.$inferSelect;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookEvent = (typeof webhookEventEnum.enumValues)[number];
export type LinkKind = (typeof linkKindEnum.enumValues)[number];
export type Precision = (typeof precisionEnum.enumValues)[number];
export type DocumentKind = (typeof documentKindEnum.enumValues)[number];
export type Role = (typeof roleEnum.enumValues)[number];
