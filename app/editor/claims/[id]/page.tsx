import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { editorOrSignIn } from "@/lib/auth/web";
import { orNotFound } from "@/app/components/load";
import { statusLabel } from "@/lib/format";
import { readClaim } from "@/lib/claims";
import { readStory } from "@/lib/stories";
import { id as idSchema } from "@/lib/validation";
import { EditClaim } from "../../components/edit-claim";
import { LinkForm } from "../../components/link-form";

export const metadata: Metadata = { title: "Edit claim" };

export default async function EditorClaim({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const claimId = idSchema.safeParse(id);
  if (!claimId.success) notFound();
  await editorOrSignIn(`/editor/claims/${id}`);
  const detail = await orNotFound(readClaim(claimId.data));
  const { claim } = detail;
  const story = await readStory(claim.storySlug);
  const candidates = story.claims.filter((c) => c.id !== claim.id && c.assertedAt <= claim.assertedAt).map((c) => ({ id: c.id, label: `${c.outlet.name}: ${c.text}` }));
  return (
    <>
      <p className="meta">
        <Link href={`/editor/stories/${claim.storySlug}`}>← {story.story.title}</Link> · <Link href={`/claims/${claim.id}`}>Reader page</Link>
      </p>
      <h1>
        Claim #{claim.id} <span className={`badge badge-${claim.status}`}>{statusLabel[claim.status]}</span>
      </h1>
      <p>
        {claim.outlet.name} · revision {claim.revision}
      </p>

      <h2>Edit</h2>
      <EditClaim claimId={claim.id} current={{ revision: claim.revision, text: claim.text, quote: claim.quote }} />

      <h2>Link to an older claim</h2>
      <LinkForm fromId={claim.id} candidates={candidates} />

      <h2>Links</h2>
      <ul>
        {detail.linksOut.map((l) => (
          <li key={l.id}>
            This claim {l.kind} #{l.claim.id} ({l.claim.outlet.name})
          </li>
        ))}
        {detail.linksIn.map((l) => (
          <li key={l.id}>
            #{l.claim.id} ({l.claim.outlet.name}) {l.kind} this claim
          </li>
        ))}
      </ul>
    </>
  );
}
