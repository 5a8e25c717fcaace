import type { Metadata } from "next";
import Link from "next/link";
import { Diff } from "@/app/components/diff";
import { editorOrSignIn } from "@/lib/auth/web";
import { diffWords } from "@/lib/diff/words";
import { formatInstant } from "@/lib/format";
import { INBOX_PAGE, readInbox, type InboxItem } from "@/lib/inbox";
import { inboxAction, noticeLinkAction } from "../actions";
import { ActionForm, Field } from "../components/form";

export const metadata: Metadata = { title: "Inbox" };

/** What an item is called: its card's name, and the end of its forms' names, which must differ between items. */
function nameOf(item: InboxItem): string {
  switch (item.kind) {
    case "quote":
      return `Quote of claim ${item.claim.id}, version ${item.versionId}`;
    case "notice":
      return `Notice in ${item.document.title}, version ${item.versionId}`;
    case "discovered":
      return `Found: ${item.document.title}, source ${item.document.id}`;
    case "watch":
      return `Watch of ${item.url}`;
  }
}

/** A decision on an item, as one button. */
function Decide({ item, action, label }: { item: InboxItem; action: string; label: string }) {
  return <ActionForm action={inboxAction} submit={label} label={`${label}: ${nameOf(item)}`} hidden={{ _kind: item.kind, _id: item.id, action }} />;
}

function Item({ item }: { item: InboxItem }) {
  const when = <span className="meta">{formatInstant(item.at)}</span>;
  switch (item.kind) {
    case "quote":
      return (
        <li className="card" aria-label={nameOf(item)}>
          <h2>
            {item.state === "removed" ? "A quoted passage was removed" : item.state === "changed" ? "A quoted passage was reworded" : "A quoted passage now appears twice"} {when}
          </h2>
          <p>
            {item.claim.outlet} changed the article <Link href={`/documents/${item.documentId}#version-${item.versionId}`}>in version {item.versionId}</Link>. The claim:{" "}
            <Link href={`/claims/${item.claim.id}`}>{item.claim.text}</Link>
          </p>
          <Diff ops={diffWords(item.claim.quote, item.found ?? "")} layout="inline" before="As quoted" after="Now" caption="The passage" />
          {item.state === "changed" && <Decide item={item} action="take-new-wording" label="Take the new wording as the quote" />}
          {item.state === "removed" ? <Decide item={item} action="noted" label="Noted: keep the claim, marked" /> : <Decide item={item} action="keep" label="Keep the quote as it was" />}
        </li>
      );
    case "notice":
      return (
        <li className="card" aria-label={nameOf(item)}>
          <h2>
            A {item.noticeKind} in {item.document.outlet}&apos;s article {when}
          </h2>
          <blockquote className="quote">
            <p>{item.notice}</p>
          </blockquote>
          <p>
            <Link href={`/documents/${item.document.id}#version-${item.versionId}`}>{item.document.title}</Link>, version {item.versionId}
            {item.previousVersionId !== null && <> · <Link href={`/api/documents/${item.document.id}/diff?from=${item.previousVersionId}&to=${item.versionId}`}>its diff</Link></>}
          </p>
          {item.newer.length > 0 && item.older.length > 0 ? (
            <ActionForm action={noticeLinkAction} submit="Link" label={`Link the correction: ${nameOf(item)}`} hidden={{ _id: item.id }}>
              <Field name="fromClaimId" label="The newer claim" type="select" options={item.newer.map((c) => ({ value: String(c.id), label: `#${c.id} ${c.text}` }))} />
              <Field name="kind" label="…" type="select" options={["corrects", "supersedes", "retracts"].map((k) => ({ value: k, label: k }))} />
              <Field name="targetClaimId" label="…the older claim" type="select" options={item.older.map((c) => ({ value: String(c.id), label: `#${c.id} ${c.text}` }))} />
            </ActionForm>
          ) : (
            <p className="meta">
              Log a claim from this version on <Link href={`/editor/documents/${item.document.id}`}>its source page</Link> to link it to the claims it corrects.
            </p>
          )}
          <Decide item={item} action="dismiss" label="Dismiss the notice" />
        </li>
      );
    case "discovered":
      return (
        <li className="card" aria-label={nameOf(item)}>
          <h2>
            Found in {item.document.outlet}&apos;s feed {when}
          </h2>
          <p>
            <Link href={`/editor/documents/${item.document.id}`}>{item.document.title}</Link>
            {item.document.url && <span className="meta"> · {item.document.url}</span>}
          </p>
          <Decide item={item} action="reviewed" label="Looked at" />
        </li>
      );
    case "watch":
      return (
        <li className="card" aria-label={nameOf(item)}>
          <h2>A watch stopped {when}</h2>
          <p>
            {item.documentId ? <Link href={`/editor/documents/${item.documentId}`}>{item.url}</Link> : item.url}: {item.reason}
          </p>
          <Decide item={item} action="watch-again" label="Watch again" />
          <Decide item={item} action="leave-paused" label="Leave it paused" />
        </li>
      );
  }
}

export default async function Inbox() {
  await editorOrSignIn("/editor/inbox");
  const { items, more } = await readInbox();
  return (
    <>
      <h1>Inbox</h1>
      <p>What needs a decision, newest first: quotes a source reworded or removed, correction notices, articles found in feeds, and watches that stopped.</p>
      {items.length === 0 ? (
        <p className="meta">Nothing needs a decision.</p>
      ) : (
        <ol className="plain">
          {items.map((item) => (
            <Item key={`${item.kind}-${item.id}`} item={item} />
          ))}
        </ol>
      )}
      {more && <p className="meta">These are the {INBOX_PAGE} newest; older items come into view as these are settled.</p>}
    </>
  );
}
