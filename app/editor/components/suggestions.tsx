"use client";

import { useEffect, useId, useRef, useState } from "react";
import { StatusBadge } from "@/app/components/status";
import { formatDate } from "@/lib/format";
import type { SimilarClaim } from "@/lib/matching";
import { mergeMatches } from "@/lib/matching/merge";
import { useFormState } from "./form";
import { LinkKindField } from "./link-form";

const LIMIT = 5;
const PAUSE_MS = 300;

type Shown = Omit<SimilarClaim, "assertedAt"> & { assertedAt: string | Date };

/** The statement and quote the form holds now. */
function textsOf(form: HTMLFormElement): string[] {
  const value = (name: string) => ((form.elements.namedItem(name) as HTMLTextAreaElement | null)?.value ?? "").trim();
  return [value("text"), value("quote")].filter((t) => t.length > 0);
}

async function similarTo(texts: string[], signal: AbortSignal): Promise<Shown[]> {
  const lists = await Promise.all(
    texts.map(async (text) => {
      const res = await fetch(`/api/claims/similar?${new URLSearchParams({ text, limit: String(LIMIT) })}`, { signal });
      return res.ok ? ((await res.json()) as { claims: Shown[] }).claims : [];
    }),
  );
  return mergeMatches(lists, LIMIT);
}

/**
 * The claims Claimtrail already holds that read like the one being logged. Without scripts they
 * come from "Review similar claims" (the form's answer); with scripts they follow the statement
 * and quote as they are typed or picked. Each button logs the claim at once, as a relay of that
 * claim or linked to it.
 */
export function Suggestions({ story }: { story: string }) {
  const state = useFormState();
  // Each answer of the form starts the list afresh: a review shows its own, a logged claim none.
  return <LiveSuggestions key={`${state.status}-${state.message ?? ""}`} story={story} />;
}

function LiveSuggestions({ story }: { story: string }) {
  const state = useFormState();
  const reviewed = (state.data as { similar?: Shown[] } | undefined)?.similar;
  const [live, setLive] = useState<{ for: string; claims: Shown[] } | null>(null);
  const [kind, setKind] = useState<string>(state.values?.linkKind ?? "confirms");
  const root = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    const form = root.current?.closest("form");
    if (!form) return;
    let asked = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: AbortController | undefined;
    // The quote picker sets the quote without an input event: any input, click or key may have changed it.
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const texts = textsOf(form);
        const key = texts.join("\n");
        if (key === asked) return;
        asked = key;
        pending?.abort();
        if (!texts.length) return setLive({ for: key, claims: [] });
        pending = new AbortController();
        try {
          setLive({ for: key, claims: await similarTo(texts, pending.signal) });
        } catch (err) {
          if ((err as Error).name !== "AbortError") asked = "";
        }
      }, PAUSE_MS);
    };
    const events = ["input", "click", "keyup"] as const;
    for (const e of events) form.addEventListener(e, schedule);
    return () => {
      clearTimeout(timer);
      pending?.abort();
      for (const e of events) form.removeEventListener(e, schedule);
    };
  }, []);

  const claims = live?.claims ?? reviewed ?? [];
  return (
    <div ref={root} className="suggestions">
      <button type="submit" name="intent" value="review">
        Review similar claims
      </button>
      <section aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>Claims like this one</h3>
        <p role="status" className="meta">
          {live === null && reviewed === undefined
            ? "As you type the statement or pick the quote, claims Claimtrail already holds that read alike appear here."
            : claims.length
              ? `${claims.length} ${claims.length === 1 ? "claim reads" : "claims read"} like this one, closest first.`
              : "No claim Claimtrail holds reads like this one."}
        </p>
        {claims.length > 0 && (
          <>
            <LinkKindField id={`${id}-kind`} label="A link made from this list" name="linkKind" value={kind} onChange={setKind} />
            <ol className="suggestion-list">
              {claims.map((c) => (
                <li key={c.id} aria-label={`Claim ${c.id}, ${c.outlet.name}`}>
                  <p className="claim-text">
                    <a href={`/claims/${c.id}`}>{c.text}</a>
                  </p>
                  <p className="meta">
                    #{c.id} · {c.outlet.name} · {formatDate(new Date(c.assertedAt))} · <StatusBadge status={c.status} /> ·{" "}
                    {c.story.slug === story ? "this story" : <>in “{c.story.title}”</>} · match {Math.round(c.score * 100)} %
                  </p>
                  <p className="suggestion-actions">
                    <button type="submit" name="relayTo" value={c.id}>
                      Log as relaying #{c.id}
                    </button>{" "}
                    <button type="submit" name="linkTo" value={c.id}>
                      Log as: {kind} #{c.id}
                    </button>
                  </p>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}
