import { z } from "zod";
import { isDatabaseUnavailable, sqlState } from "@/db/errors";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unprocessable"
  | "too_many_requests"
  | "unavailable"
  | "internal";

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

export type FieldErrors = Record<string, string[]>;

/** What is wrong with one line of a body of lines (NDJSON), by its number from 1. */
export type LineProblem = { line: number; message: string; fields?: FieldErrors };

/** The one error type the domain throws; its response never leaks database details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return statusOf[this.code];
  }

  toJSON() {
    return {
      error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }), ...this.details },
    };
  }

  toResponse(headers?: HeadersInit): Response {
    return Response.json(this.toJSON(), { status: this.status, headers });
  }

  /** Each issue under the field it concerns: by default its path joined with dots, "_" for the input as a whole. */
  static fromZod(error: z.ZodError, message = "The request has invalid fields.", fieldOf: (path: PropertyKey[]) => string = (p) => p.map(String).join(".")): AppError {
    const fields: FieldErrors = {};
    for (const issue of error.issues) {
      const key = fieldOf(issue.path) || "_";
      (fields[key] ??= []).push(issue.message);
    }
    return new AppError("unprocessable", message, fields);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);

const outOfRangeStates = new Set(["22001", "22003", "22007", "22008", "22009"]);

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return AppError.fromZod(err);
  if (isDatabaseUnavailable(err)) {
    return new AppError("unavailable", "The database is unavailable right now. Nothing was written; try again shortly.");
  }
  const state = sqlState(err);
  if (state === "23505") return new AppError("conflict", "That already exists.");
  if (state === "23503") return new AppError("unprocessable", "It refers to something that does not exist.");
  if (state === "22021" || state === "22P05") return new AppError("unprocessable", "The text contains characters that cannot be stored.");
  // Dates and numbers the request could express but the database cannot hold, such as year 0.
  if (state && outOfRangeStates.has(state)) return new AppError("unprocessable", "A value is outside the range that can be stored.");
  return new AppError("internal", "Something went wrong on our side. Nothing was written.");
}
