import { asc, eq, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { claims, documents, outlets, type Outlet } from "@/db/schema";
import { appendAudit, type Actor } from "@/lib/audit";
import { memo } from "@/lib/cache";
import { loadGraph, type ClaimView } from "@/lib/claims/graph";
import { clockFrom, type Clock } from "@/lib/clock";
import { notFound } from "@/lib/errors";
import { replaces } from "@/lib/links";
import { isEdgeVisible, isVisible } from "@/lib/status";
import { slugify } from "@/lib/slug";
import { timeOf } from "@/lib/time";
import { hostOf } from "@/lib/urls";
import type { OutletInput } from "@/lib/validation";

/** Finds an outlet by name (case-insensitively) or creates it; runs inside the caller's transaction. */
export async function findOrCreateOutlet(tx: Executor, actor: Actor, input: OutletInput): Promise<{ outlet: Outlet; created: boolean }> {
  const name = input.name.trim();
  const [existing] = await tx.select().from(outlets).where(sql`lower(${outlets.name}) = lower(${name})`).limit(1);
  if (existing) return { outlet: existing, created: false };
  const base = slugify(name, 60);
  const taken = await tx.select({ slug: outlets.slug }).from(outlets).where(sql`${outlets.slug} = ${base} or ${outlets.slug} like ${`${base}-%`}`);
  const slugs = new Set(taken.map((t) => t.slug));
  let slug = base;
  for (let n = 2; slugs.has(slug); n++) slug = `${base}-${n}`;
  const [outlet] = await tx.insert(outlets).values({ slug, name, homepage: input.homepage ?? null }).returning();
  await appendAudit(tx, actor, [{ action: "create", entity: "outlet", entityId: outlet!.id, after: outlet }]);
  return { outlet: outlet!, created: true };
}

/** The outlet a URL belongs to, by its homepage's host; one is made for an unknown host. */
export async function outletForUrl(tx: Executor, actor: Actor, url: string): Promise<Outlet> {
  const host = hostOf(url);
  const candidates = await tx.select().from(outlets).where(sql`${outlets.homepage} ilike ${`%${host.replace(/[\\%_]/g, "\\$&")}%`}`);
  const match = candidates.find((o) => o.homepage && hostOf(o.homepage) === host);
  if (match) return match;
  return (await findOrCreateOutlet(tx, actor, { name: host, homepage: new URL(url).origin + "/" })).outlet;
}

export async function createOutlet(db: Executor, actor: Actor, input: OutletInput) {
  return db.transaction((tx) => findOrCreateOutlet(tx, actor, input));
}

export async function getOutletBySlug(db: Executor, slug: string): Promise<Outlet> {
  const [outlet] = await db.select().from(outlets).where(eq(outlets.slug, slug)).limit(1);
  if (!outlet) throw notFound(`The outlet "${slug}"`);
  return outlet;
}

export type OutletRecord = {
  outlet: Outlet;
  claims: ClaimView[];
  record: { claims: number; corrected: number; disputed: number; retracted: number; correctionsIssued: number };
};

/** An outlet's claims and how they fared: how many were later corrected, disputed or retracted. */
export async function getOutletRecord(db: Executor, slug: string, clock: Clock = clockFrom({})): Promise<OutletRecord> {
  const outlet = await getOutletBySlug(db, slug);
  const ids = await db
    .select({ id: claims.id })
    .from(claims)
    .innerJoin(documents, eq(documents.id, claims.documentId))
    .where(eq(documents.outletId, outlet.id));
  const graph = await loadGraph(db, { claimIds: ids.map((r) => r.id) }, clock);
  const mine = [...graph.claims.values()].filter((c) => c.outlet.id === outlet.id && isVisible(c, clock)).sort((a, b) => timeOf(b.assertedAt) - timeOf(a.assertedAt) || b.id - a.id);
  const count = (status: string) => mine.filter((c) => c.status === status).length;
  const mineIds = new Set(mine.map((c) => c.id));
  const correctionsIssued = graph.edges.filter(
    (e) => mineIds.has(e.fromClaimId) && isEdgeVisible(e, clock) && replaces(e.kind),
  ).length;
  return {
    outlet,
    claims: mine,
    record: { claims: mine.length, corrected: count("corrected"), disputed: count("disputed"), retracted: count("retracted"), correctionsIssued },
  };
}

/** An outlet's record as readers see it now, cached until the next write. */
export const readOutlet = (slug: string): Promise<OutletRecord> => memo(`outlet|${slug}`, async () => getOutletRecord(await getDb(), slug));

/** Every outlet by name, for an editor's pickers. */
export const readOutletList = () => memo("outlet-list", async () => (await getDb()).select({ slug: outlets.slug, name: outlets.name }).from(outlets).orderBy(asc(outlets.name)));
