"use server";

import { createEditor, setEditorState } from "@/lib/auth/editors";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { requireSessionActor } from "@/lib/auth/web";
import { createClaim, linkClaims, readLinkPreview, reviseClaim } from "@/lib/claims";
import { addSource, addVersion } from "@/lib/documents";
import { AppError } from "@/lib/errors";
import { formAction, parseForm } from "@/lib/forms";
import { addQuestion, createStory } from "@/lib/stories";
import { captureNow, watchDocument, watchOutletFeed } from "@/lib/watch";
import { plural } from "@/lib/format";
import { resolveInboxItem } from "@/lib/inbox";
import { confirmRepeat, dismissRepeat, readSuggestions } from "@/lib/matching";
import { watcherSettings } from "@/lib/watch/settings";
import { disableWebhook, registerWebhook } from "@/lib/webhooks";
import {
  claimEditForm,
  claimLogForm,
  editorChange,
  editorInput,
  feedWatchForm,
  inboxDecision,
  noticeLinkForm,
  linkForm,
  linkPreviewInput,
  questionForm,
  repeatDecision,
  sourceForm,
  sourceFormField,
  storyInput,
  tokenInput,
  tokenRevocation,
  versionForm,
  watchForm,
  webhookDisable,
  webhookForm,
} from "@/lib/validation";

/** Suggestions shown in the claim form. */
const SUGGESTIONS = 5;

// Every action here is a public endpoint: formAction checks the session, then parses, then calls lib/.

export const createStoryAction = formAction({ access: "editor", input: storyInput }, async (input, { db, actor }) => ({
  redirect: `/editor/stories/${(await createStory(db, actor, input)).slug}`,
}));

export const addQuestionAction = formAction({ access: "editor", input: questionForm }, async ({ _story, ...input }, { db, actor }) => {
  const question = await addQuestion(db, actor, _story, input);
  return { status: "ok", message: `Added the question “${question.label}”.` };
});

/** A source: the document (found again by its normalised URL) and, if pasted, its text as a version. */
export const addSourceAction = formAction({ access: "editor", input: sourceForm, fieldOf: sourceFormField }, async ({ story, source }, { db, actor }) => {
  const { document, created } = await addSource(db, actor, source);
  return { redirect: `/editor/documents/${document.id}?story=${encodeURIComponent(story)}${created ? "" : "&existing=1"}` };
});

export const addVersionAction = formAction({ access: "editor", input: versionForm }, async ({ _document, ...input }, { db, actor }) => {
  const version = await addVersion(db, actor, _document, input);
  return { status: "ok", message: `Saved version ${version.id}.` };
});

/**
 * Logs a claim, as the relay of a suggestion or linked to one when a suggestion's button sent the
 * form; or, asked to review first, saves nothing and answers with the claims it reads like.
 */
export const createClaimAction = formAction(
  { access: "editor", input: claimLogForm },
  async ({ _story, intent, relayTo, linkTo, linkKind, ...input }, { db, actor, values }) => {
    if (intent === "review") {
      const similar = await readSuggestions(input.text, input.quote, SUGGESTIONS);
      const message = similar.length
        ? `${plural(similar.length, "claim")} Claimtrail holds ${similar.length === 1 ? "reads" : "read"} like this one. Log it as a relay of one, linked to one, or as it is.`
        : "No claim Claimtrail holds reads like this one.";
      return { status: "ok", message, values, data: { similar } };
    }
    const link = linkTo === undefined ? undefined : { kind: linkKind!, targetClaimId: linkTo };
    const claim = await createClaim(db, actor, _story, { ...input, relaysClaimId: relayTo ?? input.relaysClaimId }, link);
    const how = relayTo !== undefined ? ` as a relay of claim ${relayTo}` : link ? `, linked: it ${link.kind} claim ${link.targetClaimId}` : "";
    return { status: "ok", message: `Logged claim ${claim.id}${how}.`, data: { id: claim.id } };
  },
);

export const repeatAction = formAction({ access: "editor", input: repeatDecision }, async (decision, { db, actor }) => {
  const { earlier, later } = decision;
  if (decision.action === "dismiss") {
    await dismissRepeat(db, actor, earlier, later);
    return { status: "ok", message: `Dismissed: claim ${later} is not a repeat of claim ${earlier}.` };
  }
  const claim = await confirmRepeat(db, actor, earlier, later, decision.baseRevision);
  return { status: "ok", message: `Marked: claim ${claim.id} relays claim ${claim.current.relaysClaimId}.` };
});

export const linkAction = formAction({ access: "editor", input: linkForm }, async ({ _from, ...input }, { db, actor }) => {
  const link = await linkClaims(db, actor, _from, input);
  return { status: "ok", message: `Saved: claim ${_from} ${link.kind} claim ${link.toClaimId}.` };
});

export type LinkPreview = Awaited<ReturnType<typeof readLinkPreview>> | { error: string };

/** What the link being typed would do, as the editor types it. */
export async function previewLinkAction(fromId: number, kind: string, target: string): Promise<LinkPreview> {
  try {
    await requireSessionActor();
    const { _from, ...input } = parseForm(linkPreviewInput, { _from: fromId, kind, targetClaimId: target });
    return await readLinkPreview(_from, input);
  } catch (err) {
    return { error: err instanceof AppError ? err.message : "No preview for that choice." };
  }
}

export const editClaimAction = formAction({ access: "editor", input: claimEditForm }, async ({ _claim, ...patch }, { db, actor, values }) => {
  const claim = await reviseClaim(db, actor, _claim, patch);
  return { status: "ok", message: `Saved revision ${claim.revision}.`, values: { ...values, baseRevision: String(claim.revision), reason: "" } };
});

export const watchAction = formAction({ access: "editor", input: watchForm }, async ({ _document, enabled, everyMinutes }, { db, actor }) => {
  const watch = await watchDocument(db, actor, _document, { enabled, everyMinutes: everyMinutes ?? null });
  return { status: "ok", message: watch.enabled ? "Watching: the first check is due now." : "Paused: no more checks until it is watched again." };
});

export const captureNowAction = formAction({ access: "editor", input: versionForm.pick({ _document: true }) }, async ({ _document }, { db, actor }) => {
  const capture = await captureNow(db, actor, _document);
  return { status: "ok", message: `Checked: ${capture.outcome}${capture.reason ? ` (${capture.reason})` : ""}.` };
});

export const watchFeedAction = formAction({ access: "editor", input: feedWatchForm }, async ({ outlet, feedUrl }, { db, actor }) => {
  const { outlet: watched } = await watchOutletFeed(db, actor, outlet, feedUrl);
  return { status: "ok", message: `Watching the feed of ${watched.name}: new articles will be listed below as they are found.` };
});

const DONE: Record<string, string> = {
  "take-new-wording": "The claim now quotes the new wording.",
  keep: "The quote is kept as it was.",
  noted: "Noted.",
  dismiss: "Dismissed.",
  reviewed: "Marked as looked at.",
  "watch-again": "Watching again: the next check is due now.",
  "leave-paused": "Left paused.",
};

export const inboxAction = formAction({ access: "editor", input: inboxDecision }, async ({ _kind, _id, action }, { db, actor }) => {
  await resolveInboxItem(db, actor, _kind, _id, action);
  return { status: "ok", message: DONE[action] ?? "Done." };
});

/** A correction notice linked as it asks, and so resolved, in one transaction. */
export const noticeLinkAction = formAction({ access: "editor", input: noticeLinkForm }, async ({ _id, fromClaimId, ...link }, { db, actor }) => {
  const made = await db.transaction(async (tx) => {
    const saved = await linkClaims(tx, actor, fromClaimId, link);
    await resolveInboxItem(tx, actor, "notice", _id, "linked");
    return saved;
  });
  return { status: "ok", message: `Linked: claim ${fromClaimId} ${made.kind} claim ${made.toClaimId}.` };
});

export const createEditorAction = formAction({ access: "admin", input: editorInput.omit({ password: true }) }, async (input, { db, actor }) => {
  const { editor, password } = await createEditor(db, actor, input);
  return { status: "ok", message: `Created ${editor.email}. Their password, shown once:`, data: { secret: password } };
});

export const updateEditorAction = formAction({ access: "admin", input: editorChange }, async ({ _editor, ...change }, { db, actor }) => {
  const updated = await setEditorState(db, actor, _editor, change);
  return { status: "ok", message: `${updated.email} is now ${updated.disabledAt ? "disabled" : `an active ${updated.role}`}.` };
});

export const createTokenAction = formAction({ access: "editor", input: tokenInput }, async (input, { db, actor, editor }) => {
  const token = await createToken(db, actor, editor.id, input);
  return { status: "ok", message: "Copy the token now: it is shown only once.", data: { secret: token.secret } };
});

export const revokeTokenAction = formAction({ access: "editor", input: tokenRevocation }, async ({ _token }, { db, actor }) => {
  await revokeToken(db, actor, _token);
  return { status: "ok", message: `Revoked token ${_token}.` };
});

export const registerWebhookAction = formAction({ access: "admin", input: webhookForm }, async (input, { db, actor }) => {
  const { webhook, secret } = await registerWebhook(db, actor, input, watcherSettings().limits);
  return { status: "ok", message: `Registered webhook ${webhook.id}. Its signing secret, shown once:`, data: { secret } };
});

export const disableWebhookAction = formAction({ access: "admin", input: webhookDisable }, async ({ _webhook }, { db, actor }) => {
  const webhook = await disableWebhook(db, actor, _webhook);
  return { status: "ok", message: `Disabled webhook ${webhook.id}: nothing more is sent to it.` };
});
