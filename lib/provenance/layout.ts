import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Picture, PictureEdge, PictureNode } from "./picture";

// Places a picture's boxes and routes its edges with ELK's layered layout: time runs left to
// right, since a relay or a link always points back at what it answers.

export type Point = { x: number; y: number };
export type Box = Point & { width: number; height: number };
export type PlacedNode = PictureNode & Box;
export type PlacedGroup = { id: string; label: string } & Box;
export type PlacedEdge = PictureEdge & { points: Point[]; label: Box & { text: string } };
export type Layout = { width: number; height: number; groups: PlacedGroup[]; nodes: PlacedNode[]; edges: PlacedEdge[] };

// Text is measured by an average glyph width: the picture is drawn in the reader's own sans-serif
// font, which the server cannot measure, so boxes leave room to spare.
const HEADING_EM = 7.4;
const DETAIL_EM = 6.6;
const NODE_HEIGHT = 50;
export const GROUP_HEADER = 30;
const PAD = 12;

export const nodeWidth = (n: PictureNode) => Math.round(Math.min(320, Math.max(170, n.heading.length * HEADING_EM, n.detail.length * DETAIL_EM) + 44));

export const edgeLabel = (e: PictureEdge) => (e.count > 1 ? `${e.kind} ×${e.count.toLocaleString("en")}` : e.kind);

const elk = new ELK();

const ROOT_OPTIONS = {
  "elk.algorithm": "layered",
  // Sources (relays, corrections) to the right of their targets: the first report sits on the left.
  "elk.direction": "LEFT",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.spacing.nodeNode": "18",
  "elk.spacing.edgeLabel": "4",
  "elk.layered.thoroughness": "4",
  "elk.json.edgeCoords": "ROOT",
  "elk.json.shapeCoords": "ROOT",
};

// Layouts by the shape of what they place (boxes, sizes, edges), kept across writes: a write
// that changes only a count or a status word in a big story's boxes leaves every position as
// it was, and ELK takes 100–300 ms for a grouped story on this machine, most of an uncached page.
const LAYOUTS_KEPT = 200;
const layouts = new Map<string, Promise<ElkNode>>();

function laidOut(graph: ElkNode, reuse: boolean): Promise<ElkNode> {
  if (!reuse) return elk.layout(graph);
  const key = JSON.stringify(graph);
  const kept = layouts.get(key);
  if (kept) return kept;
  const laying = elk.layout(graph);
  layouts.set(key, laying);
  laying.catch(() => layouts.delete(key));
  if (layouts.size > LAYOUTS_KEPT) layouts.delete(layouts.keys().next().value!);
  return laying;
}

/** Places a picture; `reuse: false` lays it out afresh, as the bench does to time ELK. */
export async function layOut(picture: Picture, { reuse = true } = {}): Promise<Layout> {
  const graph: ElkNode = {
    id: "root",
    layoutOptions: ROOT_OPTIONS,
    children: picture.groups.map((g) => ({
      id: g.id,
      layoutOptions: { "elk.padding": `[top=${GROUP_HEADER + 6},left=${PAD},bottom=${PAD},right=${PAD}]`, "elk.direction": "LEFT" },
      children: picture.nodes.filter((n) => n.group === g.id).map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT })),
    })),
    edges: picture.edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        // ELK places only labels with text; the kind stands in for the words, which may carry a
        // count that changes with every write while the label's size does not.
        labels: [{ text: e.kind, width: Math.ceil(edgeLabel(e).length * 6.4) + 8, height: 16 }],
      }),
    ),
  };
  const laid = await laidOut(graph, reuse);
  const nodeById = new Map(picture.nodes.map((n) => [n.id, n]));
  const groups: PlacedGroup[] = [];
  const nodes: PlacedNode[] = [];
  for (const g of laid.children ?? []) {
    const label = picture.groups.find((p) => p.id === g.id)!.label;
    groups.push({ id: g.id, label, x: g.x!, y: g.y!, width: g.width!, height: g.height! });
    for (const n of g.children ?? []) nodes.push({ ...nodeById.get(n.id)!, x: n.x!, y: n.y!, width: n.width!, height: n.height! });
  }
  const edgeById = new Map(picture.edges.map((e) => [e.id, e]));
  // With hierarchy handling, ELK files each edge under the lowest node holding both ends.
  const laidEdges: ElkExtendedEdge[] = [...(laid.edges ?? []), ...(laid.children ?? []).flatMap((g) => g.edges ?? [])];
  const edges = laidEdges.map((e): PlacedEdge => {
    const section = e.sections![0]!;
    const l = e.labels![0]!;
    return {
      ...edgeById.get(e.id)!,
      points: [section.startPoint, ...(section.bendPoints ?? []), section.endPoint],
      label: { text: edgeLabel(edgeById.get(e.id)!), x: l.x!, y: l.y!, width: l.width!, height: l.height! },
    };
  });
  return { width: Math.ceil(laid.width!), height: Math.ceil(laid.height!), groups, nodes, edges };
}
