import type { Metadata } from "next";
import { readEditors } from "@/lib/auth/editors";
import { editorOrSignIn } from "@/lib/auth/web";
import { createEditorAction, revokeTokenAction, updateEditorAction } from "../actions";
import { ActionForm, Field } from "../components/form";

export const metadata: Metadata = { title: "People" };

export default async function People() {
  const me = await editorOrSignIn("/editor/people", "admin");
  const people = await readEditors();
  return (
    <>
      <h1>People</h1>
      <h2>Add an editor</h2>
      <ActionForm action={createEditorAction} submit="Add editor" label="Add an editor">
        <Field name="email" label="Email" type="email" required />
        <Field name="name" label="Name" />
        <Field name="role" label="Role" type="select" options={[{ value: "editor", label: "Editor" }, { value: "admin", label: "Admin" }]} />
      </ActionForm>
      <h2>Editors</h2>
      <ul className="plain">
        {people.map((p) => (
          <li key={p.id} className="card">
            <p>
              <strong>{p.email}</strong> · {p.role}
              {p.disabledAt && " · disabled"}
            </p>
            {p.id !== me.id && (
              <>
                <ActionForm
                  action={updateEditorAction}
                  submit={p.disabledAt ? `Enable ${p.email}` : `Disable ${p.email}`}
                  hidden={{ _editor: p.id, disabled: p.disabledAt ? "0" : "1" }}
                  label={`${p.disabledAt ? "Enable" : "Disable"} ${p.email}`}
                />
                <ActionForm
                  action={updateEditorAction}
                  submit={p.role === "admin" ? `Make ${p.email} an editor` : `Make ${p.email} an admin`}
                  hidden={{ _editor: p.id, role: p.role === "admin" ? "editor" : "admin" }}
                  label={`Change the role of ${p.email}`}
                />
              </>
            )}
            <ul>
              {p.tokens.map((t) => (
                <li key={t.id}>
                  Token {t.name} ({t.scope}){t.revokedAt ? " · revoked" : ""}
                  {!t.revokedAt && <ActionForm action={revokeTokenAction} submit={`Revoke token ${t.name} of ${p.email}`} hidden={{ _token: t.id }} label={`Revoke token ${t.name} of ${p.email}`} />}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}
