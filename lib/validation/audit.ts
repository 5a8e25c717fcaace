import { z } from "zod";

export const AUDITED_ENTITIES = ["outlet", "document", "document_version", "story", "question", "claim", "link", "editor", "api_token"] as const;

const optionalId = z.coerce.number().int().positive().optional().catch(undefined);

/** The audit log's filter; a value that does not parse is ignored, showing the unfiltered log. */
export const auditFilter = z.object({
  editor: optionalId,
  story: optionalId,
  kind: z.enum(AUDITED_ENTITIES).optional().catch(undefined),
  before: optionalId,
});
