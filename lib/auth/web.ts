import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import type { Editor } from "@/db/schema";
import { actorOf } from "@/lib/auth/editors";
import { createSession, editorForSession, endSession, SESSION_COOKIE, SESSION_DAYS } from "@/lib/auth/sessions";
import type { Actor } from "@/lib/audit";
import { AppError } from "@/lib/errors";

const localHosts = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** Cookies are Secure everywhere but plain-HTTP localhost, where browsers would drop them. */
async function secureCookies(): Promise<boolean> {
  const h = await headers();
  const proto = h.get("x-forwarded-proto") ?? "http";
  return proto === "https" || !localHosts.test(h.get("host") ?? "");
}

export async function currentEditor(): Promise<Editor | null> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return value ? editorForSession(await getDb(), value) : null;
}

/** For pages: the signed-in editor, or a redirect to sign in (and back). */
export async function editorOrSignIn(next: string, role?: "admin"): Promise<Editor> {
  const editor = await currentEditor();
  if (!editor) redirect(`/signin?next=${encodeURIComponent(next)}`);
  if (role === "admin" && editor.role !== "admin") redirect("/editor");
  return editor;
}

/** For server actions, which are public endpoints: the editor behind the cookie, or an error. */
export async function requireSessionActor(role?: "admin"): Promise<{ editor: Editor; actor: Actor }> {
  const editor = await currentEditor();
  if (!editor) throw new AppError("unauthorized", "Your session has ended. Sign in again in another tab, then submit again: what you typed is kept.");
  if (role === "admin" && editor.role !== "admin") throw new AppError("forbidden", "Only an admin may do this.");
  return { editor, actor: actorOf(editor) };
}

export async function startSession(editor: Editor): Promise<void> {
  const { value, expiresAt } = await createSession(await getDb(), editor);
  (await cookies()).set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/",
    expires: expiresAt,
    maxAge: SESSION_DAYS * 86_400,
  });
}

export async function stopSession(): Promise<void> {
  const jar = await cookies();
  await endSession(await getDb(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
}

/** The client's address, as the front (server.ts) or the application process found it under TRUST_PROXY_HOPS (lib/edge.ts). */
export async function clientAddress(): Promise<string> {
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
}
