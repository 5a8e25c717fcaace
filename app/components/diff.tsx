import Link from "next/link";
import { diffStats, type DiffOp } from "@/lib/diff/words";
import { plural } from "@/lib/format";
import { diffBlocks, type Piece, type Row } from "./diff-blocks";

export type DiffLayout = "inline" | "side";

/** A changed run, named for screen readers as well as struck through or underlined. */
function Change({ kind, text }: { kind: "delete" | "insert"; text: string }) {
  const Mark = kind === "delete" ? "del" : "ins";
  return (
    <Mark>
      <span className="visually-hidden">[{kind === "delete" ? "deleted" : "inserted"}: </span>
      {text}
      <span className="visually-hidden">]</span>
    </Mark>
  );
}

const foldLabel = (words: number) => `Show ${plural(words, "unchanged word")}`;

function Pieces({ pieces, drop }: { pieces: Piece[]; drop?: "insert" | "delete" }) {
  return pieces.map((p, i) => {
    if (p.kind === drop) return null;
    switch (p.kind) {
      case "delete":
      case "insert":
        return <Change key={i} kind={p.kind} text={p.text} />;
      case "fold":
        return (
          <details key={i} className="fold fold-within">
            <summary>{foldLabel(p.words)}</summary>
            <span className="fold-text">{p.text}</span>
          </details>
        );
      default:
        return <span key={i}>{p.text}</span>;
    }
  });
}

const rowText = (row: Row) => row.pieces.map((p) => p.text).join("");

/**
 * A word-level diff, read like Wikipedia's: deletions struck through, insertions underlined,
 * each announced to screen readers; unchanged stretches fold behind a "show N unchanged
 * words" control. `<details>` does the folding, so it works without JavaScript.
 */
export function Diff({ ops, layout, before, after, caption }: { ops: DiffOp[]; layout: DiffLayout; before: string; after: string; caption: string }) {
  const stats = diffStats(ops);
  if (stats.inserted === 0 && stats.deleted === 0) return <p className="meta">No change in wording.</p>;
  const blocks = diffBlocks(ops);
  const summary = `${plural(stats.deleted, "word")} deleted, ${plural(stats.inserted, "word")} inserted`;
  if (layout === "side") {
    return (
      <div className="diff">
        <table className="diff-side">
          <caption>
            {caption} <span className="meta">({summary})</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{before}</th>
              <th scope="col">{after}</th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((block, i) =>
              block.kind === "fold" ? (
                <tr key={i} className="diff-fold-row">
                  <td colSpan={2}>
                    <details className="fold">
                      <summary>{foldLabel(block.words)}</summary>
                      {block.rows.map((row, k) => (
                        <p key={k} className="fold-text">
                          {rowText(row)}
                        </p>
                      ))}
                    </details>
                  </td>
                </tr>
              ) : (
                <tr key={i} className={block.row.changed ? "diff-changed" : undefined}>
                  <td data-side={before}>
                    <Pieces pieces={block.row.pieces} drop="insert" />
                  </td>
                  <td data-side={after}>
                    <Pieces pieces={block.row.pieces} drop="delete" />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <figure className="diff diff-inline">
      <figcaption>
        {caption} <span className="meta">({summary})</span>
      </figcaption>
      <div className="diff-text">
        {blocks.map((block, i) =>
          block.kind === "fold" ? (
            <details key={i} className="fold">
              <summary>{foldLabel(block.words)}</summary>
              {block.rows.map((row, k) => (
                <p key={k} className="fold-text">
                  {rowText(row)}
                </p>
              ))}
            </details>
          ) : (
            <div key={i} className="diff-row">
              <Pieces pieces={block.row.pieces} />
            </div>
          ),
        )}
      </div>
    </figure>
  );
}

/** The two layouts as links, so switching works without JavaScript and the choice can be shared. */
export function DiffLayoutSwitch({ current, hrefFor }: { current: DiffLayout; hrefFor: (layout: DiffLayout) => string }) {
  const option = (layout: DiffLayout, label: string) => (
    <li>
      <Link href={hrefFor(layout)} aria-current={current === layout ? "true" : undefined} scroll={false}>
        {label}
      </Link>
    </li>
  );
  return (
    <nav className="layout-switch" aria-label="Diff layout">
      <span className="meta">Show changes:</span>
      <ul>
        {option("inline", "Inline")}
        {option("side", "Side by side")}
      </ul>
      <p className="meta diff-key">
        <span className="key-del">Struck through</span> was removed; <span className="key-ins">underlined</span> was added.
      </p>
    </nav>
  );
}
