import type { z } from "zod";
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

export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  return values;
}

/** Form fields as a schema's input: empty fields are left out, so optional ones stay optional. */
export function formInput(values: Record<string, string>, shape: Record<string, (v: string) => unknown> = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value.trim() === "" || key.startsWith("_")) continue;
    input[key] = shape[key] ? shape[key](value) : value;
  }
  return input;
}

export function parseForm<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error, "Some fields need attention.");
  return parsed.data;
}

/** Turns any failure into a form state that keeps what was typed. */
export function failed(err: unknown, values: Record<string, string>): FormState {
  const error = toAppError(err);
  if (error.code === "internal") console.error(err);
  return { status: "error", message: error.message, fields: error.fields, values, data: (error.toJSON().error as Record<string, unknown>).current };
}
