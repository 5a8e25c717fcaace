import type { Metadata } from "next";
import Link from "next/link";
import { documentKindEnum } from "@/db/schema";
import { editorOrSignIn } from "@/lib/auth/web";
import { orNotFound } from "@/app/components/load";
import { formatDate, statusLabel } from "@/lib/format";
import { readStory } from "@/lib/stories";
import { addQuestionAction, addSourceAction } from "../../actions";
import { ActionForm, Field } from "../../components/form";

export const metadata: Metadata = { title: "Edit story" };

export const precisionOptions = [
  { value: "", label: "From the date as written" },
  { value: "year", label: "Year" },
  { value: "month", label: "Month" },
  { value: "day", label: "Day" },
  { value: "time", label: "Exact time" },
];

export default async function EditorStory({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await editorOrSignIn(`/editor/stories/${slug}`);
  const view = await orNotFound(readStory(slug));
  const documents = new Map(view.claims.map((c) => [c.document.id, c]));
  return (
    <>
      <p className="meta">
        <Link href={`/stories/${slug}`}>Reader page</Link>
      </p>
      <h1>{view.story.title}</h1>

      <h2>Questions</h2>
      <ul>
        {view.questions.map((q) => (
          <li key={q.id}>{q.label}</li>
        ))}
      </ul>
      <ActionForm action={addQuestionAction} submit="Add question" label="Add a question" hidden={{ _story: slug }}>
        <Field name="label" label="Question" required hint="One point the reports answer, e.g. “How long did the reshoot last?”" />
      </ActionForm>

      <h2>Claims</h2>
      <ul>
        {view.claims.map((c) => (
          <li key={c.id}>
            <Link href={`/editor/claims/${c.id}`}>
              #{c.id} {c.outlet.name}: {c.text}
            </Link>{" "}
            <span className={`badge badge-${c.status}`}>{statusLabel[c.status]}</span>
          </li>
        ))}
      </ul>

      <h2>Sources in this story</h2>
      <ul>
        {[...documents.values()].map((c) => (
          <li key={c.document.id}>
            <Link href={`/editor/documents/${c.document.id}?story=${slug}`}>
              {c.outlet.name}: {c.document.title}
            </Link>{" "}
            <span className="meta">{formatDate(c.document.publishedAt, c.document.precision)}</span>
          </li>
        ))}
      </ul>

      <h2>Add a source</h2>
      <ActionForm action={addSourceAction} submit="Add source" label="Add a source" hidden={{ _story: slug }}>
        <Field name="url" label="URL" type="url" hint="Tracking parameters and fragments are removed; a URL already known opens that document." />
        <Field name="outletName" label="Outlet" hint="Found by name, or created. Left empty, it is recognised from the URL's host." />
        <Field name="outletHomepage" label="Outlet homepage" type="url" />
        <Field name="title" label="Title" required />
        <Field name="authors" label="Authors" hint="Comma-separated." />
        <Field name="publishedAt" label="Published" required hint="2024, 2024-10, 2024-10-14 or 2024-10-14T09:30:00Z: as precise as is known." />
        <Field name="precision" label="Date precision" type="select" options={precisionOptions} />
        <Field name="kind" label="Kind" type="select" options={documentKindEnum.enumValues.map((k) => ({ value: k, label: k }))} />
        <Field name="text" label="Text of the article" type="textarea" rows={8} hint="Optional: paste the text to quote from; it becomes the first version." />
        <Field name="seenAt" label="Text seen on" hint="Defaults to the publication date." />
      </ActionForm>
    </>
  );
}
