"use client";

import { useServerAction } from "./form";
import { useId, useState } from "react";
import { diffWords } from "@/lib/diff/words";
import { editClaimAction } from "../actions";
import { Diff } from "@/app/components/diff";

type Revision = { revision: number; text: string; quote: string | null };

/**
 * Editing names the revision it started from. When someone else saved first, both versions are
 * shown side by side and the editor chooses; what they typed stays in the form.
 */
export function EditClaim({ claimId, current }: { claimId: number; current: Revision }) {
  const [state, action, pending] = useServerAction(editClaimAction);
  const theirs = state.status === "error" ? (state.data as Revision | undefined) : undefined;
  const base = theirs?.revision ?? Number(state.values?.baseRevision ?? current.revision);
  const [text, setText] = useState(current.text);
  const [quote, setQuote] = useState(current.quote ?? "");
  const [reason, setReason] = useState("");
  const id = useId();
  const errors = state.fields ?? {};

  return (
    <form
      action={(form) => {
        action(form);
      }}
      className="editor-form"
      aria-label="Edit claim"
    >
      <input type="hidden" name="_claim" value={claimId} />
      <input type="hidden" name="baseRevision" value={base} />
      {state.message && (
        <p role={state.status === "error" ? "alert" : "status"} className={`form-message form-${state.status}`}>
          {state.message}
        </p>
      )}
      {theirs && (
        <section aria-label="Edit conflict" className="side-by-side">
          <div>
            <h3>Saved meanwhile (revision {theirs.revision})</h3>
            <p>{theirs.text}</p>
            {theirs.quote && <blockquote>{theirs.quote}</blockquote>}
            <button
              type="button"
              onClick={() => {
                setText(theirs.text);
                setQuote(theirs.quote ?? "");
              }}
            >
              Use the saved version
            </button>
          </div>
          <div>
            <h3>Yours (not saved)</h3>
            <Diff ops={diffWords(theirs.text, text)} layout="inline" before="Saved" after="Yours" caption="The saved statement against yours" />
            <p className="hint">Save again to put yours on top of revision {theirs.revision}.</p>
          </div>
        </section>
      )}
      <div className="field">
        <label htmlFor={`${id}-text`}>Statement</label>
        <textarea id={`${id}-text`} name="text" rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={errors.text ? true : undefined} />
        {errors.text && <p className="field-error">{errors.text.join(" ")}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-quote`}>Quote</label>
        <textarea id={`${id}-quote`} name="quote" rows={2} value={quote} onChange={(e) => setQuote(e.target.value)} aria-invalid={errors.quote ? true : undefined} />
        {errors.quote && <p className="field-error">{errors.quote.join(" ")}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason for the edit</label>
        <input id={`${id}-reason`} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.reason ? true : undefined} />
        {errors.reason && <p className="field-error">{errors.reason.join(" ")}</p>}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save edit"}
      </button>
    </form>
  );
}
