import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { setUp } from "@/app/actions/auth";
import { ActionForm, Field } from "@/app/editor/components/form";
import { isSetupOpen } from "@/lib/auth/sessions";

export const metadata: Metadata = { title: "Set up", robots: { index: false } };

export default async function SetupPage() {
  await connection();
  // Once an admin exists the page is gone.
  if (!(await isSetupOpen())) notFound();
  return (
    <section className="narrow">
      <h1>Set up Claimtrail</h1>
      <p>Create the first admin. The one-time setup code is in the server&apos;s log.</p>
      <ActionForm action={setUp} submit="Create admin" label="Set up">
        <Field name="code" label="Setup code" required autoComplete="off" />
        <Field name="email" label="Your email" type="email" autoComplete="username" required />
        <Field name="name" label="Your name" autoComplete="name" />
        <Field name="password" label="Password" type="password" hint="At least 12 characters." autoComplete="new-password" required />
      </ActionForm>
    </section>
  );
}
