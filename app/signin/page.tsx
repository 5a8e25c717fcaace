import type { Metadata } from "next";
import { connection } from "next/server";
import { signIn } from "@/app/actions/auth";
import { ActionForm, Field } from "@/app/editor/components/form";

export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  const { next } = await searchParams;
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p>Editors sign in to log claims and corrections. Readers need no account.</p>
      <ActionForm action={signIn} submit="Sign in" label="Sign in" hidden={{ next: next ?? "/editor" }}>
        <Field name="email" label="Email" type="email" autoComplete="username" required />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
      </ActionForm>
    </section>
  );
}
