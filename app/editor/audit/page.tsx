import type { Metadata } from "next";
import Link from "next/link";
import { readAuditLog, readChainVerdict } from "@/lib/audit";
import { readEditors } from "@/lib/auth/editors";
import { editorOrSignIn } from "@/lib/auth/web";
import { readStoryTitles } from "@/lib/stories";
import { AUDITED_ENTITIES, auditFilter } from "@/lib/validation";

export const metadata: Metadata = { title: "Audit log" };

export default async function Audit({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await editorOrSignIn("/editor/audit");
  const filter = auditFilter.parse(Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v !== "")));
  const [events, verdict, people, stories] = await Promise.all([
    readAuditLog({ editorId: filter.editor, storyId: filter.story, entity: filter.kind, beforeId: filter.before, limit: 100 }),
    readChainVerdict(),
    readEditors(),
    readStoryTitles(500),
  ]);
  const older = events.length === 100 ? events.at(-1)!.id : null;
  return (
    <>
      <h1>Audit log</h1>
      <p role="status" className={`form-message ${verdict.ok ? "form-ok" : "form-error"}`}>
        {verdict.ok ? `Chain verified: ${verdict.events} events, each linked to the one before.` : `Chain broken at event ${verdict.brokenAt}: ${verdict.reason}.`}
      </p>
      <form method="get" className="editor-form" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="f-editor">Editor</label>
          <select id="f-editor" name="editor" defaultValue={filter.editor ?? ""}>
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.email}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-story">Story</label>
          <select id="f-story" name="story" defaultValue={filter.story ?? ""}>
            <option value="">Any story</option>
            {stories.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-kind">Kind</label>
          <select id="f-kind" name="kind" defaultValue={filter.kind ?? ""}>
            <option value="">Any kind</option>
            {AUDITED_ENTITIES.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <table className="audit">
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{e.id}</td>
              <td>
                <time dateTime={e.at.toISOString()}>{e.at.toISOString().replace("T", " ").slice(0, 19)}</time>
              </td>
              <td>{e.actor}</td>
              <td>
                {e.action} {e.entity} {e.entityId}
              </td>
              <td>
                <code>{e.hash.slice(0, 12)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {older && (
        <p>
          <Link href={`/editor/audit?${new URLSearchParams({ ...(filter.editor && { editor: String(filter.editor) }), ...(filter.story && { story: String(filter.story) }), ...(filter.kind && { kind: filter.kind }), before: String(older) })}`}>Older events</Link>
        </p>
      )}
    </>
  );
}
