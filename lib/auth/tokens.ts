import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
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

const wellFormed = (secret: string) => secret.startsWith(TOKEN_PREFIX) && secret.length <= 100;
/** The token is live and its editor enabled. */
const liveToken = (secret: string) => and(eq(apiTokens.tokenHash, sha256(secret)), isNull(apiTokens.revokedAt), isNull(editors.disabledAt));

/** The editor behind a bearer token, if the token is live and its editor enabled. */
export async function editorForToken(db: Executor, secret: string): Promise<{ editor: Editor; scope: TokenScope } | null> {
  if (!wellFormed(secret)) return null;
  const [row] = await db.select({ editor: editors, scope: apiTokens.scope }).from(apiTokens).innerJoin(editors, eq(editors.id, apiTokens.editorId)).where(liveToken(secret));
  return row ?? null;
}

/**
 * A query giving the id (as text) of the editor behind a live write token, and no row for any
 * other: what an editor's writes are counted under (lib/auth/rate-limit.ts), found in the same
 * statement that counts them.
 */
export function writerOfToken(db: Executor, secret: string): SQL {
  const query = db
    .select({ key: sql<string>`${apiTokens.editorId}::text` })
    .from(apiTokens)
    .innerJoin(editors, eq(editors.id, apiTokens.editorId))
    .where(and(liveToken(wellFormed(secret) ? secret : ""), eq(apiTokens.scope, "write")));
  return query.getSQL();
}

async function tokenOwner(db: Executor, tokenId: number): Promise<number | null> {
  const [row] = await db.select({ editorId: apiTokens.editorId }).from(apiTokens).where(eq(apiTokens.id, tokenId));
  return row?.editorId ?? null;
}
