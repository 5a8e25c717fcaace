import { readFile } from "node:fs/promises";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import { memo } from "@/lib/cache";
import { readClaim, type ClaimView } from "@/lib/claims";
import { formatDate, plural, statusLabel, statusMeaning, truncate } from "@/lib/format";
import type { Status } from "@/lib/status";
import { readStory, type StoryView } from "@/lib/stories";
import { CARD } from "./size";

// Share cards: the 1200×630 images link previews show for story and claim pages. Laid out by
// satori from elements, rasterised by resvg, drawn once per write like the pages they preview.

export { CARD } from "./size";

// Read from the installed package at run time: the bundler has no loader for font files.
const fontFile = (weight: number) => path.join(process.cwd(), "node_modules", "@fontsource", "inter", "files", `inter-latin-${weight}-normal.woff`);

let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: "normal" }[]> | undefined;
const loadFonts = () =>
  (fonts ??= Promise.all(
    ([400, 700] as const).map(async (weight) => ({ name: "Inter", data: await readFile(fontFile(weight)), weight, style: "normal" as const })),
  ));

const COLOUR: Record<Status, { ink: string; paper: string }> = {
  standing: { ink: "#3c4048", paper: "#f4f1ea" },
  confirmed: { ink: "#0c5a27", paper: "#dcf3e3" },
  disputed: { ink: "#6b4200", paper: "#fff4d6" },
  corrected: { ink: "#8a1212", paper: "#fde2e1" },
  retracted: { ink: "#8a1212", paper: "#fde2e1" },
};

function Badge({ status, label }: { status: Status; label: string }) {
  const { ink, paper } = COLOUR[status];
  return (
    <div style={{ display: "flex", alignItems: "center", gap: 12, fontSize: 28 }}>
      <span style={{ color: "#555b64" }}>{label}</span>
      <span style={{ color: ink, background: paper, border: `3px solid ${ink}`, borderRadius: 10, padding: "4px 16px", fontWeight: 700 }}>{statusLabel[status]}</span>
    </div>
  );
}

function Frame({ kicker, children }: { kicker: string; children: React.ReactNode }) {
  return (
    <div style={{ width: CARD.width, height: CARD.height, display: "flex", flexDirection: "column", background: "#fdfcf9", color: "#1b1d21", padding: 64, fontFamily: "Inter" }}>
      <div style={{ display: "flex", justifyContent: "space-between", fontSize: 28, color: "#0b57a4", fontWeight: 700 }}>
        <span>Claimtrail</span>
        <span style={{ color: "#555b64", fontWeight: 400 }}>{kicker}</span>
      </div>
      <div style={{ display: "flex", flexDirection: "column", flexGrow: 1, justifyContent: "center", gap: 28 }}>{children}</div>
    </div>
  );
}

async function render(element: React.ReactElement): Promise<Buffer> {
  const svg = await satori(element, {
    ...CARD,
    fonts: await loadFonts(),
    // Emoji and scripts the bundled font lacks are left out rather than fetched: the server
    // never reaches out to draw a card.
    loadAdditionalAsset: async (code) => (code === "emoji" ? "" : []),
  });
  return new Resvg(svg, { fitTo: { mode: "width", value: CARD.width }, font: { loadSystemFonts: false } }).render().asPng();
}

/** A claim's card from the claim now and as it stood when published: its words, outlet and date, both statuses. */
export function drawClaimCard(claim: ClaimView, then: ClaimView): Promise<Buffer> {
  const date = formatDate(claim.assertedAt, claim.document.precision);
  return render(
    <Frame kicker="Claim">
      <div style={{ fontSize: claim.text.length > 120 ? 44 : 56, fontWeight: 700, lineHeight: 1.2 }}>{truncate(claim.text, 180)}</div>
      <div style={{ fontSize: 32, color: "#555b64" }}>
        {claim.outlet.name} · {date}
      </div>
      <div style={{ display: "flex", gap: 40 }}>
        <Badge status={then.status} label={`On ${date}`} />
        <Badge status={claim.status} label="Now" />
      </div>
      <div style={{ fontSize: 26, color: "#555b64" }}>{statusMeaning[claim.status]}</div>
    </Frame>,
  );
}

export const claimCard = (id: number): Promise<Buffer> =>
  memo(`card|claim|${id}`, async () => {
    const { claim } = await readClaim(id);
    const { claim: then } = await readClaim(id, { asOf: claim.assertedAt });
    return drawClaimCard(claim, then);
  });

/** A story's card: its title, its size, and each question's best answer as it stands now. */
export function drawStoryCard(view: StoryView): Promise<Buffer> {
  const answered = view.questions.filter((q) => q.best).slice(0, 3);
  const outlets = new Set(view.claims.map((c) => c.outlet.id)).size;
  return render(
    <Frame kicker="Story">
      <div style={{ fontSize: 60, fontWeight: 700, lineHeight: 1.15 }}>{truncate(view.story.title, 90)}</div>
      <div style={{ fontSize: 30, color: "#555b64" }}>
        {plural(view.claims.length, "claim")} from {plural(outlets, "outlet")}, {plural(view.links.length, "correction or link", "corrections and links")}
      </div>
      <div style={{ display: "flex", flexDirection: "column", gap: 14 }}>
        {answered.map((q) => (
          <div key={q.id} style={{ display: "flex", alignItems: "center", gap: 16, fontSize: 26 }}>
            <span style={{ color: COLOUR[q.best!.status].ink, fontWeight: 700, width: 150, flexShrink: 0 }}>{statusLabel[q.best!.status]}</span>
            <span style={{ flex: 1 }}>{truncate(`${q.label} ${q.best!.outlet.name}: ${q.best!.text}`, 70)}</span>
          </div>
        ))}
      </div>
    </Frame>,
  );
}

export const storyCard = (slug: string): Promise<Buffer> => memo(`card|story|${slug}`, async () => drawStoryCard(await readStory(slug)));

/** A card as a response: previews fetch it once and may keep it for a few minutes. */
export const pngResponse = (png: Buffer) =>
  new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Content-Length": String(png.byteLength), "Cache-Control": "public, max-age=300" } });
