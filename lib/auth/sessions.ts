import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { getDb, lockUntilCommit, type Executor } from "@/db";
import { editors, sessions, setupCodes, type Editor } from "@/db/schema";
import { appendAudit, systemActor } from "@/lib/audit";
import { actorOf, createEditor } from "@/lib/auth/editors";
import { newSecret } from "@/lib/auth/tokens";
import { AppError } from "@/lib/errors";
import { sha256 } from "@/lib/sha256";

export const SESSION_COOKIE = "ct_session";
export const SESSION_DAYS = 14;

export async function createSession(db: Executor, editor: Editor): Promise<{ value: string; expiresAt: Date }> {
  const value = newSecret();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    await tx.insert(sessions).values({ idHash: sha256(value), editorId: editor.id, expiresAt });
    await appendAudit(tx, actorOf(editor), [{ action: "sign-in", entity: "editor", entityId: editor.id }]);
  });
  return { value, expiresAt };
}

/** The signed-in editor, if the session is live and the account still enabled. */
export async function editorForSession(db: Executor, value: string | undefined): Promise<Editor | null> {
  if (!value || value.length > 100) return null;
  const [row] = await db
    .select({ editor: editors })
    .from(sessions)
    .innerJoin(editors, eq(editors.id, sessions.editorId))
    .where(and(eq(sessions.idHash, sha256(value)), gt(sessions.expiresAt, new Date()), isNull(editors.disabledAt)));
  return row?.editor ?? null;
}

export async function endSession(db: Executor, value: string | undefined): Promise<void> {
  if (value) await db.delete(sessions).where(eq(sessions.idHash, sha256(value)));
}

async function hasAdmin(db: Executor): Promise<boolean> {
  const [row] = await db.select({ id: editors.id }).from(editors).where(eq(editors.role, "admin")).limit(1);
  return !!row;
}

/** Whether first-run setup is still open: no admin yet. */
export const isSetupOpen = async () => !(await hasAdmin(await getDb()));

/** At start with no admin: a fresh one-time code, whose hash is stored and which is printed once. */
export async function issueSetupCode(db: Executor): Promise<string | null> {
  if (await hasAdmin(db)) return null;
  const code = newSecret().slice(0, 16);
  await db.insert(setupCodes).values({ codeHash: sha256(code) });
  return code;
}

/** Spends a setup code on the first admin; any code is refused once an admin exists. */
export async function completeSetup(db: Executor, code: string, input: { email: string; name?: string; password: string }): Promise<Editor> {
  return db.transaction(async (tx) => {
    await lockUntilCommit(tx, "setup");
    if (await hasAdmin(tx)) throw new AppError("not_found", "Setup is finished: sign in instead.");
    const [spent] = await tx
      .update(setupCodes)
      .set({ usedAt: new Date() })
      .where(and(eq(setupCodes.codeHash, sha256(code.trim())), isNull(setupCodes.usedAt)))
      .returning();
    if (!spent) throw new AppError("unprocessable", "That setup code is not valid.", { code: ["Not a valid setup code: see the server's log."] });
    const { editor } = await createEditor(tx, systemActor("setup"), { ...input, role: "admin" });
    return editor;
  });
}
