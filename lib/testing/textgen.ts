// Deterministic article-like text for exercising the diff on large inputs. Tests and
// benchmarks need the same bytes on every run and machine, so everything is driven by a
// small seeded generator rather than Math.random.

export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to scatter words and edits. Returns [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = (
  "the of and to a in that is was he for it with as his on be at by had are but from or have an they which " +
  "one you were her all she there would their we him been has when who will more no if out so said what up its " +
  "about into than them can only other new some could time these two may then do first any my now such like our " +
  "over man me even most made after also did many before must through back years where much your way well down " +
  "should because each just those people how too little state good very make world still own see men work long get " +
  "here between both life being under never day same another know while last might us great old year off come since " +
  "against go came right used take three minister police government officials report week month according percent"
).split(" ");

const SYLLABLES = "ba ka ri to men sel da lo vi ne ar os tu pe gra ston wel bur fen hal mor tri cal ven dor".split(" ");

function buildVocabulary(random: Random, size: number): string[] {
  const words = [...COMMON];
  const seen = new Set(words);
  while (words.length < size) {
    let word = "";
    const syllables = 1 + Math.floor(random() * 3);
    for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

// Word frequencies in prose fall off steeply; skewing picks towards the start of the
// vocabulary (where the function words are) gives the diff the same heavy repetition of
// "the", "of" and "said" that real articles have.
const pick = (random: Random, vocabulary: string[]) => vocabulary[Math.floor(random() ** 4 * vocabulary.length)]!;

function randomWord(random: Random, vocabulary: string[]): string {
  const r = random();
  if (r < 0.03) return String(Math.floor(random() * 2000));
  if (r < 0.04) return `${pick(random, vocabulary)}-${pick(random, vocabulary)}`;
  return pick(random, vocabulary);
}

type Word = { text: string; after: string };

function generateWords(random: Random, vocabulary: string[], count: number): Word[] {
  const words: Word[] = [];
  let sentenceLeft = 0;
  let sentencesLeft = 0;
  for (let i = 0; i < count; i++) {
    let text = randomWord(random, vocabulary);
    if (sentenceLeft === 0) {
      sentenceLeft = 8 + Math.floor(random() * 18);
      text = text.charAt(0).toUpperCase() + text.slice(1);
    }
    sentenceLeft--;
    let after = " ";
    if (sentenceLeft === 0) {
      if (sentencesLeft === 0) sentencesLeft = 3 + Math.floor(random() * 5);
      sentencesLeft--;
      after = sentencesLeft === 0 ? ".\n\n" : random() < 0.1 ? "? " : ". ";
    } else if (random() < 0.07) after = ", ";
    else if (random() < 0.01) after = "; ";
    words.push({ text, after });
  }
  return words;
}

const render = (words: Word[]) => words.map((w) => w.text + w.after).join("").trimEnd();

export type EditedPairOptions = { seed?: number; words?: number; edits?: number };

/**
 * An article and a revision of it: `edits` random word replacements, insertions and
 * deletions. About 6.3 characters per word, so 16,000 words make roughly 100 KB.
 */
export function generateEditedPair({ seed = 1, words = 16_000, edits = 1_000 }: EditedPairOptions = {}): {
  before: string;
  after: string;
} {
  const random = seededRandom(seed);
  const vocabulary = buildVocabulary(random, 4_000);
  const original = generateWords(random, vocabulary, words);
  const revised = original.map((w) => ({ ...w }));
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * revised.length);
    const kind = random();
    if (kind < 0.5 || revised.length < 2) revised[at]!.text = randomWord(random, vocabulary);
    else if (kind < 0.75) revised.splice(at, 0, { text: randomWord(random, vocabulary), after: " " });
    else {
      // Keep the removed word's punctuation so sentences still end where they did.
      const [removed] = revised.splice(at, 1);
      const previous = revised[at - 1];
      if (previous && removed!.after !== " ") previous.after = removed!.after;
    }
  }
  return { before: render(original), after: render(revised) };
}
