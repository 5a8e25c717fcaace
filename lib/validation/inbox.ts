import { z } from "zod";
import { id } from "./common";

export const INBOX_KINDS = ["quote", "notice", "discovered", "watch"] as const;

/** An editor's decision on an inbox item. */
export const inboxDecision = z.strictObject({ _kind: z.enum(INBOX_KINDS), _id: id, action: z.string().min(1).max(40) });

/** A correction notice linked as it asks: the newer claim corrects, supersedes or retracts an older one. */
export const noticeLinkForm = z.strictObject({
  _id: id,
  kind: z.enum(["corrects", "supersedes", "retracts"], { error: "Corrects, supersedes or retracts." }),
  fromClaimId: id,
  targetClaimId: id,
});
