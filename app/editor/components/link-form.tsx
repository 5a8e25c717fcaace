"use client";

import type { LinkKind } from "@/db/schema";
import { useServerAction } from "./form";
import { useEffect, useId, useState } from "react";
import { statusLabel } from "@/lib/format";
import { linkAction, previewLinkAction, type LinkPreview } from "../actions";
import { Diff } from "@/app/components/diff";

/** The kinds of link, in the order the forms offer them (the schema's enum, which the client cannot import). */
export const LINK_KINDS = ["corrects", "contradicts", "confirms", "supersedes", "retracts"] as const satisfies readonly LinkKind[];

/** The kind of a link, chosen from a list. */
export function LinkKindField({ id, label, name, value, onChange }: { id: string; label: string; name: string; value: string; onChange: (kind: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {LINK_KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Links this claim to an older one, with a live preview of the words and the status it changes. */
export function LinkForm({ fromId, candidates }: { fromId: number; candidates: { id: number; label: string }[] }) {
  const [state, action, pending] = useServerAction(linkAction);
  const [kind, setKind] = useState<string>("corrects");
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const [preview, setPreview] = useState<LinkPreview | null>(null);
  const id = useId();

  useEffect(() => {
    if (!/^\s*#?\d+/.test(target)) return;
    let live = true;
    previewLinkAction(fromId, kind, target).then((p) => live && setPreview(p));
    return () => {
      live = false;
    };
  }, [fromId, kind, target]);
  const shown = /^\s*#?\d+/.test(target) ? preview : null;

  return (
    <form action={action} className="editor-form" aria-label="Link to an older claim">
      <input type="hidden" name="_from" value={fromId} />
      {state.message && (
        <p role={state.status === "error" ? "alert" : "status"} className={`form-message form-${state.status}`}>
          {state.message}
        </p>
      )}
      <LinkKindField id={`${id}-kind`} label="This claim…" name="kind" value={kind} onChange={setKind} />
      <div className="field">
        <label htmlFor={`${id}-target`}>…the claim</label>
        <input id={`${id}-target`} name="targetClaimId" list={`${id}-candidates`} value={target} onChange={(e) => setTarget(e.target.value)} aria-invalid={state.fields?.targetClaimId ? true : undefined} />
        <datalist id={`${id}-candidates`}>
          {candidates.map((c) => (
            <option key={c.id} value={`#${c.id} ${c.label}`} />
          ))}
        </datalist>
        {state.fields?.targetClaimId && <p className="field-error">{state.fields.targetClaimId.join(" ")}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <input id={`${id}-note`} name="note" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <section aria-label="Preview" aria-live="polite">
        {shown && "error" in shown && <p className="hint">{shown.error}</p>}
        {shown && !("error" in shown) && (
          <>
            <p>
              Claim #{shown.target.id} ({shown.target.outlet}) goes from <strong>{statusLabel[shown.before]}</strong> to <strong>{statusLabel[shown.after]}</strong>.
            </p>
            <Diff ops={shown.diff.text} layout="inline" before={`Claim #${shown.target.id}`} after={`Claim #${fromId}`} caption="What the link changes" />
          </>
        )}
      </section>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save link"}
      </button>
    </form>
  );
}
