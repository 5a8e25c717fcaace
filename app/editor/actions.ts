"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { createEditor, setEditorState } from "@/lib/auth/editors";
import { createToken, revokeToken, tokenOwner } from "@/lib/auth/tokens";
import { requireSessionActor } from "@/lib/auth/web";
import { createClaim, linkClaims, reviseClaim } from "@/lib/claims";
import { addVersion, createDocument } from "@/lib/documents";
import { AppError } from "@/lib/errors";
import { failed, formInput, formValues, parseForm, type FormState } from "@/lib/forms";
import { previewLink } from "@/lib/link-preview";
import { addQuestion, createStory } from "@/lib/stories";
import { claimInput, claimPatch, documentInput, id, linkInput, questionInput, storyInput, versionInput } from "@/lib/validation";

// Every action here is a public endpoint: each one parses its input and checks the session itself.

const leadingId = (v: string) => /^\s*#?(\d+)/.exec(v)?.[1] ?? v;
const lines = (v: string) => v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export async function createStoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  let slug: string;
  try {
    const input = parseForm(storyInput, formInput(values));
    const { actor } = await requireSessionActor();
    slug = (await createStory(await getDb(), actor, input)).slug;
  } catch (err) {
    return failed(err, values);
  }
  redirect(`/editor/stories/${slug}`);
}

export async function addQuestionAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const input = parseForm(questionInput, formInput(values));
    const { actor } = await requireSessionActor();
    const question = await addQuestion(await getDb(), actor, values._story ?? "", input);
    return { status: "ok", message: `Added the question “${question.label}”.` };
  } catch (err) {
    return failed(err, values);
  }
}

/** A source: the document (found again by its normalised URL) and, if pasted, its text as a version. */
export async function addSourceAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  let target: string;
  try {
    const { text = "", seenAt = "", note = "", outletName = "", outletHomepage = "", authors = "", ...rest } = values;
    const input = parseForm(documentInput, {
      ...formInput({ url: rest.url ?? "", title: rest.title ?? "", publishedAt: rest.publishedAt ?? "", precision: rest.precision ?? "", kind: rest.kind ?? "" }),
      ...(authors.trim() ? { authors: lines(authors) } : {}),
      ...(outletName.trim() ? { outlet: { name: outletName, ...(outletHomepage.trim() ? { homepage: outletHomepage } : {}) } } : {}),
    });
    const version = text.trim() ? parseForm(versionInput, formInput({ text, seenAt: seenAt || (rest.publishedAt ?? ""), note })) : null;
    const { actor } = await requireSessionActor();
    const { document, created } = await (await getDb()).transaction(async (tx) => {
      const result = await createDocument(tx, actor, input);
      if (version) await addVersion(tx, actor, result.document.id, version);
      return result;
    });
    target = `/editor/documents/${document.id}?story=${encodeURIComponent(values._story ?? "")}${created ? "" : "&existing=1"}`;
  } catch (err) {
    return failed(err, values);
  }
  redirect(target);
}

export async function addVersionAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const documentId = parseForm(id, values._document);
    const input = parseForm(versionInput, formInput(values));
    const { actor } = await requireSessionActor();
    const version = await addVersion(await getDb(), actor, documentId, input);
    return { status: "ok", message: `Saved version ${version.id}.` };
  } catch (err) {
    return failed(err, values);
  }
}

export async function createClaimAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const input = parseForm(claimInput, formInput(values, { relaysClaimId: leadingId }));
    const { actor } = await requireSessionActor();
    const claim = await createClaim(await getDb(), actor, values._story ?? "", input);
    return { status: "ok", message: `Logged claim ${claim.id}.`, data: { id: claim.id } };
  } catch (err) {
    return failed(err, values);
  }
}

export async function linkAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const fromId = parseForm(id, values._from);
    const input = parseForm(linkInput, formInput(values, { targetClaimId: leadingId }));
    const { actor } = await requireSessionActor();
    const link = await linkClaims(await getDb(), actor, fromId, input);
    return { status: "ok", message: `Saved: claim ${fromId} ${link.kind} claim ${link.toClaimId}.` };
  } catch (err) {
    return failed(err, values);
  }
}

export type LinkPreview = Awaited<ReturnType<typeof previewLink>> | { error: string };

export async function previewLinkAction(fromId: number, kind: string, target: string): Promise<LinkPreview> {
  try {
    await requireSessionActor();
    const input = parseForm(linkInput, { kind, targetClaimId: leadingId(target) });
    return await previewLink(await getDb(), parseForm(id, fromId), input);
  } catch (err) {
    return { error: err instanceof AppError ? err.message : "No preview for that choice." };
  }
}

export async function editClaimAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const claimId = parseForm(id, values._claim);
    const input = parseForm(claimPatch, formInput(values));
    const { actor } = await requireSessionActor();
    const claim = await reviseClaim(await getDb(), actor, claimId, input);
    return { status: "ok", message: `Saved revision ${claim.revision}.`, values: { ...values, baseRevision: String(claim.revision), reason: "" } };
  } catch (err) {
    return failed(err, values);
  }
}

const newEditor = z.object({ email: z.string(), name: z.string().optional(), role: z.enum(["editor", "admin"]) });

export async function createEditorAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const input = parseForm(newEditor, formInput(values));
    const { actor } = await requireSessionActor("admin");
    const { editor, password } = await createEditor(await getDb(), actor, input);
    return { status: "ok", message: `Created ${editor.email}. Their password, shown once:`, data: { secret: password } };
  } catch (err) {
    return failed(err, values);
  }
}

const editorChange = z.object({ _editor: id, role: z.enum(["editor", "admin"]).optional(), disabled: z.enum(["0", "1"]).optional() });

export async function updateEditorAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const input = parseForm(editorChange, values);
    const { actor, editor } = await requireSessionActor("admin");
    if (input._editor === editor.id && (input.disabled === "1" || input.role === "editor")) {
      throw new AppError("unprocessable", "You cannot disable or demote yourself.");
    }
    const updated = await setEditorState(await getDb(), actor, input._editor, {
      role: input.role,
      disabled: input.disabled === undefined ? undefined : input.disabled === "1",
    });
    return { status: "ok", message: `${updated.email} is now ${updated.disabledAt ? "disabled" : `an active ${updated.role}`}.` };
  } catch (err) {
    return failed(err, values);
  }
}

const tokenForm = z.object({ name: z.string().trim().min(1, "Name the token.").max(100), scope: z.enum(["read", "write"]) });

export async function createTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const input = parseForm(tokenForm, values);
    const { actor, editor } = await requireSessionActor();
    const token = await createToken(await getDb(), actor, editor.id, input.name, input.scope);
    return { status: "ok", message: "Copy the token now: it is shown only once.", data: { secret: token.secret } };
  } catch (err) {
    return failed(err, values);
  }
}

export async function revokeTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    const tokenId = parseForm(id, values._token);
    const { actor, editor } = await requireSessionActor();
    const db = await getDb();
    if (editor.role !== "admin" && (await tokenOwner(db, tokenId)) !== editor.id) throw new AppError("forbidden", "You may revoke only your own tokens.");
    await revokeToken(db, actor, tokenId);
    return { status: "ok", message: `Revoked token ${tokenId}.` };
  } catch (err) {
    return failed(err, values);
  }
}
