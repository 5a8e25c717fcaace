import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { claimRevisions, claims, documents, documentVersions, links, outlets, questions, stories, type LinkKind } from "@/db/schema";
import { generateEditedPair, seededRandom, type Random } from "@/lib/testing/textgen";
import { anchorQuote } from "@/lib/quotes";
import { sha256 } from "@/lib/sha256";

/** How big the generated data set is; every figure is exact, so two runs load the same rows. */
export type DatasetShape = {
  seed: number;
  stories: number;
  /** Claims in all stories together, the largest story's included. */
  claims: number;
  /** Claims in story 1; the rest are spread evenly over the other stories. */
  largestStoryClaims: number;
  links: number;
  outlets: number;
  documents: number;
  questionsPerStory: number;
  /** Share of documents recorded in two versions (the second adds an update at the top). */
  versionedShare: number;
  /** Share of claims that relay an earlier claim of the same story. */
  relayShare: number;
};

export const FULL_SHAPE: DatasetShape = {
  seed: 20_241_015,
  stories: 1_000,
  claims: 100_000,
  largestStoryClaims: 10_000,
  links: 30_000,
  outlets: 60,
  documents: 8_000,
  questionsPerStory: 3,
  versionedShare: 0.15,
  relayShare: 0.1,
};

export type OutletRow = typeof outlets.$inferInsert & { id: number };
export type DocumentRow = typeof documents.$inferInsert & { id: number; publishedAt: Date; createdAt: Date };
export type DocumentVersionRow = typeof documentVersions.$inferInsert & { id: number; seenAt: Date; createdAt: Date };
export type StoryRow = typeof stories.$inferInsert & { id: number };
export type QuestionRow = typeof questions.$inferInsert & { id: number };
export type ClaimRow = typeof claims.$inferInsert & { id: number; assertedAt: Date; createdAt: Date };
export type ClaimRevisionRow = typeof claimRevisions.$inferInsert;
export type LinkRow = typeof links.$inferInsert & { id: number };

/** What the benchmark requests: picked from the data, so they exist whatever the seed. */
export type Probes = {
  /** A story of ordinary size (the median of the others). */
  storySlug: string;
  storyClaims: number;
  largeStorySlug: string;
  largeStoryClaims: number;
  /** The claim of the ordinary story with the most links, so its page shows them. */
  claimId: number;
  claimLinks: number;
};

export type Dataset = {
  shape: DatasetShape;
  outlets: OutletRow[];
  documents: DocumentRow[];
  documentVersions: DocumentVersionRow[];
  stories: StoryRow[];
  questions: QuestionRow[];
  claims: ClaimRow[];
  claimRevisions: ClaimRevisionRow[];
  links: LinkRow[];
  probes: Probes;
};

const HOUR = 3_600_000;
// Claims are dated over four years ending well before any run, so "now" always sees them all.
const FIRST_DAY = Date.UTC(2021, 0, 1);
const SPAN = Date.UTC(2025, 0, 1) - FIRST_DAY;

const OUTLET_KINDS = ["Times", "Post", "Herald", "Wire", "Daily", "Review", "Chronicle", "Gazette", "Journal", "Observer"];
// Every kind occurs, so status derivation meets each of them; confirmations are the most common.
const LINK_KINDS: [LinkKind, number][] = [
  ["confirms", 0.3],
  ["contradicts", 0.25],
  ["corrects", 0.25],
  ["supersedes", 0.1],
  ["retracts", 0.1],
];
const DOCUMENT_KINDS = ["article", "article", "article", "article", "interview", "statement", "broadcast", "post"] as const;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function checkShape(shape: DatasetShape) {
  const others = shape.claims - shape.largestStoryClaims;
  const problems = [
    shape.stories < 1 && "at least one story",
    shape.largestStoryClaims < 1 && "a largest story with claims",
    shape.stories > 1 && others < shape.stories - 1 && "at least one claim in every story",
    shape.stories === 1 && others !== 0 && "claims = largestStoryClaims with one story",
    shape.outlets < 1 && "at least one outlet",
    shape.documents < 1 && "at least one document",
    shape.questionsPerStory < 0 && "questionsPerStory >= 0",
    // Links join distinct claims of one story, newer to older: the largest story alone bounds them.
    shape.links > shape.claims * 4 && "fewer links (at most four per claim)",
  ].filter(Boolean);
  if (problems.length) throw new Error(`Impossible data set shape: needs ${problems.join(", ")}.`);
}

/** A corpus of article-like words, sliced into titles, claims and document texts. */
function corpus(seed: number) {
  const words = generateEditedPair({ seed, words: 40_000, edits: 0 }).before.split(/\s+/).filter(Boolean);
  const bare = words.map((w) => w.replace(/[^\p{L}\p{N}-]/gu, "")).filter((w) => w.length > 1);
  return { words, bare };
}

function sliceText(random: Random, words: string[], min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  const start = Math.floor(random() * (words.length - length));
  const text = words.slice(start, start + length).join(" ").replace(/[,;:]$/, "");
  return capitalise(/[.!?]$/.test(text) ? text : `${text}.`);
}

function title(random: Random, bare: string[], min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  const start = Math.floor(random() * (bare.length - length));
  return capitalise(bare.slice(start, start + length).join(" "));
}

function weighted<T>(random: Random, choices: [T, number][]): T {
  let r = random();
  for (const [value, weight] of choices) {
    if (r < weight) return value;
    r -= weight;
  }
  return choices[choices.length - 1]![0];
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** An earlier position in a story, skewed towards recent claims: corrections follow soon after. */
const earlierPosition = (random: Random, position: number) => position - 1 - Math.floor(random() ** 2 * position);

/**
 * Generates the whole data set in memory from `shape.seed`: the same shape gives the same rows,
 * ids included. Links and relays only ever point from a claim to one asserted no later in the
 * same story (ids follow assertion time), so neither can form a cycle.
 */
export function generateDataset(partial: Partial<DatasetShape> = {}): Dataset {
  const shape: DatasetShape = { ...FULL_SHAPE, ...partial };
  checkShape(shape);
  const random = seededRandom(shape.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const { words, bare } = corpus(shape.seed);
  const people = Array.from({ length: 200 }, () => `${capitalise(pick(bare))} ${capitalise(pick(bare))}`);
  // Outlets, stories and questions exist before the first document.
  const setUpAt = new Date(FIRST_DAY - 30 * 24 * HOUR);

  const outletRows: OutletRow[] = Array.from({ length: shape.outlets }, (_, i) => ({
    id: i + 1,
    slug: `outlet-${pad(i + 1, 3)}`,
    name: `${capitalise(pick(bare))} ${pick(OUTLET_KINDS)}`,
    homepage: `https://outlet-${pad(i + 1, 3)}.example/`,
    createdAt: setUpAt,
  }));

  // Ids follow publication time, as they would if documents were logged as they appeared.
  const published = Array.from({ length: shape.documents }, () => FIRST_DAY + Math.floor(random() * SPAN)).sort((a, b) => a - b);
  const documentRows: DocumentRow[] = published.map((at, i) => {
    const id = i + 1;
    // A few outlets publish most documents, like wire services.
    const outletId = 1 + Math.floor(random() ** 2 * shape.outlets);
    const precision = random() < 0.3 ? "time" : "day";
    // A date known only to the day is stored as its start (UTC), as the API stores a bare day.
    const publishedAt = new Date(precision === "day" ? at - (at % (24 * HOUR)) : at);
    return {
      id,
      outletId,
      url: `https://outlet-${pad(outletId, 3)}.example/${new Date(at).toISOString().slice(0, 10)}/story-${id}`,
      title: title(random, bare, 5, 12),
      authors: random() < 0.7 ? [pick(people)] : [],
      publishedAt,
      precision,
      kind: pick(DOCUMENT_KINDS),
      createdAt: new Date(at + 2 * HOUR),
    };
  });

  const versionRows: DocumentVersionRow[] = [];
  const versionsOf = new Map<number, DocumentVersionRow[]>();
  for (const document of documentRows) {
    if (random() >= shape.versionedShare) continue;
    const original = sliceText(random, words, 80, 200);
    const revisedWords = original.split(" ");
    for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) revisedWords[Math.floor(random() * revisedWords.length)] = pick(bare);
    const update = `Update: ${sliceText(random, words, 10, 25)}`;
    const revised = `${update}\n\n${revisedWords.join(" ")}`;
    const updatedAt = document.publishedAt.getTime() + (1 + Math.floor(random() * 72)) * HOUR;
    const pair: DocumentVersionRow[] = [
      { id: 0, documentId: document.id, text: original, sha256: sha256(original), seenAt: document.publishedAt, note: null, createdAt: document.createdAt },
      {
        id: 0,
        documentId: document.id,
        text: revised,
        sha256: sha256(revised),
        seenAt: new Date(updatedAt),
        note: "Update added at the top",
        createdAt: new Date(Math.max(updatedAt, document.createdAt.getTime()) + HOUR),
      },
    ];
    versionsOf.set(document.id, pair);
    versionRows.push(...pair);
  }
  versionRows.forEach((v, i) => (v.id = i + 1));

  const storyRows: StoryRow[] = Array.from({ length: shape.stories }, (_, i) => ({
    id: i + 1,
    slug: `bench-story-${pad(i + 1, 4)}`,
    title: title(random, bare, 3, 8),
    summary: random() < 0.8 ? sliceText(random, words, 15, 40) : null,
    createdAt: setUpAt,
  }));
  const questionRows: QuestionRow[] = [];
  const questionsOf = new Map<number, number[]>();
  for (const story of storyRows) {
    const ids: number[] = [];
    for (let q = 0; q < shape.questionsPerStory; q++) {
      const id = questionRows.length + 1;
      questionRows.push({ id, storyId: story.id, label: `${title(random, bare, 4, 9)}?`, createdAt: setUpAt });
      ids.push(id);
    }
    questionsOf.set(story.id, ids);
  }

  // Story sizes are exact; which claim lands in which story is shuffled so stories interleave in time.
  const perOther = shape.stories > 1 ? Math.floor((shape.claims - shape.largestStoryClaims) / (shape.stories - 1)) : 0;
  const remainder = shape.stories > 1 ? (shape.claims - shape.largestStoryClaims) % (shape.stories - 1) : 0;
  const storyOfSlot: number[] = new Array(shape.largestStoryClaims).fill(1);
  for (let s = 2; s <= shape.stories; s++) for (let n = perOther + (s - 2 < remainder ? 1 : 0); n > 0; n--) storyOfSlot.push(s);
  shuffle(random, storyOfSlot);

  type Draft = { storyId: number; document: DocumentRow; version: DocumentVersionRow | null; assertedAt: number; order: number };
  const drafts: Draft[] = storyOfSlot.map((storyId, order) => {
    const document = pick(documentRows);
    const versions = versionsOf.get(document.id);
    const version = versions && random() < 0.8 ? pick(versions) : null;
    return { storyId, document, version, assertedAt: (version?.seenAt ?? document.publishedAt).getTime(), order };
  });
  drafts.sort((a, b) => a.assertedAt - b.assertedAt || a.order - b.order);

  const claimRows: ClaimRow[] = [];
  const revisionRows: ClaimRevisionRow[] = [];
  const claimsOf = new Map<number, number[]>();
  for (const [i, draft] of drafts.entries()) {
    const id = i + 1;
    // Logged some hours after it was asserted, and never before its source was.
    const sourceLogged = (draft.version?.createdAt ?? draft.document.createdAt).getTime();
    const createdAt = new Date(Math.max(draft.assertedAt, sourceLogged) + (1 + Math.floor(random() * 96)) * HOUR);
    const storyQuestions = questionsOf.get(draft.storyId)!;
    claimRows.push({
      id,
      storyId: draft.storyId,
      documentId: draft.document.id,
      versionId: draft.version?.id ?? null,
      questionId: storyQuestions.length && random() < 0.7 ? pick(storyQuestions) : null,
      speaker: random() < 0.6 ? pick(people) : null,
      assertedAt: new Date(draft.assertedAt),
      revision: 1,
      createdAt,
    });
    const quoted = draft.version && random() < 0.6 ? quoteFrom(random, draft.version.text) : null;
    revisionRows.push({
      claimId: id,
      revision: 1,
      text: sliceText(random, words, 8, 30),
      quote: quoted?.quote ?? null,
      quotePrefix: quoted?.prefix ?? null,
      quoteSuffix: quoted?.suffix ?? null,
      quoteVerified: quoted !== null,
      relaysClaimId: null,
      createdAt,
    });
    let list = claimsOf.get(draft.storyId);
    if (!list) claimsOf.set(draft.storyId, (list = []));
    list.push(id);
  }
  const positionOf = new Map<number, number>();
  for (const list of claimsOf.values()) list.forEach((id, p) => positionOf.set(id, p));

  for (const revision of revisionRows) {
    const claim = claimRows[revision.claimId - 1]!;
    const position = positionOf.get(claim.id)!;
    if (position === 0 || random() >= shape.relayShare) continue;
    const origin = claimsOf.get(claim.storyId)![earlierPosition(random, position)]!;
    // A document relaying itself reads as nonsense on the page.
    if (claimRows[origin - 1]!.documentId !== claim.documentId) revision.relaysClaimId = origin;
  }

  const linkRows: LinkRow[] = [];
  const linked = new Set<string>();
  const degree = new Map<number, number>();
  for (let attempts = shape.links * 20; linkRows.length < shape.links && attempts > 0; attempts--) {
    const from = claimRows[Math.floor(random() * claimRows.length)]!;
    const position = positionOf.get(from.id)!;
    if (position === 0) continue;
    const to = claimRows[claimsOf.get(from.storyId)![earlierPosition(random, position)]! - 1]!;
    const key = `${from.id}>${to.id}`;
    if (linked.has(key)) continue;
    linked.add(key);
    const recorded = Math.max(from.createdAt.getTime(), to.createdAt.getTime()) + Math.floor(random() * 48) * HOUR;
    linkRows.push({
      id: linkRows.length + 1,
      fromClaimId: from.id,
      toClaimId: to.id,
      kind: weighted(random, LINK_KINDS),
      effectiveAt: from.assertedAt,
      note: random() < 0.2 ? sliceText(random, words, 5, 15) : null,
      createdAt: new Date(recorded),
    });
    for (const id of [from.id, to.id]) degree.set(id, (degree.get(id) ?? 0) + 1);
  }
  if (linkRows.length < shape.links) throw new Error(`Only ${linkRows.length} distinct links fit this shape; ask for fewer.`);

  const largest = storyRows[0]!;
  // The other stories are all the same size give or take one; with a single story it is the largest.
  const ordinaryStory = storyRows[Math.min(storyRows.length - 1, Math.max(1, Math.floor(storyRows.length / 2)))]!;
  const ordinaryClaims = claimsOf.get(ordinaryStory.id) ?? [];
  let claimId = ordinaryClaims[0] ?? 1;
  for (const id of ordinaryClaims) if ((degree.get(id) ?? 0) > (degree.get(claimId) ?? 0)) claimId = id;

  return {
    shape,
    outlets: outletRows,
    documents: documentRows,
    documentVersions: versionRows,
    stories: storyRows,
    questions: questionRows,
    claims: claimRows,
    claimRevisions: revisionRows,
    links: linkRows,
    probes: {
      storySlug: ordinaryStory.slug,
      storyClaims: ordinaryClaims.length,
      largeStorySlug: largest.slug,
      largeStoryClaims: claimsOf.get(largest.id)?.length ?? 0,
      claimId,
      claimLinks: degree.get(claimId) ?? 0,
    },
  };
}

/** A verbatim quote from a version's text, anchored as the editor's quote picker would. */
function quoteFrom(random: Random, text: string) {
  const words = text.split(" ");
  const length = Math.min(words.length, 5 + Math.floor(random() * 8));
  const start = Math.floor(random() * (words.length - length + 1));
  const quote = words.slice(start, start + length).join(" ").trim();
  return quote ? anchorQuote(text, quote) : null;
}

export type LoadOptions = { batchSize?: number; onProgress?: (table: string, rows: number) => void };

// Tables with an identity column: their sequences must move past the explicit ids loaded.
const IDENTITY_TABLES = ["outlets", "documents", "document_versions", "stories", "questions", "claims", "links"] as const;

/**
 * Loads a generated data set into an empty, migrated database with multi-row inserts in one
 * transaction, then moves the id sequences past the loaded ids (so later writes through the
 * app get fresh ones) and refreshes the planner's statistics. Writes no audit events.
 */
export async function loadDataset(db: Db, data: Dataset, options: LoadOptions = {}): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 2_000;
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    const insert = async <T extends Parameters<typeof tx.insert>[0]>(table: T, name: string, values: T["$inferInsert"][]) => {
      for (let at = 0; at < values.length; at += batchSize) {
        await tx.insert(table).values(values.slice(at, at + batchSize));
      }
      counts[name] = values.length;
      options.onProgress?.(name, values.length);
    };
    await insert(outlets, "outlets", data.outlets);
    await insert(documents, "documents", data.documents);
    await insert(documentVersions, "document_versions", data.documentVersions);
    await insert(stories, "stories", data.stories);
    await insert(questions, "questions", data.questions);
    await insert(claims, "claims", data.claims);
    await insert(claimRevisions, "claim_revisions", data.claimRevisions);
    await insert(links, "links", data.links);
    for (const table of IDENTITY_TABLES) {
      await tx.execute(sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 0) + 1 from ${sql.identifier(table)}), false)`);
    }
  });
  // Vacuumed as well as analysed, as the tables of a database in service are: otherwise the
  // autovacuum of the freshly loaded tables runs through the measurements that follow.
  await db.execute(sql`vacuum analyze`);
  return counts;
}
