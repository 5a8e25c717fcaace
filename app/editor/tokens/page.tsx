import type { Metadata } from "next";
import { readEditors } from "@/lib/auth/editors";
import { editorOrSignIn } from "@/lib/auth/web";
import { formatDate } from "@/lib/format";
import { createTokenAction, revokeTokenAction } from "../actions";
import { ActionForm, Field } from "../components/form";

export const metadata: Metadata = { title: "API tokens" };

export default async function Tokens() {
  const editor = await editorOrSignIn("/editor/tokens");
  const me = (await readEditors()).find((e) => e.id === editor.id)!;
  return (
    <>
      <h1>API tokens</h1>
      <p>Tokens let scripts use the JSON API as you: send <code>Authorization: Bearer &lt;token&gt;</code>.</p>
      <ActionForm action={createTokenAction} submit="Create token" label="Create a token">
        <Field name="name" label="Name" required hint="What it is for, e.g. “newsroom importer”." />
        <Field name="scope" label="Scope" type="select" options={[{ value: "write", label: "Read and write" }, { value: "read", label: "Read only" }]} />
      </ActionForm>
      <h2>Your tokens</h2>
      <ul>
        {me.tokens.map((t) => (
          <li key={t.id}>
            {t.name} ({t.scope}) · created {formatDate(t.createdAt)}
            {t.revokedAt ? (
              <> · revoked</>
            ) : (
              <ActionForm action={revokeTokenAction} submit={`Revoke ${t.name}`} hidden={{ _token: t.id }} label={`Revoke token ${t.name}`} />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
