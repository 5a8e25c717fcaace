import jsonld from "jsonld";
import { ANNOTATION_CONTEXT } from "@/lib/claims/annotation";

// JSON-LD expansion for tests, offline: remote contexts come from here, anything else is refused.
// The Web Annotation context below names the terms Claimtrail's annotations may use, each mapped
// to its IRI in the W3C vocabulary; expanding with `safe` then fails on any other term.

const OA = "http://www.w3.org/ns/oa#";
const vocab = (name: string) => ({ "@id": `${OA}${name}`, "@type": "@vocab" });
const ref = (iri: string) => ({ "@id": iri, "@type": "@id" });
const XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime";

const ANNOTATION_TERMS = {
  "@context": {
    id: "@id",
    type: "@type",
    Annotation: `${OA}Annotation`,
    TextualBody: `${OA}TextualBody`,
    SpecificResource: `${OA}SpecificResource`,
    TextQuoteSelector: `${OA}TextQuoteSelector`,
    TimeState: `${OA}TimeState`,
    Software: "https://www.w3.org/ns/activitystreams#Application",
    describing: `${OA}describing`,
    assessing: `${OA}assessing`,
    linking: `${OA}linking`,
    motivation: vocab("motivatedBy"),
    purpose: vocab("hasPurpose"),
    body: ref(`${OA}hasBody`),
    target: ref(`${OA}hasTarget`),
    source: ref(`${OA}hasSource`),
    selector: ref(`${OA}hasSelector`),
    state: ref(`${OA}hasState`),
    cached: ref(`${OA}cachedSource`),
    sourceDate: { "@id": `${OA}sourceDate`, "@type": XSD_DATETIME },
    created: { "@id": "http://purl.org/dc/terms/created", "@type": XSD_DATETIME },
    creator: ref("http://purl.org/dc/terms/creator"),
    name: "http://xmlns.com/foaf/0.1/name",
    homepage: ref("http://xmlns.com/foaf/0.1/homepage"),
    format: "http://purl.org/dc/elements/1.1/format",
    value: "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
    exact: `${OA}exact`,
    prefix: `${OA}prefix`,
    suffix: `${OA}suffix`,
  },
};

const CONTEXTS: Record<string, unknown> = { [ANNOTATION_CONTEXT]: ANNOTATION_TERMS };

const documentLoader = async (url: string) => {
  const document = CONTEXTS[url];
  if (!document) throw new Error(`No network in tests: ${url}`);
  return { contextUrl: undefined, documentUrl: url, document };
};

/** Expands a JSON-LD document, failing on any term or value the expansion would drop. */
export const expandStrictly = (doc: object) => jsonld.expand(doc as jsonld.JsonLdDocument, { documentLoader, safe: true } as unknown as jsonld.Options.Expand);
