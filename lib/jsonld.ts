import type { ClaimDetail, ClaimView } from "@/lib/claims";
import { statusLabel, statusMeaning } from "@/lib/format";

type Node = Record<string, unknown>;

const SITE = { "@type": "Organization", name: "Claimtrail" } as const;

const organization = (name: string) => ({ "@type": "Organization", name });

type Appeared = { document: { id: number; title: string; url: string | null; publishedAt: Date }; outlet: { name: string } };

/** The document a claim appeared in, as a schema.org CreativeWork published by the outlet. */
function appearanceOf(claim: Appeared, absolute: (path: string) => string): Node {
  return {
    "@type": "CreativeWork",
    "@id": absolute(`/documents/${claim.document.id}`),
    name: claim.document.title,
    ...(claim.document.url && { url: claim.document.url }),
    datePublished: claim.document.publishedAt.toISOString(),
    publisher: organization(claim.outlet.name),
  };
}

// A speaker who is the outlet itself (or none) makes the outlet the author; a named source
// ("an insider", a spokesperson) is a person speaking through it.
function authorOf(claim: ClaimView): Node {
  if (!claim.speaker || claim.speaker.trim().toLowerCase() === claim.outlet.name.toLowerCase()) return organization(claim.outlet.name);
  return { "@type": "Person", name: claim.speaker };
}

/**
 * schema.org description of a claim page: the `Claim` with where it first appeared (by relay or
 * in like words) and every document it appeared in, its own and the other outlets' repeats; and,
 * unless it still stands unchallenged, a `ClaimReview` whose rating names its status.
 */
export function claimJsonLd(detail: ClaimDetail, absolute: (path: string) => string): Node {
  const { claim, firstAppearance, spread } = detail;
  const url = absolute(`/claims/${claim.id}`);
  const documents = new Map<number, Appeared>();
  for (const a of [claim, firstAppearance, ...spread.repeats]) if (!documents.has(a.document.id)) documents.set(a.document.id, a);
  const appearances = [...documents.values()].map((a) => appearanceOf(a, absolute));
  const claimNode: Node = {
    "@type": "Claim",
    "@id": `${url}#claim`,
    url,
    text: claim.text,
    ...(claim.quote && { abstract: claim.quote }),
    author: authorOf(claim),
    datePublished: claim.assertedAt.toISOString(),
    appearance: appearances.length === 1 ? appearances[0] : appearances,
    firstAppearance: appearanceOf(firstAppearance, absolute),
  };
  const graph: Node[] = [claimNode];
  if (claim.status !== "standing") {
    const decisive = claim.causes[0];
    graph.push({
      "@type": "ClaimReview",
      "@id": `${url}#review`,
      url,
      claimReviewed: claim.text,
      itemReviewed: { "@id": `${url}#claim` },
      author: SITE,
      ...(decisive && { datePublished: decisive.effectiveAt.toISOString() }),
      reviewRating: {
        "@type": "Rating",
        name: statusLabel[claim.status],
        alternateName: statusLabel[claim.status],
        description: statusMeaning[claim.status],
      },
    });
  }
  return { "@context": "https://schema.org", "@graph": graph };
}

/**
 * JSON for an inline `<script type="application/ld+json">`: every `<` is escaped, so no text
 * inside (a claim reading `</script>`, say) can end the element early. The line and paragraph
 * separators are escaped too, for parsers that still treat them as line ends.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
