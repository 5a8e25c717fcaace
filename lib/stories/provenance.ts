import { and, asc, inArray, lte } from "drizzle-orm";
import type { Executor } from "@/db";
import { documentVersions } from "@/db/schema";
import { timeOf } from "@/lib/time";
import type { StoryRead } from "./index";

// A story's provenance in W3C PROV-O: documents and their versions as entities, each version a
// revision of the one before; claims as entities derived from the version they were read in and,
// for a relay, from the claim it relays; outlets as the agents they are attributed to. Links
// between claims are qualified influences whose role names the kind of link.

const CONTEXT = {
  prov: "http://www.w3.org/ns/prov#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  schema: "https://schema.org/",
  "prov:generatedAtTime": { "@type": "xsd:dateTime" },
  "prov:startedAtTime": { "@type": "xsd:dateTime" },
  "prov:wasAttributedTo": { "@type": "@id" },
  "prov:wasDerivedFrom": { "@type": "@id" },
  "prov:wasQuotedFrom": { "@type": "@id" },
  "prov:wasRevisionOf": { "@type": "@id" },
  "prov:specializationOf": { "@type": "@id" },
  "prov:influencer": { "@type": "@id" },
  "prov:hadRole": { "@type": "@id" },
  "schema:url": { "@type": "@id" },
} as const;

type Node = Record<string, unknown>;

/** The link kinds as roles of an influence. */
const roleOf = (kind: string) => `urn:claimtrail:link:${kind}`;

export async function provenanceOf(db: Executor, read: StoryRead, absolute: (path: string) => string): Promise<Node> {
  const { claims, links, clock } = read;
  const documentIds = [...new Set(claims.map((c) => c.document.id))];
  const versions = documentIds.length
    ? await db
        .select({ id: documentVersions.id, documentId: documentVersions.documentId, seenAt: documentVersions.seenAt })
        .from(documentVersions)
        .where(and(inArray(documentVersions.documentId, documentIds), lte(documentVersions.seenAt, clock.asOf), lte(documentVersions.createdAt, clock.knownAt)))
        .orderBy(asc(documentVersions.seenAt), asc(documentVersions.id))
    : [];
  const graph: Node[] = [];
  const outlets = new Map(claims.map((c) => [c.outlet.id, c.outlet]));
  for (const o of outlets.values()) {
    graph.push({ "@id": absolute(`/outlets/${o.slug}`), "@type": ["prov:Agent", "prov:Organization"], "rdfs:label": o.name });
  }
  const documents = new Map(claims.map((c) => [c.document.id, c]));
  const versionUri = (documentId: number, versionId: number) => absolute(`/documents/${documentId}#version-${versionId}`);
  for (const c of documents.values()) {
    const d = c.document;
    graph.push({
      "@id": absolute(`/documents/${d.id}`),
      "@type": "prov:Entity",
      "rdfs:label": d.title,
      ...(d.url && { "schema:url": d.url }),
      "schema:datePublished": d.publishedAt.toISOString(),
      "prov:wasAttributedTo": absolute(`/outlets/${c.outlet.slug}`),
    });
  }
  const previous = new Map<number, number>();
  for (const v of versions) {
    const before = previous.get(v.documentId);
    graph.push({
      "@id": versionUri(v.documentId, v.id),
      "@type": "prov:Entity",
      "prov:specializationOf": absolute(`/documents/${v.documentId}`),
      "prov:generatedAtTime": v.seenAt.toISOString(),
      ...(before !== undefined && { "prov:wasRevisionOf": versionUri(v.documentId, before) }),
    });
    previous.set(v.documentId, v.id);
  }
  const influences = new Map<number, Node[]>();
  for (const l of links) {
    const list = influences.get(l.fromClaimId) ?? influences.set(l.fromClaimId, []).get(l.fromClaimId)!;
    list.push({
      "@type": "prov:Influence",
      "prov:influencer": absolute(`/claims/${l.toClaimId}`),
      "prov:hadRole": roleOf(l.kind),
      "prov:startedAtTime": l.effectiveAt.toISOString(),
    });
  }
  const known = new Set(versions.map((v) => v.id));
  for (const c of claims) {
    const source = c.versionId != null && known.has(c.versionId) ? versionUri(c.document.id, c.versionId) : absolute(`/documents/${c.document.id}`);
    const derived = [source, ...(c.relaysClaimId != null ? [absolute(`/claims/${c.relaysClaimId}`)] : [])];
    graph.push({
      "@id": absolute(`/claims/${c.id}`),
      "@type": "prov:Entity",
      "rdfs:label": c.text,
      "prov:generatedAtTime": c.assertedAt.toISOString(),
      "prov:wasAttributedTo": absolute(`/outlets/${c.outlet.slug}`),
      "prov:wasDerivedFrom": derived.length === 1 ? derived[0] : derived,
      ...(c.quote && { "prov:wasQuotedFrom": source }),
      ...(influences.has(c.id) && { "prov:qualifiedInfluence": influences.get(c.id) }),
    });
  }
  // Kinds in use, named so that a reader of the graph learns what each role means.
  for (const kind of new Set(links.map((l) => l.kind))) graph.push({ "@id": roleOf(kind), "@type": "prov:Role", "rdfs:label": kind });
  graph.sort((a, b) => timeOrder(a) - timeOrder(b));
  graph.unshift({ "@id": absolute(`/stories/${read.story.slug}`), "@type": "prov:Bundle", "rdfs:label": read.story.title });
  return { "@context": CONTEXT, "@graph": graph };
}

// Agents first, then entities as they appeared: the graph reads like the story.
const timeOrder = (n: Node) => {
  const at = (n["prov:generatedAtTime"] ?? n["schema:datePublished"]) as string | undefined;
  return at ? timeOf(new Date(at)) : -Infinity;
};
