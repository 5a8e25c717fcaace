"use client";

import { useId, useRef, useState } from "react";
import { useFormState } from "./form";

type Version = { id: number; label: string; text: string };

const CONTEXT = 32;

/**
 * The source text, read-only but selectable with mouse or keyboard (Shift+arrows); the selection
 * becomes the verbatim quote, with the words around it to tell repeated passages apart.
 */
export function QuotePicker({ versions }: { versions: Version[] }) {
  const state = useFormState();
  // What was typed comes back after a refused submit and after a review; a logged claim clears it.
  const kept = state.values;
  const [versionId, setVersionId] = useState<number>(Number(kept?.versionId) || versions.at(-1)?.id || 0);
  const [quote, setQuote] = useState(kept?.quote ?? "");
  const [prefix, setPrefix] = useState(kept?.quotePrefix ?? "");
  const [suffix, setSuffix] = useState(kept?.quoteSuffix ?? "");
  const text = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const version = versions.find((v) => v.id === versionId);
  const errors = state.fields?.quote;

  function takeSelection() {
    const area = text.current;
    if (!area || !version || area.selectionStart === area.selectionEnd) return;
    const start = area.selectionStart;
    const end = area.selectionEnd;
    setQuote(version.text.slice(start, end));
    setPrefix(version.text.slice(Math.max(0, start - CONTEXT), start));
    setSuffix(version.text.slice(end, end + CONTEXT));
  }

  if (versions.length === 0) {
    return (
      <div className="field">
        <label htmlFor={`${id}-quote`}>Quote</label>
        <p className="hint">This source has no text yet: the quote is kept as unverified.</p>
        <textarea id={`${id}-quote`} name="quote" rows={2} value={quote} onChange={(e) => setQuote(e.target.value)} />
      </div>
    );
  }
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-version`}>Version</label>
        <select id={`${id}-version`} name="versionId" value={versionId} onChange={(e) => setVersionId(Number(e.target.value))}>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Source text</label>
        <p className="hint" id={`${id}-text-hint`}>
          Select the words to quote, then press “Use selection as quote”.
        </p>
        <textarea id={`${id}-text`} ref={text} className="source-text" readOnly rows={10} value={version?.text ?? ""} aria-describedby={`${id}-text-hint`} onMouseUp={takeSelection} onKeyUp={(e) => e.shiftKey && takeSelection()} />
        <button type="button" onClick={takeSelection}>
          Use selection as quote
        </button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-quote`}>Quote</label>
        <textarea
          id={`${id}-quote`}
          name="quote"
          rows={2}
          value={quote}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${id}-quote-error` : undefined}
          onChange={(e) => {
            setQuote(e.target.value);
            setPrefix("");
            setSuffix("");
          }}
        />
        {errors && (
          <p id={`${id}-quote-error`} className="field-error">
            {errors.join(" ")}
          </p>
        )}
      </div>
      <input type="hidden" name="quotePrefix" value={prefix} />
      <input type="hidden" name="quoteSuffix" value={suffix} />
    </>
  );
}
