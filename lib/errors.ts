import { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unprocessable"
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
  unavailable: 503,
  internal: 500,
};

export type FieldErrors = Record<string, string[]>;

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

  static fromZod(error: z.ZodError, message = "The request has invalid fields."): AppError {
    const fields: FieldErrors = {};
    for (const issue of error.issues) {
      const key = issue.path.length ? issue.path.join(".") : "_";
      (fields[key] ??= []).push(issue.message);
    }
    return new AppError("unprocessable", message, fields);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);

const unavailableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P02", "57P03", "53300"]);

/** True when the error says the database cannot be reached, as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (unavailableCodes.has(code) || code.startsWith("08"))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** The SQLSTATE of a database error, looking through drizzle's wrapper. */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

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
