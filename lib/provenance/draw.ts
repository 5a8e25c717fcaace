import type { Status } from "@/lib/status";
import { xmlAttr, xmlText } from "@/lib/xml";
import { GROUP_HEADER, type Layout, type PlacedEdge, type PlacedNode, type Point } from "./layout";
import type { EdgeKind } from "./picture";

// Draws a laid-out picture as SVG markup, the same for the page's inline figure and the
// stand-alone file. Everything is styled by attributes, so it needs no stylesheet and prints as it
// shows. Each status has its own border and icon, and its word is written in the box.

const INK = "#1b1d21";
const MUTED = "#555b64";

type Look = { stroke: string; fill: string; width: number; dash?: string };
const LOOK: Record<Status | "mixed", Look> = {
  standing: { stroke: MUTED, fill: "#ffffff", width: 1.5 },
  confirmed: { stroke: "#0c5a27", fill: "#eef8f1", width: 3 },
  disputed: { stroke: "#6b4200", fill: "#fff4d6", width: 2, dash: "7 4" },
  corrected: { stroke: "#8a1212", fill: "#ffffff", width: 2, dash: "2 3" },
  retracted: { stroke: "#8a1212", fill: "#fde2e1", width: 2, dash: "2 3" },
  mixed: { stroke: MUTED, fill: "#f4f1ea", width: 1.5, dash: "10 3 2 3" },
};

const EDGE_COLOUR: Record<EdgeKind, string> = {
  relays: MUTED,
  corrects: "#8a1212",
  retracts: "#8a1212",
  contradicts: "#6b4200",
  confirms: "#0c5a27",
  supersedes: "#0b57a4",
};

// A 14-unit icon at (x, y), its top left corner: a ring (standing), a tick (confirmed), a warning
// sign (disputed), a struck ring (corrected), a cross (retracted), a half-filled ring (mixed).
function icon(status: Status | "mixed", x: number, y: number, colour: string): string {
  const at = (d: string) => `<path d="${d}" transform="translate(${x} ${y})" fill="none" stroke="${colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`;
  switch (status) {
    case "standing":
      return at("M7 1a6 6 0 1 0 0.01 0z");
    case "confirmed":
      return at("M1.5 7.5l4 4l7-9");
    case "disputed":
      return at("M7 1l6.5 12h-13z M7 5.5v3.5 M7 11.2v0.1");
    case "corrected":
      return at("M7 1a6 6 0 1 0 0.01 0z M1.5 12.5l11-11");
    case "retracted":
      return at("M2 2l10 10 M12 2l-10 10");
    case "mixed":
      return `${at("M7 1a6 6 0 1 0 0.01 0z")}<path d="M7 1a6 6 0 0 0 0 12z" transform="translate(${x} ${y})" fill="${colour}"/>`;
  }
}

function clip(text: string, width: number, em: number): string {
  const max = Math.floor(width / em);
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

function node(n: PlacedNode): string {
  const look = LOOK[n.status];
  const dash = look.dash ? ` stroke-dasharray="${look.dash}"` : "";
  const focus = n.focus
    ? `<rect x="${n.x - 5}" y="${n.y - 5}" width="${n.width + 10}" height="${n.height + 10}" rx="9" fill="none" stroke="#0b57a4" stroke-width="3"/>`
    : "";
  const textX = n.x + 32;
  const room = n.width - 40;
  const heading = clip(n.heading, room, 7.4);
  const detail = clip(n.detail, room, 6.6);
  // The link's name starts with the words it shows, as a speech user would say them.
  const shown = `${heading} ${detail}`;
  const full = `${n.heading} ${n.detail}`;
  const name = n.description.startsWith(full) ? `${shown}${n.description.slice(full.length)}` : `${shown}: ${n.description}`;
  return (
    `<a href="${xmlAttr(n.href)}" aria-label="${xmlAttr(name)}">${focus}` +
    `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="6" fill="${look.fill}" stroke="${look.stroke}" stroke-width="${look.width}"${dash}/>` +
    icon(n.status, n.x + 10, n.y + 18, look.stroke) +
    // One text with the second line as a span: its words then read as the link's name begins.
    `<text x="${textX}" y="${n.y + 21}" font-size="13" font-weight="600" fill="${INK}">${xmlText(heading)} ` +
    `<tspan x="${textX}" y="${n.y + 39}" font-size="12" font-weight="400" fill="${MUTED}">${xmlText(detail)}</tspan></text></a>`
  );
}

const pathOf = (points: Point[]) => points.map((p, i) => `${i ? "L" : "M"}${round(p.x)} ${round(p.y)}`).join(" ");
const round = (n: number) => Math.round(n * 10) / 10;

function edge(e: PlacedEdge, prefix: string): string {
  const colour = EDGE_COLOUR[e.kind];
  const dash = e.kind === "relays" ? ` stroke-dasharray="5 3"` : "";
  const { label } = e;
  return (
    `<g><path d="${pathOf(e.points)}" fill="none" stroke="${colour}" stroke-width="${e.count > 1 ? Math.min(6, 1.5 + Math.log2(e.count)) : 1.5}"${dash} marker-end="url(#${prefix}-${e.kind})"/>` +
    // A halo of the paper's colour under the words keeps them legible where they cross a line.
    `<text x="${round(label.x + label.width / 2)}" y="${round(label.y + 12)}" font-size="11" text-anchor="middle" fill="${colour}" stroke="#fdfcf9" stroke-width="3" paint-order="stroke">${xmlText(label.text)}</text></g>`
  );
}

/** Pictures up to this wide may be scaled down to the page on a wide screen; wider ones scroll. */
const FIT_WIDTH = 1400;

const marker = (prefix: string, kind: EdgeKind) =>
  `<marker id="${prefix}-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="${EDGE_COLOUR[kind]}"/></marker>`;

/**
 * The picture as an `<svg>` element. `prefix` keeps its ids apart from those of other pictures on
 * the same page; `standalone` adds the XML namespace a file of its own needs.
 */
export function drawLayout(layout: Layout, options: { title: string; prefix: string; standalone?: boolean }): string {
  const { prefix } = options;
  const kinds = [...new Set(layout.edges.map((e) => e.kind))];
  const width = Math.max(layout.width, 1);
  const height = Math.max(layout.height, 1);
  const groups = layout.groups
    .map(
      (g) =>
        `<g><rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}" rx="8" fill="#f4f1ea" stroke="#d9d6cf"/>` +
        `<text x="${g.x + 12}" y="${g.y + GROUP_HEADER - 10}" font-size="13" font-weight="600" fill="${INK}">${xmlText(clip(g.label, g.width - 24, 7.4))}</text></g>`,
    )
    .join("");
  return (
    `<svg${options.standalone ? ` xmlns="http://www.w3.org/2000/svg"` : ""} viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"${width <= FIT_WIDTH ? ` class="fit"` : ""} role="group" aria-labelledby="${prefix}-title" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">` +
    `<title id="${prefix}-title">${xmlText(options.title)}</title>` +
    (kinds.length ? `<defs>${kinds.map((k) => marker(prefix, k)).join("")}</defs>` : "") +
    groups +
    layout.edges.map((e) => edge(e, prefix)).join("") +
    layout.nodes.map(node).join("") +
    `</svg>`
  );
}
