"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { createContext, useActionState, useContext, useId, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import type { FormState } from "@/lib/forms";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/**
 * useActionState for a server action, with this page's address as the form's `action`: a form
 * sent before the scripts have loaded posts back to the page it is on, and the HTML is valid
 * (without one, the form is rendered with an empty `action`, which HTML does not allow).
 */
export function useServerAction(action: Action) {
  const path = usePathname();
  const query = useSearchParams().toString();
  return useActionState(action, { status: "idle" } as FormState, query ? `${path}?${query}` : path);
}

const FormContext = createContext<FormState>({ status: "idle" });

/** A form bound to a server action: errors appear beside their fields and typed values survive. */
export function ActionForm({
  action,
  submit,
  children,
  hidden = {},
  label,
  footer,
}: {
  action: Action;
  submit: string;
  children?: ReactNode;
  hidden?: Record<string, string | number>;
  label?: string;
  /** After the submit button, so that Enter in a field still sends the form's own submit. */
  footer?: ReactNode;
}) {
  const [state, formAction] = useServerAction(action);
  const messageId = useId();
  return (
    <form action={formAction} className="editor-form" aria-label={label} aria-describedby={state.message ? messageId : undefined} noValidate>
      <FormContext.Provider value={state}>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={String(value)} />
        ))}
        {state.message && (
          <p id={messageId} role={state.status === "error" ? "alert" : "status"} className={`form-message form-${state.status}`}>
            {state.message}
          </p>
        )}
        {typeof (state.data as { secret?: string } | undefined)?.secret === "string" && (
          <p>
            <output className="secret" aria-label="Shown once">{(state.data as { secret: string }).secret}</output>
          </p>
        )}
        {children}
        <Submit label={submit} />
        {footer}
      </FormContext.Provider>
    </form>
  );
}

function Submit({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-disabled={pending}>
      {pending ? "Saving…" : label}
    </button>
  );
}

export function useFormState(): FormState {
  return useContext(FormContext);
}

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  type?: "text" | "email" | "password" | "url" | "date" | "textarea" | "select";
  options?: { value: string; label: string }[];
  defaultValue?: string;
  required?: boolean;
  rows?: number;
  list?: string;
  autoComplete?: string;
  keepOnSuccess?: boolean;
};

/** A labelled field; after a failed submit it shows its errors and what the user typed. */
export function Field({ name, label, hint, type = "text", options, defaultValue = "", required, rows = 4, list, autoComplete, keepOnSuccess }: FieldProps) {
  const state = useFormState();
  const id = useId();
  const errors = state.fields?.[name];
  const typed = state.values?.[name];
  const value = typed !== undefined && (state.status === "error" || keepOnSuccess) ? typed : defaultValue;
  const describedBy = [hint ? `${id}-hint` : "", errors ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  // Remounting on a new answer makes the field show the value the server sent back.
  const key = `${state.status}-${value}`;
  const common = { id, name, "aria-invalid": errors ? true : undefined, "aria-describedby": describedBy, required, defaultValue: value };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {type === "textarea" ? (
        <textarea key={key} {...common} rows={rows} />
      ) : type === "select" ? (
        <select key={key} {...common}>
          {options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input key={key} {...common} type={type} list={list} autoComplete={autoComplete} />
      )}
      {errors && (
        <p id={`${id}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes, one field name each; after a failed submit it keeps what was ticked and shows the group's errors. */
export function Checkboxes({ name, legend, options, hint }: { name: string; legend: string; options: { name: string; label: string; checked?: boolean }[]; hint?: string }) {
  const state = useFormState();
  const id = useId();
  const errors = state.fields?.[name];
  const describedBy = [hint ? `${id}-hint` : "", errors ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="field checkboxes" aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {options.map((o) => {
        const checked = state.status === "error" ? state.values?.[o.name] === "on" : Boolean(o.checked);
        return (
          <label key={`${state.status}-${o.name}-${checked}`}>
            <input type="checkbox" name={o.name} defaultChecked={checked} /> {o.label}
          </label>
        );
      })}
      {errors && (
        <p id={`${id}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      )}
    </fieldset>
  );
}

/** The sign-out button, as a form of its own. */
export function SignOut({ action, email }: { action: Action; email: string }) {
  const [, formAction] = useServerAction(action);
  return (
    <form action={formAction}>
      <span className="meta">{email}</span> <button type="submit">Sign out</button>
    </form>
  );
}
