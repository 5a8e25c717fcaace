import { readVersionDiff } from "@/lib/documents";
import { endpoint, json } from "@/lib/http";
import { versionDiffQuery } from "@/lib/validation";
import { documentParams } from "../params";

export const GET = endpoint({ summary: "Word diff between two versions", params: documentParams, query: versionDiffQuery }, async ({ params, query }) => {
  const { from, to, ops } = await readVersionDiff(params.id, query.from, query.to);
  return json({ from: { id: from.id, seenAt: from.seenAt, note: from.note }, to: { id: to.id, seenAt: to.seenAt, note: to.note }, ops });
});
