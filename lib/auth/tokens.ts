import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { apiTokens, editors, type Editor } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { AppError, notFound } from "@/lib/errors";
import { sha256 } from "@/lib/sha256";
import { tokenInput, type TokenInput } from "@/lib/validation";

export const TOKEN_PREFIX = "ct_";

export const newSecret = (prefix = "") => `${prefix}${randomBytes(32).toString("base64url")}`;

export type TokenScope = "read" | "write";

/** Issues a token to an editor (themselves, or anyone by an admin); only its hash is kept, so the secret is shown to the caller once. */
export async function createToken(db: Executor, actor: Actor, editorId: number, raw: TokenInput) {
  if (!actor.admin && editorId !== actor.editorId) throw new AppError("forbidden", "You may make tokens only for yourself.");
  const { name, scope } = tokenInput.parse(raw);
  const secret = newSecret(TOKEN_PREFIX);
  return db.transaction(async (tx) => {
    const [token] = await tx.insert(apiTokens).values({ editorId, name, scope, tokenHash: sha256(secret) }).returning();
    const { tokenHash: _hash, ...safe } = token!;
    await appendAudit(tx, actor, [{ action: "create", entity: "api_token", entityId: token!.id, after: safe }]);
    return { id: token!.id, secret };
  });
}

/** Revokes a live token: an editor's own, or anyone's by an admin. */
export async function revokeToken(db: Executor, actor: Actor, tokenId: number) {
  return db.transaction(async (tx) => {
    if (!actor.admin && (await tokenOwner(tx, tokenId)) !== actor.editorId) throw new AppError("forbidden", "You may revoke only your own tokens.");
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, editorId: apiTokens.editorId });
    if (!token) throw notFound(`An active token ${tokenId}`);
    await appendAudit(tx, actor, [{ action: "revoke", entity: "api_token", entityId: tokenId }]);
    return token;
  });
}

/** The editor behind a bearer token, if the token is live and its editor enabled. */
export async function editorForToken(db: Executor, secret: string): Promise<{ editor: Editor; scope: TokenScope } | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null;
  const [row] = await db
    .select({ editor: editors, scope: apiTokens.scope })
    .from(apiTokens)
    .innerJoin(editors, eq(editors.id, apiTokens.editorId))
    .where(and(eq(apiTokens.tokenHash, sha256(secret)), isNull(apiTokens.revokedAt), isNull(editors.disabledAt)));
  return row ?? null;
}

async function tokenOwner(db: Executor, tokenId: number): Promise<number | null> {
  const [row] = await db.select({ editorId: apiTokens.editorId }).from(apiTokens).where(eq(apiTokens.id, tokenId));
  return row?.editorId ?? null;
}
