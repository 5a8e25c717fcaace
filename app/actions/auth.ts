"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { checkPassword } from "@/lib/auth/editors";
import { signInLimits } from "@/lib/auth/rate-limit";
import { completeSetup } from "@/lib/auth/sessions";
import { clientAddress, startSession, stopSession } from "@/lib/auth/web";
import { failed, formValues, parseForm, type FormState } from "@/lib/forms";

const signInInput = z.object({
  email: z.email("Enter your email address.").max(200),
  password: z.string().min(1, "Enter your password.").max(200),
  next: z.string().regex(/^\/editor(\/[^/\\]*)*(\?.*)?$/).catch("/editor"),
});

const setupInput = z.object({
  code: z.string().trim().min(1, "Enter the code from the server's log.").max(100),
  email: z.email("Enter an email address.").max(200),
  name: z.string().trim().max(200).optional(),
  password: z.string().min(12, "Use at least 12 characters.").max(200),
});

export async function signIn(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  const { password: _p, ...kept } = values;
  let next: string;
  try {
    const input = parseForm(signInInput, values);
    const address = await clientAddress();
    for (const check of [signInLimits.perAccount.attempt(input.email.toLowerCase()), signInLimits.perAddress.attempt(address)]) {
      if (!check.allowed) return { status: "error", message: `Too many attempts. Try again in ${Math.ceil(check.retryAfter / 60)} minutes.`, values: kept };
    }
    const editor = await checkPassword(await getDb(), input.email, input.password);
    if (!editor) return { status: "error", message: "That email and password do not match an active editor.", values: kept };
    signInLimits.perAccount.reset(input.email.toLowerCase());
    await startSession(editor);
    next = input.next;
  } catch (err) {
    return failed(err, kept);
  }
  redirect(next);
}

export async function signOut(): Promise<void> {
  await stopSession();
  redirect("/signin");
}

export async function setUp(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  const { password: _p, ...kept } = values;
  try {
    const input = parseForm(setupInput, { ...values, name: values.name || undefined });
    const { code, ...account } = input;
    const editor = await completeSetup(await getDb(), code, account);
    await startSession(editor);
  } catch (err) {
    return failed(err, kept);
  }
  redirect("/editor");
}
