import { createHash } from "node:crypto";

/** The SHA-256 of a text (as UTF-8) or of bytes, in hex. */
export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
