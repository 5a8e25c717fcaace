import { sql } from "drizzle-orm";
import type { LinkKind } from "@/db/schema";

// What the kinds of link between claims mean, and how Claimtrail words them.

/** Kinds by which a newer claim replaces an older one: its words are what a reader should now read. */
export const REPLACING_KINDS = ["corrects", "supersedes", "retracts"] as const satisfies readonly LinkKind[];

export const replaces = (kind: LinkKind): boolean => (REPLACING_KINDS as readonly LinkKind[]).includes(kind);

/** The replacing kinds as an SQL list, for `l.kind in (…)`; constants, so the statement's text never changes. */
export const REPLACING_KINDS_SQL = sql.raw(REPLACING_KINDS.map((k) => `'${k}'`).join(", "));

/** A link as a past-tense verb: "ComicBook corrected …". */
export const linkVerb: Record<LinkKind, string> = {
  corrects: "corrected",
  contradicts: "contradicted",
  confirms: "confirmed",
  supersedes: "superseded",
  retracts: "retracted",
};

/** A link seen from the claim it points at: "Corrected by ComicBook". */
export const linkPassive: Record<LinkKind, string> = {
  corrects: "Corrected by",
  contradicts: "Contradicted by",
  confirms: "Confirmed by",
  supersedes: "Superseded by",
  retracts: "Retracted by",
};

type Outlet = { id: number; name: string };
/** The ends of a link by outlet: who made it, whose claim it targets, and whom that claim relays, if anyone. */
export type LinkEnds = { outlet: Outlet; target: Outlet; targetRelays: Outlet | null };

export const possessive = (name: string) => `${name}’s`;

/** Whom a link is aimed at, seen from the outlet that made it: "The Wrap", "its relay of The Wrap", "its own earlier claim". */
export function linkTarget({ outlet, target, targetRelays }: LinkEnds): string {
  const relayed = targetRelays && targetRelays.id !== target.id ? targetRelays : null;
  if (target.id === outlet.id) return relayed ? `its relay of ${relayed.name}` : "its own earlier claim";
  if (!relayed) return target.name;
  return relayed.id === outlet.id ? `${possessive(target.name)} relay of its claim` : `${possessive(target.name)} relay of ${relayed.name}`;
}

/** A link in one line, in the past tense: "ComicBook corrected its relay of The Wrap". */
export const describeLink = (kind: LinkKind, ends: LinkEnds): string => `${ends.outlet.name} ${linkVerb[kind]} ${linkTarget(ends)}`;
