import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { editorOrSignIn } from "@/lib/auth/web";
import { readDocument } from "@/lib/documents";
import { orNotFound } from "@/app/components/load";
import { formatDate } from "@/lib/format";
import { readStory } from "@/lib/stories";
import { id as idSchema } from "@/lib/validation";
import { WatchStatus } from "@/app/components/watch-status";
import { readCaptures, readDocumentWatch } from "@/lib/watch";
import { addVersionAction, captureNowAction, createClaimAction, watchAction } from "../../actions";
import { CaptureLog } from "../../components/capture-log";
import { ActionForm, Field } from "../../components/form";
import { QuotePicker } from "../../components/quote-picker";
import { Suggestions } from "../../components/suggestions";

export const metadata: Metadata = { title: "Source" };

export default async function EditorDocument({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ story?: string; existing?: string }> }) {
  const [{ id }, { story, existing }] = await Promise.all([params, searchParams]);
  const documentId = idSchema.safeParse(id);
  if (!documentId.success) notFound();
  await editorOrSignIn(`/editor/documents/${id}`);
  const [document, watched, captures] = await orNotFound(
    Promise.all([readDocument(documentId.data), readDocumentWatch(documentId.data), readCaptures(documentId.data, { limit: 30 })]),
  );
  const view = story ? await orNotFound(readStory(story)) : null;
  const versions = document.versions.map((v, i) => ({ id: v.id, label: `Version ${i + 1} · ${formatDate(v.seenAt)}${v.note ? ` · ${v.note}` : ""}`, text: v.text }));
  return (
    <>
      {view && (
        <p className="meta">
          <Link href={`/editor/stories/${view.story.slug}`}>← {view.story.title}</Link>
        </p>
      )}
      <h1>{document.title}</h1>
      <p className="meta">
        {document.outlet.name} · {formatDate(document.publishedAt, document.precision)}
        {document.url && (
          <>
            {" "}
            · <a href={document.url}>{document.url}</a>
          </>
        )}
      </p>
      {existing && <p role="status">This URL was already known: this is the existing document.</p>}

      {view ? (
        <>
          <h2>Log a claim</h2>
          <ActionForm
            action={createClaimAction}
            submit="Log claim"
            label="Log a claim"
            hidden={{ _story: view.story.slug, documentId: document.id }}
            footer={<Suggestions story={view.story.slug} />}
          >
            <QuotePicker versions={versions} />
            <Field keepOnSuccess name="text" label="Statement" type="textarea" rows={2} required hint="What the source asserts, in your words." />
            <Field keepOnSuccess name="speaker" label="Who is quoted" hint="A named person, “an insider”, “production sources”…" />
            <Field keepOnSuccess name="questionId" label="Question it answers" type="select" options={[{ value: "", label: "None" }, ...view.questions.map((q) => ({ value: String(q.id), label: q.label }))]} />
            <Field keepOnSuccess name="relaysClaimId" label="Relays the claim" list="relay-candidates" hint="If this repeats another outlet's report: type to search, or give a claim number." />
            <datalist id="relay-candidates">
              {view.claims.map((c) => (
                <option key={c.id} value={`#${c.id} ${c.outlet.name}: ${c.text}`} />
              ))}
            </datalist>
            <Field keepOnSuccess name="assertedAt" label="Asserted on" hint="Defaults to the version's date, else the publication date." />
          </ActionForm>
        </>
      ) : (
        <p>Open this source from a story to log claims from it.</p>
      )}

      <h2>Watching for changes</h2>
      <WatchStatus watch={watched.watch} />
      {document.url ? (
        <>
          <ActionForm
            action={watchAction}
            submit={watched.watch?.enabled ? "Pause watching" : "Watch this page"}
            label={watched.watch?.enabled ? "Pause watching" : "Watch this page"}
            hidden={{ _document: document.id, enabled: watched.watch?.enabled ? "0" : "1" }}
          >
            {!watched.watch?.enabled && (
              <Field name="everyMinutes" label="Check every (minutes)" hint="Optional: left empty, checks follow the page's age, from every 15 minutes while it is new to monthly." />
            )}
          </ActionForm>
          <ActionForm action={captureNowAction} submit="Check now" label="Check now" hidden={{ _document: document.id }} />
          <CaptureLog captures={captures} />
        </>
      ) : (
        <p className="meta">This document has no address, so it cannot be watched.</p>
      )}

      <h2>Add a version</h2>
      <ActionForm action={addVersionAction} submit="Save version" label="Add a version" hidden={{ _document: document.id }}>
        <Field name="text" label="Text" type="textarea" rows={8} required />
        <Field name="seenAt" label="Seen on" required hint="When this text was seen, e.g. 2024-10-15." />
        <Field name="note" label="Note" hint="e.g. “the update of 15 Oct”" />
      </ActionForm>
    </>
  );
}
