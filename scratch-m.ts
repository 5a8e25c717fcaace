import { openDatabase } from "@/db";
import { matchClaims, SUGGEST_AT } from "@/lib/matching/similar";
const d = await openDatabase({ url: process.env.U! });
for (const q of process.argv.slice(2)) {
  const t = performance.now();
  const m = await matchClaims(d.db, q, { limit: 5, threshold: Number(process.env.TH ?? SUGGEST_AT) });
  console.log(q, (performance.now() - t).toFixed(1), JSON.stringify(m));
}
await d.close();
