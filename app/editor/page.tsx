import type { Metadata } from "next";
import Link from "next/link";
import { editorOrSignIn } from "@/lib/auth/web";
import { readStoryTitles } from "@/lib/stories";
import { createStoryAction } from "./actions";
import { ActionForm, Field } from "./components/form";

export const metadata: Metadata = { title: "Editor" };

export default async function EditorHome() {
  await editorOrSignIn("/editor");
  const stories = await readStoryTitles(200);
  return (
    <>
      <h1>Stories</h1>
      <ul>
        {stories.map((s) => (
          <li key={s.id}>
            <Link href={`/editor/stories/${s.slug}`}>{s.title}</Link>
          </li>
        ))}
      </ul>
      <h2>Start a story</h2>
      <ActionForm action={createStoryAction} submit="Create story" label="Start a story">
        <Field name="title" label="Title" required hint="A question or a headline, e.g. “Who reshot Ballerina?”" />
        <Field name="slug" label="Slug" hint="Optional: made from the title when left empty." />
        <Field name="summary" label="Summary" type="textarea" rows={3} />
      </ActionForm>
    </>
  );
}
