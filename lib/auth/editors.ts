import { hash, verify } from "@node-rs/argon2";
import { asc, eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { apiTokens, editors, sessions, type Editor } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { AppError, notFound } from "@/lib/errors";
import { newSecret } from "@/lib/auth/tokens";
import { editorInput, type EditorChange, type EditorInput } from "@/lib/validation";

export const actorOf = (editor: Pick<Editor, "id" | "email" | "role">): Actor => ({ editorId: editor.id, label: editor.email, admin: editor.role === "admin" });

const adminsOnly = (actor: Actor) => {
  if (!actor.admin) throw new AppError("forbidden", "Only an admin may do this.");
};

/** Creates an editor; without a password one is generated and returned once. */
export async function createEditor(db: Executor, actor: Actor, raw: EditorInput): Promise<{ editor: Editor; password: string }> {
  adminsOnly(actor);
  const input = editorInput.parse(raw);
  const password = input.password ?? newSecret().slice(0, 24);
  const passwordHash = await hash(password);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: editors.id }).from(editors).where(eq(editors.email, input.email));
    if (taken) throw new AppError("conflict", `An editor with the email ${input.email} exists.`, { email: ["Already registered."] });
    const [editor] = await tx
      .insert(editors)
      .values({ email: input.email, name: input.name ?? input.email.split("@")[0]!, role: input.role, passwordHash })
      .returning();
    const { passwordHash: _h, ...safe } = editor!;
    await appendAudit(tx, actor, [{ action: "create", entity: "editor", entityId: editor!.id, after: safe }]);
    return { editor: editor!, password };
  });
}

export async function getEditorByEmail(db: Executor, email: string): Promise<Editor> {
  const [editor] = await db.select().from(editors).where(eq(editors.email, email.toLowerCase()));
  if (!editor) throw notFound(`The editor ${email}`);
  return editor;
}

/** Checks a password; a disabled account never signs in. Runs the hash even for unknown emails. */
export async function checkPassword(db: Executor, email: string, password: string): Promise<Editor | null> {
  const [editor] = await db.select().from(editors).where(eq(editors.email, email.toLowerCase()));
  const ok = editor ? await verify(editor.passwordHash, password).catch(() => false) : (await hash(password), false);
  return ok && editor && !editor.disabledAt ? editor : null;
}

export async function listEditors(db: Executor) {
  const all = await db.select().from(editors).orderBy(asc(editors.id));
  const tokens = await db.select().from(apiTokens).orderBy(asc(apiTokens.id));
  return all.map(({ passwordHash: _h, ...e }) => ({ ...e, tokens: tokens.filter((t) => t.editorId === e.id).map(({ tokenHash: _t, ...t }) => t) }));
}

/** An admin's change to another editor: a new role, or disabled (their sessions end at once) or enabled again. */
/** Every editor with their tokens (hashes left out), for the editors' pages. */
export const readEditors = async () => listEditors(await getDb());

export async function setEditorState(db: Executor, actor: Actor, editorId: number, change: Omit<EditorChange, "_editor">) {
  adminsOnly(actor);
  // An admin who demoted or disabled themselves could lock everyone out of the editors' pages.
  if (editorId === actor.editorId && (change.disabled || change.role === "editor")) {
    throw new AppError("unprocessable", "You cannot disable or demote yourself.");
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(editors).where(eq(editors.id, editorId)).for("update");
    if (!before) throw notFound(`Editor ${editorId}`);
    const [after] = await tx
      .update(editors)
      .set({
        ...(change.role && { role: change.role }),
        ...(change.disabled !== undefined && { disabledAt: change.disabled ? (before.disabledAt ?? new Date()) : null }),
      })
      .where(eq(editors.id, editorId))
      .returning();
    // A disabled editor's sessions end now, not when they expire.
    if (change.disabled) await tx.delete(sessions).where(eq(sessions.editorId, editorId));
    const strip = ({ passwordHash: _h, ...e }: Editor) => e;
    await appendAudit(tx, actor, [{ action: "update", entity: "editor", entityId: editorId, before: strip(before), after: strip(after!) }]);
    return after!;
  });
}
