import { redirect } from "next/navigation";
import type { z } from "zod";
import { getDb, type Db } from "@/db";
import type { Editor } from "@/db/schema";
import type { Actor } from "@/lib/audit";
import { requireWriteAllowance } from "@/lib/auth/rate-limit";
import { requireSessionActor } from "@/lib/auth/web";
import { AppError, toAppError, type FieldErrors } from "@/lib/errors";

/** What a form action answers: field errors and the values typed, so nothing is lost on failure. */
export type FormState = {
  status: "idle" | "ok" | "error";
  message?: string;
  fields?: FieldErrors;
  values?: Record<string, string>;
  data?: unknown;
};

export const idle: FormState = { status: "idle" };

function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  return values;
}

/** Form fields as a schema's input: empty fields are left out, so optional ones stay optional. */
function formInput(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ""));
}

/** Parses with a schema; a failure names each field's problem, under the field's own name. */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown, fieldOf?: (path: PropertyKey[]) => string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error, "Some fields need attention.", fieldOf);
  return parsed.data;
}

/** Turns any failure into a form state that keeps what was typed. */
function failed(err: unknown, values: Record<string, string>): FormState {
  const error = toAppError(err);
  if (error.code === "internal") console.error(err);
  return { status: "error", message: error.message, fields: error.fields, values, data: (error.toJSON().error as Record<string, unknown>).current };
}

type Access = "editor" | "admin" | "anyone";
type Session = { editor: Editor; actor: Actor };
type Context<A extends Access> = { db: Db; values: Record<string, string> } & (A extends "anyone" ? object : Session);
/** An action's answer: a state for the form, or an address to go to. */
type Outcome = FormState | { redirect: string };

export type FormOptions<A extends Access, S extends z.ZodType> = {
  /** Who may submit: a signed-in editor (the default), an admin, or anyone (signing in, first-run setup). */
  access: A;
  input: S;
  /** Fields never sent back to the form, such as a password. */
  secret?: string[];
  /** The form field an issue's path belongs to, when the schema reshapes the fields. */
  fieldOf?: (path: PropertyKey[]) => string;
};

/**
 * A server action behind a form. Server actions are public endpoints, so each one goes the same
 * way: the session is checked first (an anonymous post costs no parse) and an editor's post counts
 * against the write limit the API's writes count against too, then the fields are parsed with the
 * input's schema, then `run` calls lib/. Any failure comes back as per-field messages with what
 * was typed kept.
 */
export function formAction<A extends Access, S extends z.ZodType>(options: FormOptions<A, S>, run: (input: z.output<S>, context: Context<A>) => Promise<Outcome>) {
  return async (_previous: FormState, form: FormData): Promise<FormState> => {
    const values = formValues(form);
    const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !options.secret?.includes(key)));
    let target: string;
    try {
      const session = options.access === "anyone" ? undefined : await requireSessionActor(options.access === "admin" ? "admin" : undefined);
      const db = await getDb();
      if (session) await requireWriteAllowance(db, session.editor.id);
      const input = parseForm(options.input, formInput(values), options.fieldOf);
      const outcome = await run(input, { db, values, ...session } as Context<A>);
      if (!("redirect" in outcome)) return outcome;
      target = outcome.redirect;
    } catch (err) {
      return failed(err, kept);
    }
    // Outside the try: redirect() works by throwing.
    redirect(target);
  };
}
