"use server";

import { redirect } from "next/navigation";
import { checkPassword } from "@/lib/auth/editors";
import { attempt, resetLimit, SIGN_IN_LIMITS } from "@/lib/auth/rate-limit";
import { completeSetup } from "@/lib/auth/sessions";
import { clientAddress, startSession, stopSession } from "@/lib/auth/web";
import { formAction, type FormState } from "@/lib/forms";
import { setupInput, signInInput } from "@/lib/validation";

export const signIn = formAction({ access: "anyone", input: signInInput, secret: ["password"] }, async (input, { db, values }) => {
  const { password: _p, ...kept } = values;
  const account = input.email.toLowerCase();
  const checks = await Promise.all([attempt(db, SIGN_IN_LIMITS.perAccount, account), attempt(db, SIGN_IN_LIMITS.perAddress, await clientAddress())]);
  for (const check of checks) {
    if (!check.allowed) return { status: "error", message: `Too many attempts. Try again in ${Math.ceil(check.retryAfter / 60)} minutes.`, values: kept };
  }
  const editor = await checkPassword(db, input.email, input.password);
  if (!editor) return { status: "error", message: "That email and password do not match an active editor.", values: kept };
  await resetLimit(db, SIGN_IN_LIMITS.perAccount, account);
  await startSession(editor);
  return { redirect: input.next };
});

/** Shaped like the form actions (a previous state and the form), so its form is rendered as theirs are. */
export async function signOut(_previous: FormState, _form: FormData): Promise<FormState> {
  await stopSession();
  redirect("/signin");
}

export const setUp = formAction({ access: "anyone", input: setupInput, secret: ["password"] }, async ({ code, ...account }, { db }) => {
  await startSession(await completeSetup(db, code, account));
  return { redirect: "/editor" };
});
