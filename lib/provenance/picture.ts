import type { LinkKind } from "@/db/schema";
import type { ClaimOutline, ClaimView, LinkView } from "@/lib/claims/graph";
import { formatDate, plural, statusLabel, truncate } from "@/lib/format";
import type { Status } from "@/lib/status";
import { timeOf } from "@/lib/time";

// What a provenance picture shows, before it is laid out: claims (or, in a big story, groups of
// them) in boxes grouped by question, and the relays and links between them as labelled edges.

export type EdgeKind = "relays" | LinkKind;

export type PictureNode = {
  id: string;
  group: string;
  /** Where the box leads: the claim's page, or the outlet's for a group of claims. */
  href: string;
  /** The box's two lines: who, and when and how it stands. */
  heading: string;
  detail: string;
  /** Drawn by shape and icon; "mixed" for a group whose claims stand differently. */
  status: Status | "mixed";
  /** The whole of it, for screen readers and tooltips. */
  description: string;
  /** Short enough to name it in a sentence about an edge. */
  name: string;
  /** The claim a claim page is about. */
  focus?: boolean;
};

export type PictureEdge = { id: string; from: string; to: string; kind: EdgeKind; count: number };

export type PictureGroup = { id: string; label: string };

export type Picture = {
  title: string;
  groups: PictureGroup[];
  nodes: PictureNode[];
  edges: PictureEdge[];
  /** Set when claims were gathered by outlet: how many claims the boxes stand for. */
  grouped: { claims: number; outlets: number } | null;
  /** Edge bundles left out of the drawing (the smallest), still listed in the words beside it. */
  undrawn: PictureEdge[];
};

/** Beyond this many claims a picture draws one box per outlet and question. */
export const CLAIM_LIMIT = 60;
/** Grouped pictures draw the outlets with the most claims in each question, and one box for the rest. */
const OUTLETS_PER_QUESTION = 6;
/** Grouped pictures draw the largest bundles of edges; the others are only listed. */
const EDGE_LIMIT = 40;

const claimNodeId = (id: number) => `c${id}`;

export const edgeVerb: Record<EdgeKind, string> = {
  relays: "relays",
  corrects: "corrects",
  contradicts: "contradicts",
  confirms: "confirms",
  supersedes: "supersedes",
  retracts: "retracts",
};

function claimNode(claim: ClaimView, group: string, focus = false): PictureNode {
  const date = formatDate(claim.assertedAt, claim.document.precision);
  const status = statusLabel[claim.status].toLowerCase();
  return {
    id: claimNodeId(claim.id),
    group,
    href: `/claims/${claim.id}`,
    heading: claim.outlet.name,
    detail: `${date} · ${status}`,
    status: claim.status,
    description: `${claim.outlet.name} ${date} · ${status}: ${truncate(claim.text, 160)}`,
    name: `${claim.outlet.name}, ${date}, “${truncate(claim.text, 60)}”`,
    focus,
  };
}

/** What a box gathering an outlet's claims needs of each: no words, so outlines will do. */
export type PictureClaim = Pick<ClaimOutline, "id" | "questionId" | "relaysClaimId" | "assertedAt" | "status" | "outlet">;

type Relation<C extends PictureClaim> = { from: C; to: C; kind: EdgeKind };

/** The relays and links among `claims`, each once, from the relay or the link's author to its target. */
function relationsAmong<C extends PictureClaim>(claims: Map<number, C>, links: LinkView[]): Relation<C>[] {
  const relations: Relation<C>[] = [];
  for (const c of claims.values()) {
    const origin = c.relaysClaimId == null ? undefined : claims.get(c.relaysClaimId);
    if (origin) relations.push({ from: c, to: origin, kind: "relays" });
  }
  for (const l of links) {
    const from = claims.get(l.fromClaimId);
    const to = claims.get(l.toClaimId);
    if (from && to) relations.push({ from, to, kind: l.kind });
  }
  return relations;
}

export type PictureInput<C extends PictureClaim = ClaimView> = {
  title: string;
  questions: { id: number; label: string }[];
  /** The claims the picture is about. */
  claims: C[];
  /** Claims elsewhere that they relay or link with, drawn in a group of their own. */
  neighbours: C[];
  links: LinkView[];
  focusId?: number;
  /** The frame of claims tied to no question; "Claims" unless said. */
  otherLabel?: string;
  /** Where the box of a grouped picture's smaller outlets leads: a list of all the claims. */
  listHref: string;
};

const OTHER = "q-none";
const ELSEWHERE = "elsewhere";

type Frame<C extends PictureClaim> = { all: Map<number, C>; groupOf: (c: C) => string; groups: PictureGroup[]; relations: Relation<C>[] };

/** The claims of a picture by id, the frame each goes in, and the relations among them. */
function framed<C extends PictureClaim>(input: PictureInput<C>): Frame<C> {
  const all = new Map<number, C>();
  for (const c of input.neighbours) all.set(c.id, c);
  for (const c of input.claims) all.set(c.id, c);
  const own = new Set(input.claims.map((c) => c.id));
  const questionIds = new Set(input.questions.map((q) => q.id));
  const groupOf = (c: C) => (!own.has(c.id) ? ELSEWHERE : c.questionId != null && questionIds.has(c.questionId) ? `q${c.questionId}` : OTHER);
  const groups: PictureGroup[] = [
    ...input.questions.map((q) => ({ id: `q${q.id}`, label: q.label })),
    { id: OTHER, label: input.otherLabel ?? (input.questions.length ? "Not tied to a question" : "Claims") },
    { id: ELSEWHERE, label: "In other stories" },
  ];
  return { all, groupOf, groups, relations: relationsAmong(all, input.links) };
}

/**
 * Whether a picture of `input` stands for more than CLAIM_LIMIT claims, and so gathers them by
 * outlet. It counts no further than that: a large story's ten thousand claims took 3 ms to count.
 */
export function isCrowded(input: Pick<PictureInput<PictureClaim>, "claims" | "neighbours">): boolean {
  const ids = new Set<number>();
  for (const list of [input.claims, input.neighbours]) {
    for (const c of list) {
      ids.add(c.id);
      if (ids.size > CLAIM_LIMIT) return true;
    }
  }
  return false;
}

/** The picture of a set of claims: each claim in a box, or beyond CLAIM_LIMIT, one box per outlet and question. */
export function pictureOf(input: PictureInput): Picture {
  if (isCrowded(input)) return groupedPictureOf(input);
  const { all, groupOf, groups, relations } = framed(input);
  const nodes = [...all.values()].map((c) => claimNode(c, groupOf(c), c.id === input.focusId));
  const edges = relations.map((r, i) => ({ id: `e${i}`, from: claimNodeId(r.from.id), to: claimNodeId(r.to.id), kind: r.kind, count: 1 }));
  return { title: input.title, groups: groups.filter((g) => nodes.some((n) => n.group === g.id)), nodes, edges, grouped: null, undrawn: [] };
}

/**
 * One box per question and outlet (the busiest outlets of each question, the rest together),
 * edges bundled by kind: what pictureOf draws beyond CLAIM_LIMIT claims, from outlines alone.
 */
export const groupedPictureOf = <C extends PictureClaim>(input: PictureInput<C>): Picture => grouped(input, framed(input));

function grouped<C extends PictureClaim>(input: PictureInput<C>, { all, groupOf, groups, relations }: Frame<C>): Picture {
  const byGroup = new Map<string, Map<number, C[]>>();
  for (const c of all.values()) {
    const g = groupOf(c);
    const outlets = byGroup.get(g) ?? byGroup.set(g, new Map()).get(g)!;
    const list = outlets.get(c.outlet.id);
    if (list) list.push(c);
    else outlets.set(c.outlet.id, [c]);
  }
  const boxOf = new Map<number, string>();
  const nodes: PictureNode[] = [];
  for (const [g, outlets] of byGroup) {
    const ranked = [...outlets.values()].sort((a, b) => b.length - a.length || a[0]!.outlet.name.localeCompare(b[0]!.outlet.name));
    const shown = ranked.slice(0, OUTLETS_PER_QUESTION);
    const rest: C[] = [];
    for (const claims of ranked.slice(OUTLETS_PER_QUESTION)) for (const c of claims) rest.push(c);
    for (const claims of shown) {
      const { outlet } = claims[0]!;
      const id = `${g}-o${outlet.id}`;
      nodes.push(groupNode(id, g, outlet.name, `/outlets/${outlet.slug}`, claims));
      for (const c of claims) boxOf.set(c.id, id);
    }
    if (rest.length) {
      const id = `${g}-rest`;
      const outletCount = ranked.length - shown.length;
      nodes.push(groupNode(id, g, plural(outletCount, "other outlet"), input.listHref, rest));
      for (const c of rest) boxOf.set(c.id, id);
    }
  }
  const bundles = new Map<string, PictureEdge>();
  for (const r of relations) {
    const from = boxOf.get(r.from.id)!;
    const to = boxOf.get(r.to.id)!;
    const key = `${from}>${to}>${r.kind}`;
    const bundle = bundles.get(key);
    if (bundle) bundle.count++;
    else bundles.set(key, { id: `e${bundles.size}`, from, to, kind: r.kind, count: 1 });
  }
  // Largest first, ties in the order they were met (their ids' order): the sort is stable. Comparing
  // the ids with a numeric localeCompare instead cost a large story 20–30 ms, most of its picture.
  const ranked = [...bundles.values()].sort((a, b) => b.count - a.count);
  return {
    title: input.title,
    groups: groups.filter((g) => nodes.some((n) => n.group === g.id)),
    nodes,
    edges: ranked.slice(0, EDGE_LIMIT),
    grouped: { claims: all.size, outlets: new Set([...all.values()].map((c) => c.outlet.id)).size },
    undrawn: ranked.slice(EDGE_LIMIT),
  };
}

function groupNode(id: string, group: string, name: string, href: string, claims: PictureClaim[]): PictureNode {
  const counts = new Map<Status, number>();
  // One pass over what may be thousands of claims, comparing the dates' numbers (lib/time.ts).
  let [first, last] = [claims[0]!, claims[0]!];
  let [earliest, latest] = [timeOf(first.assertedAt), timeOf(last.assertedAt)];
  for (const c of claims) {
    counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const at = timeOf(c.assertedAt);
    if (at < earliest) [first, earliest] = [c, at];
    if (at > latest) [last, latest] = [c, at];
  }
  const statuses = [...counts].sort((a, b) => b[1] - a[1]);
  const status = statuses.length === 1 ? statuses[0]![0] : "mixed";
  const span = first === last ? formatDate(first.assertedAt) : `${formatDate(first.assertedAt)} – ${formatDate(last.assertedAt)}`;
  const breakdown = statuses.map(([s, n]) => `${n.toLocaleString("en")} ${statusLabel[s].toLowerCase()}`).join(", ");
  const heading = `${name} · ${plural(claims.length, "claim")}`;
  const detail = status === "mixed" ? breakdown : `${span} · ${statusLabel[status].toLowerCase()}`;
  return {
    id,
    group,
    href,
    heading,
    detail,
    status,
    description: `${heading} ${detail}${status === "mixed" ? ` (${span})` : ""}`,
    name: `${name} (${plural(claims.length, "claim")})`,
  };
}
