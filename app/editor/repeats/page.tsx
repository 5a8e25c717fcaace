import type { Metadata } from "next";
import Link from "next/link";
import { Diff } from "@/app/components/diff";
import { orNotFound } from "@/app/components/load";
import { QueryProblems } from "@/app/components/problems";
import { readSearchParams, type SearchParams } from "@/app/components/query";
import { StatusBadge, When } from "@/app/components/status";
import { editorOrSignIn } from "@/lib/auth/web";
import type { ClaimView } from "@/lib/claims";
import { diffWords } from "@/lib/diff/words";
import { plural } from "@/lib/format";
import { readLikelyRepeats, REPEAT_AT, type LikelyRepeat } from "@/lib/matching";
import { repeatsQuery } from "@/lib/validation";
import { repeatAction } from "../actions";
import { ActionForm } from "../components/form";

export const metadata: Metadata = { title: "Likely relays" };

function Side({ claim, role }: { claim: ClaimView; role: string }) {
  return (
    <p>
      <span className="meta">{role}:</span> <Link href={`/claims/${claim.id}`}>#{claim.id}</Link> {claim.outlet.name}, <When date={claim.assertedAt} />{" "}
      <StatusBadge status={claim.status} />
    </p>
  );
}

function Repeat({ repeat: { later, earlier, score } }: { repeat: LikelyRepeat }) {
  const name = `Claim ${later.id} and claim ${earlier.id}`;
  const hidden = { earlier: earlier.id, later: later.id };
  return (
    <li className="card" aria-label={name}>
      <h2>
        {later.outlet.name} may relay {earlier.outlet.name} <span className="meta">(match {Math.round(score * 100)} %)</span>
      </h2>
      <Side claim={earlier} role="Earlier" />
      <Side claim={later} role="Later" />
      <Diff ops={diffWords(earlier.text, later.text)} layout="inline" before={earlier.outlet.name} after={later.outlet.name} caption="The two statements" />
      <div className="decisions">
        <ActionForm action={repeatAction} submit={`Mark #${later.id} as relaying #${earlier.id}`} label={`Mark as relay: ${name}`} hidden={{ ...hidden, action: "confirm", baseRevision: later.revision }} />
        <ActionForm action={repeatAction} submit="Not a repeat" label={`Dismiss: ${name}`} hidden={{ ...hidden, action: "dismiss" }} />
      </div>
    </li>
  );
}

export default async function Repeats({ searchParams }: { searchParams: SearchParams }) {
  await editorOrSignIn("/editor/repeats");
  const { data: query, problems } = await readSearchParams(searchParams, repeatsQuery);
  const page = await orNotFound(readLikelyRepeats(query));
  const older = page.olderThan === null ? null : `/editor/repeats?${new URLSearchParams({ ...(query.story && { story: query.story }), olderThan: String(page.olderThan) })}`;
  return (
    <>
      <h1>Likely relays not yet marked</h1>
      <QueryProblems problems={problems} fallback="Showing the newest claims of every story." />
      <p>
        Each of the {plural(page.checked, "claim")} logged {query.olderThan ? "before those on the previous page" : "most recently"}
        {query.story && <> in the story <Link href={`/editor/stories/${query.story}`}>{query.story}</Link></>} that relays nothing, beside the
        older claim of another outlet it reads most like, from a match of {Math.round(REPEAT_AT * 100)} % up. Mark it as a relay, or dismiss the
        pair: a dismissed pair is not offered again, and no longer counts in either claim’s spread.
      </p>
      {page.repeats.length === 0 ? (
        <p role="status">No likely relay among these claims.</p>
      ) : (
        <ol className="plain">
          {page.repeats.map((r) => (
            <Repeat key={`${r.later.id}-${r.earlier.id}`} repeat={r} />
          ))}
        </ol>
      )}
      {older && (
        <p>
          <Link href={older}>Check older claims</Link>
        </p>
      )}
    </>
  );
}
