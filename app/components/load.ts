import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/** Awaits a domain read; "not found" from the domain becomes the page's real 404. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}
