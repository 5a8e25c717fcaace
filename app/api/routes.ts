import * as auditVerify from "./audit/verify/route";
import * as claimAnnotation from "./claims/[id]/annotation/route";
import * as claimCite from "./claims/[id]/cite/route";
import * as claimDiff from "./claims/[id]/diff/route";
import * as claimDrift from "./claims/[id]/drift/route";
import * as claimLinks from "./claims/[id]/links/route";
import * as claim from "./claims/[id]/route";
import * as claimsSimilar from "./claims/similar/route";
import * as documentCaptures from "./documents/[id]/captures/route";
import * as documentDiff from "./documents/[id]/diff/route";
import * as document from "./documents/[id]/route";
import * as documentVersions from "./documents/[id]/versions/route";
import * as documentWatch from "./documents/[id]/watch/route";
import * as documents from "./documents/route";
import * as health from "./health/route";
import * as openapi from "./openapi.json/route";
import * as outlet from "./outlets/[slug]/route";
import * as outletWatch from "./outlets/[slug]/watch/route";
import * as outlets from "./outlets/route";
import * as storyChanges from "./stories/[slug]/changes/route";
import * as storyClaimsBatch from "./stories/[slug]/claims/batch/route";
import * as storyClaims from "./stories/[slug]/claims/route";
import * as storyProvenance from "./stories/[slug]/provenance/route";
import * as storyQuestions from "./stories/[slug]/questions/route";
import * as story from "./stories/[slug]/route";
import * as storyTimeline from "./stories/[slug]/timeline/route";
import * as stories from "./stories/route";
import * as webhookDeliveries from "./webhooks/[id]/deliveries/route";
import * as webhook from "./webhooks/[id]/route";
import * as webhooks from "./webhooks/route";

/**
 * Every API route by its OpenAPI path, for lib/openapi.ts, which reads each handler's spec.
 * A test (app/api/routes.test.ts) fails when this and the route files disagree.
 */
export const API_ROUTES = {
  "/api/health": health,
  "/api/openapi.json": openapi,
  "/api/outlets": outlets,
  "/api/outlets/{slug}": outlet,
  "/api/outlets/{slug}/watch": outletWatch,
  "/api/documents": documents,
  "/api/documents/{id}": document,
  "/api/documents/{id}/versions": documentVersions,
  "/api/documents/{id}/diff": documentDiff,
  "/api/documents/{id}/watch": documentWatch,
  "/api/documents/{id}/captures": documentCaptures,
  "/api/stories": stories,
  "/api/stories/{slug}": story,
  "/api/stories/{slug}/questions": storyQuestions,
  "/api/stories/{slug}/claims": storyClaims,
  "/api/stories/{slug}/claims/batch": storyClaimsBatch,
  "/api/stories/{slug}/timeline": storyTimeline,
  "/api/stories/{slug}/changes": storyChanges,
  "/api/stories/{slug}/provenance": storyProvenance,
  "/api/claims/similar": claimsSimilar,
  "/api/claims/{id}": claim,
  "/api/claims/{id}/links": claimLinks,
  "/api/claims/{id}/diff": claimDiff,
  "/api/claims/{id}/drift": claimDrift,
  "/api/claims/{id}/cite": claimCite,
  "/api/claims/{id}/annotation": claimAnnotation,
  "/api/webhooks": webhooks,
  "/api/webhooks/{id}": webhook,
  "/api/webhooks/{id}/deliveries": webhookDeliveries,
  "/api/audit/verify": auditVerify,
};
