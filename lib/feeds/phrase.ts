// Feed titles read "ComicBook corrects its relay of The Wrap: how long the additional photography
// lasted". Turning a question into that indirect form needs the subject and the verb told apart,
// which plain rules can only do for the common shapes; anything else returns null and the title
// uses the question as written. A wrong phrase would be worse than the question itself.

const WH_WORDS = new Set(["who", "whom", "whose", "what", "which", "when", "where", "why", "how"]);
const BE_FORMS = new Set(["was", "is", "were", "are"]);
// Words that may end a question after its verb: "step down", "come from".
const TRAILING = new Set(["up", "down", "out", "off", "in", "on", "away", "back", "over", "through", "from", "to", "for", "with", "about", "at", "of"]);
const PREPOSITIONS = new Set(["in", "on", "at", "for", "with", "by", "from", "to", "into", "during", "after", "before", "behind", "under", "over", "near", "because"]);
// A word right after one of these starts a noun phrase, so it cannot be the question's verb.
const NOUN_MARKERS = new Set([
  "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
  "of", "to", "in", "on", "at", "for", "with", "by", "from", "about", "into", "some", "any", "no", "every",
]);
const ADVERBS = new Set(["soon", "again", "early", "late", "first", "there", "here", "then", "now", "today", "yesterday", "too", "already", "ago", "abroad", "home", "together", "alone", "so", "instead", "later", "twice", "once"]);

// Base form → simple past, for verbs whose past is not made with -ed.
const IRREGULAR_PAST: Record<string, string> = {
  be: "was", become: "became", begin: "began", break: "broke", bring: "brought", build: "built", buy: "bought",
  catch: "caught", choose: "chose", come: "came", cost: "cost", cut: "cut", do: "did", draw: "drew", drive: "drove",
  eat: "ate", fall: "fell", feel: "felt", fight: "fought", find: "found", fly: "flew", forget: "forgot", get: "got",
  give: "gave", go: "went", grow: "grew", have: "had", hear: "heard", hide: "hid", hit: "hit", hold: "held",
  hurt: "hurt", keep: "kept", know: "knew", lead: "led", leave: "left", lend: "lent", let: "let", lose: "lost",
  make: "made", mean: "meant", meet: "met", pay: "paid", put: "put", quit: "quit", read: "read", ride: "rode",
  ring: "rang", rise: "rose", run: "ran", say: "said", see: "saw", sell: "sold", send: "sent", set: "set",
  shake: "shook", shoot: "shot", show: "showed", shut: "shut", sing: "sang", sink: "sank", sit: "sat", sleep: "slept",
  speak: "spoke", spend: "spent", stand: "stood", steal: "stole", stick: "stuck", strike: "struck", swear: "swore",
  take: "took", teach: "taught", tear: "tore", tell: "told", think: "thought", throw: "threw",
  understand: "understood", wake: "woke", wear: "wore", win: "won", withdraw: "withdrew", write: "wrote",
};
const IRREGULAR_PARTICIPLES = new Set([
  "been", "become", "begun", "broken", "brought", "built", "bought", "caught", "chosen", "come", "cut", "done", "drawn",
  "driven", "eaten", "fallen", "felt", "fought", "found", "flown", "forgotten", "got", "gotten", "given", "gone",
  "grown", "had", "heard", "hidden", "hit", "held", "hurt", "kept", "known", "led", "left", "lent", "let", "lost",
  "made", "meant", "met", "paid", "put", "read", "ridden", "risen", "run", "said", "seen", "sold", "sent", "set",
  "shaken", "shot", "shown", "shut", "sung", "sunk", "sat", "slept", "spoken", "spent", "stood", "stolen", "stuck",
  "struck", "sworn", "taken", "taught", "torn", "told", "thought", "thrown", "understood", "woken", "worn", "won",
  "withdrawn", "written",
]);

function regularPast(verb: string): string {
  if (verb.endsWith("e")) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  // One short vowel before a final consonant doubles it: stop → stopped, plan → planned.
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(verb)) return `${verb}${verb.slice(-1)}ed`;
  return `${verb}ed`;
}

const pastOf = (verb: string) => IRREGULAR_PAST[verb] ?? regularPast(verb);

// "-eed" words (need, speed) and short ones (bed, red) end in -ed without being participles.
const isParticiple = (word: string) =>
  /^[a-z]+$/.test(word) && ((word.length > 4 && word.endsWith("ed") && !word.endsWith("eed")) || IRREGULAR_PARTICIPLES.has(word));

/** Could this word be a verb in its base form, ending the question? */
function plausibleBaseVerb(word: string, before: string | undefined): boolean {
  if (!/^[a-z]{2,}$/.test(word) || ADVERBS.has(word) || word.endsWith("ly")) return false;
  if (before === undefined || NOUN_MARKERS.has(before.toLowerCase())) return false;
  if (IRREGULAR_PAST[word]) return true;
  return !(word.endsWith("s") && !word.endsWith("ss")) && !word.endsWith("ing");
}

/** "How long did the shoot last?" → "how long the shoot lasted"; null when the shape is not one we can turn safely. */
export function questionPhrase(question: string): string | null {
  const text = question.trim();
  if (!text.endsWith("?")) return null;
  const words = text.slice(0, -1).trim().split(/\s+/);
  if (words.length < 2 || !WH_WORDS.has(words[0]!.toLowerCase())) return null;
  const first = words[0]!.toLowerCase();
  const auxAt = words.findIndex((w, i) => i >= 1 && i <= 3 && (w.toLowerCase() === "did" || BE_FORMS.has(w.toLowerCase())));

  if (auxAt === -1) {
    // "Who led the additional photography?": the wh-word is the subject, the order already fits.
    if ((first === "who" || first === "what") && !["do", "does", "has", "have", "had", "will", "can", "could", "would", "should"].includes(words[1]!.toLowerCase())) {
      return [first, ...words.slice(1)].join(" ");
    }
    return null;
  }
  const wh = [first, ...words.slice(1, auxAt)];
  const aux = words[auxAt]!.toLowerCase();
  const rest = words.slice(auxAt + 1);
  if (rest.length === 0) return null;

  if (aux === "did") {
    let at = rest.length - 1;
    if (TRAILING.has(rest[at]!) && at > 1) at--;
    if (!plausibleBaseVerb(rest[at]!, rest[at - 1])) {
      // The question ends on an object: take the first irregular verb after the subject's first word.
      at = rest.findIndex((w, i) => i >= 1 && IRREGULAR_PAST[w] !== undefined && !NOUN_MARKERS.has(rest[i - 1]!.toLowerCase()));
      if (at === -1) return null;
    }
    if (at < 1) return null;
    const turned = [...rest];
    turned[at] = pastOf(rest[at]!);
    return [...wh, ...turned].join(" ");
  }

  // "When was the film shot?" → "when the film was shot"; "Why was Wiseman in hospital?" → "why
  // Wiseman was in hospital"; "Who was the director?" → "who the director was".
  if (rest.length === 1) return isParticiple(rest[0]!) ? [...wh, aux, rest[0]].join(" ") : [...wh, rest[0], aux].join(" ");
  const at = rest.findIndex((w, i) => i >= 1 && !NOUN_MARKERS.has(rest[i - 1]!.toLowerCase()) && (isParticiple(w) || PREPOSITIONS.has(w)));
  return at === -1 ? [...wh, ...rest, aux].join(" ") : [...wh, ...rest.slice(0, at), aux, ...rest.slice(at)].join(" ");
}
