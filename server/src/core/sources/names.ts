/**
 * Names of people, organisations and places as each source spells them.
 *
 * A name is a run of capitalised words inside a sentence ("Mohammed Shia'
 * al-Sudani", "US National Security Council"). Titles and possessives around
 * it are peeled off ("Iraq's Prime Minister Mohammed…" → "Mohammed…",
 * "Al-Sudani's" → "Al-Sudani"), because a writer completing a name wants the
 * name, not the phrase around it. The kind is read from the words of the name
 * and the words next to it: a title before it makes a person, "Council" or
 * "Ministry" an organisation, "Airport" or "Governorate" a place.
 */
import type { NameMention, Sentence } from '../types';
import { isLowSurrogate } from '../text';

/** Function words and sentence openers that are capitalised but never part of a name. */
const STOP = new Set([
  'The', 'A', 'An', 'In', 'On', 'At', 'He', 'She', 'It', 'We', 'They', 'This', 'That', 'These', 'Those', 'But', 'And', 'For', 'Since',
  'After', 'Before', 'During', 'According', 'Also', 'As', 'If', 'When', 'While', 'His', 'Her', 'Its', 'Their', 'Our', 'I', 'To', 'By',
  'From', 'With', 'Of', 'Home', 'Related', 'Stories', 'Photo', 'Read', 'Powered', 'Friday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday',
  'Saturday', 'Sunday', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November',
  'December', 'No', 'Yes', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Mr', 'Mrs', 'Ms', 'Dr',
]);

/** Words of a title in front of a person's name; peeled off, and they make the name a person's. */
const TITLE_WORDS = new Set([
  'Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'President', 'Prime', 'Minister', 'Deputy', 'Foreign', 'Defence', 'Defense', 'Secretary', 'General',
  'Gen', 'Colonel', 'Col', 'Major', 'Captain', 'Sheikh', 'King', 'Queen', 'Prince', 'Senator', 'Sen', 'Governor', 'Gov', 'Spokesman',
  'Spokeswoman', 'Spokesperson', 'Ambassador', 'Chancellor', 'Commander', 'Chief', 'Speaker', 'Pope', 'Judge', 'Rep', 'Representative',
  'Mayor', 'Chairman', 'Leader', 'Vice',
]);

/** A country or people adjective that often precedes a title ("Iraqi Prime Minister", "Spanish …"). */
const NATIONALITY = /^(?:[\p{Lu}][\p{L}]+(?:i|ian|ish|ese|an|ch|ic))$/u;

const ORGANISATION_WORDS = new Set([
  'Council', 'Ministry', 'Department', 'Office', 'Agency', 'Forum', 'Committee', 'Resistance', 'Party', 'Group', 'Coalition', 'Hezbollah',
  'Hamas', 'State', 'News', 'Press', 'Forces', 'Force', 'Army', 'University', 'Company', 'Bank', 'Government', 'Organisation',
  'Organization', 'Union', 'Front', 'Movement', 'Brigades', 'Brigade', 'Corps', 'Command', 'Pentagon', 'Assembly', 'Parliament',
  'Congress', 'Senate', 'Nations', 'Fund', 'Institute', 'Association', 'Federation', 'Commission', 'Authority', 'Service', 'Network',
  'Times', 'Post', 'Reuters', 'Xinhua', 'Kataib', 'Harakat', 'Hashd', 'Mobilization', 'Mobilisation', 'Media',
]);

const PLACE_WORDS = new Set([
  'Airport', 'Palace', 'Zone', 'Governorate', 'Province', 'Strip', 'City', 'Street', 'Square', 'Bank', 'Valley', 'River', 'Sea', 'Gulf',
  'Island', 'Islands', 'Mountains', 'Base', 'Region', 'District', 'Territories', 'East', 'West', 'Kingdom', 'Republic', 'Emirates', 'States',
  'Iraq', 'Syria', 'Iran', 'Israel', 'Spain', 'Baghdad', 'Erbil', 'Gaza', 'Lebanon', 'Jordan', 'Turkey', 'Kuwait', 'Yemen', 'Egypt',
  'Switzerland', 'Davos', 'Washington', 'China', 'Russia', 'France', 'Germany', 'Britain', 'London', 'Paris', 'Beijing', 'Moscow',
]);

/** Lower-case particles inside a name ("al-Sudani", "bin Salman", "de Gaulle"). */
const PARTICLE = String.raw`(?:al|el|bin|ibn|de|da|van|von|der|la|le|of|du)`;
// Hyphenated parts must be capitalised too: "France-Presse" is a name, "US-led" is not.
const CAP_WORD = String.raw`[\p{Lu}][\p{L}\p{M}'’]*(?:-[\p{Lu}][\p{L}\p{M}'’]*)*(?![\p{L}-])`;
const NAME_RUN = new RegExp(String.raw`${CAP_WORD}(?:[ \t]+(?:${PARTICLE}[- ])?${CAP_WORD}|-${CAP_WORD}|[ \t]+${PARTICLE}-${CAP_WORD})*`, 'gu');

/**
 * Finds the names in the sentences of a source, each with its kind. Runs of
 * one word are kept only for words that are names on their own (places such as
 * "Baghdad", or words seen elsewhere in a longer name, like "Sanchez").
 */
export function findNames(text: string, sentences: Sentence[]): NameMention[] {
  const runs: PeeledRun[] = [];
  // A match found past the end of the sentence before, and where that search began: the next sentence's first match
  // when the search began at or before that sentence's start (NAME_RUN's matches do not depend on where a search begins).
  let ahead: RegExpExecArray | null = null;
  let aheadFrom = -1;
  for (const s of sentences) {
    // NAME_RUN runs over the whole text from the sentence's start instead of over a copy of the sentence: the same
    // matches (it looks at no character before a match) wherever edgesAreClean() says so, and elsewhere it takes the copy.
    const ownText = edgesAreClean(text, s) ? undefined : text.slice(s.start, s.end);
    const subject = ownText ?? text;
    const offset = ownText === undefined ? 0 : s.start;
    const reuse: boolean = ownText === undefined && ahead !== null && aheadFrom <= s.start && ahead.index >= s.start;
    if (!reuse) NAME_RUN.lastIndex = s.start - offset;
    for (let m: RegExpExecArray | null = reuse ? ahead : NAME_RUN.exec(subject); m; m = NAME_RUN.exec(subject)) {
      const at = m.index + offset;
      if (at >= s.end) {
        ahead = ownText === undefined ? m : null;
        aheadFrom = s.start;
        break;
      }
      const run = m[0];
      if (reuse && m === ahead) NAME_RUN.lastIndex = at + run.length; // where the search that found it stopped
      const sentenceStart = at === s.start || (at < s.start + 4 && /^["'“‘(\s]*$/.test(text.slice(s.start, at)));
      // Most runs are one capitalised word ("The", a sentence's first word): drop those before any further work.
      // (A run's only white space is spaces and tabs: its letters and marks are never white space.)
      const oneWord = run.indexOf(' ') < 0 && run.indexOf('\t') < 0;
      if (oneWord && run.indexOf('-') < 0 && (sentenceStart || STOP.has(run))) continue;
      const peeled = oneWord ? peelWord(run, at, sentenceStart, s) : peel(run, at, sentenceStart, s);
      if (peeled) runs.push(peeled);
    }
  }
  // A single capitalised word counts when it is a known place or part of a longer name in this source.
  // (A name's text has single spaces between its words: peel() made it so.)
  const partOfLonger = new Set<string>();
  for (const r of runs) {
    if (!r.text.includes(' ')) continue;
    r.words = wordsOf(r.text);
    for (const word of r.words) partOfLonger.add(word);
  }
  const names: NameMention[] = [];
  for (const r of runs) {
    const oneWord = !r.text.includes(' ') && !r.text.includes('-');
    if (oneWord && !(PLACE_WORDS.has(r.text) || ORGANISATION_WORDS.has(r.text) || (partOfLonger.has(r.text) && !NATIONALITY.test(r.text)))) continue;
    // Classified only now, for the runs kept: the words around the name, within its sentence.
    const end = r.start + r.text.length;
    names.push({ start: r.start, end, text: r.text, kind: classify(text, r, end) });
  }
  return names;
}

/**
 * Whether NAME_RUN's matches inside a sentence are the same in the whole text as in the sentence's text alone. They
 * are unless a run could reach the sentence's end: its last character can be part of a run (a letter, a mark, an
 * apostrophe, a hyphen, a space or a tab) and so can the character after it, or that character would fail the run's
 * closing look-ahead. (A match could also start one code unit early at a start inside a surrogate pair.) Sentences as
 * splitSentences() makes them almost always end at punctuation or at a line's end.
 */
function edgesAreClean(text: string, s: Sentence): boolean {
  if (isLowSurrogate(text.charCodeAt(s.start))) return false;
  return s.end >= text.length || !canBeInRun(text, s.end - 1) || !canBeInRun(text, s.end);
}

/** Whether the code unit at `i` could be part of a NAME_RUN match or decide its look-ahead (every surrogate counts: no need to pair them up). */
function canBeInRun(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c) || c === 0x27 || c === 0x2d || c === 0x20 || c === 0x09;
  if (c === 0x2019 || (c >= 0xd800 && c <= 0xdfff)) return true;
  return /[\p{L}\p{M}]/u.test(text[i]);
}

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Whether a word starts with an upper-case letter (the ASCII test first: it decides almost every word). */
function startsUpperCase(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  return /^\p{Lu}/u.test(word);
}

/** A word ending in a possessive "'s" (straight or curly). */
function endsPossessive(word: string): boolean {
  const n = word.length;
  if (n < 2 || word.charCodeAt(n - 1) !== 0x73) return false;
  const q = word.charCodeAt(n - 2);
  return q === 0x27 || q === 0x2019;
}

/** A name as peel() leaves it, before it is classified. */
interface PeeledRun {
  start: number;
  text: string;
  titled: boolean;
  sentence: Sentence;
  /** The words of a name of more than one word, once findNames() has read them (`undefined` for one word). */
  words: string[] | undefined;
}

/**
 * peel() for a run of one word (no space or tab in it): what peel() does with one word, without making a list of it.
 */
function peelWord(word: string, at: number, sentenceStart: boolean, sentence: Sentence): PeeledRun | undefined {
  if (STOP.has(word)) return undefined;
  const text = endsPossessive(word) ? word.slice(0, -2) : word;
  // A title alone ("President") is no name; nor is a sentence's first word, capitalised anyway.
  if (TITLE_WORDS.has(text) || sentenceStart || !startsUpperCase(word)) return undefined;
  return finish(text, word, 1, at, false, sentence);
}

/**
 * Strips titles, stop words and possessives from a capitalised run found at offset `at` of `sentence`
 * (a run with more than one word: peelWord() takes the others).
 */
function peel(run: string, at: number, sentenceStart: boolean, sentence: Sentence): PeeledRun | undefined {
  // The run's words (separated by spaces and tabs, NAME_RUN's only white space) and their offsets in the run.
  const words: string[] = [];
  const starts: number[] = [];
  let from = 0;
  for (let i = 0; i <= run.length; i++) {
    const c = i < run.length ? run.charCodeAt(i) : 0x20;
    if (c !== 0x20 && c !== 0x09) continue;
    if (i > from) {
      words.push(run.slice(from, i));
      starts.push(from);
    }
    from = i + 1;
  }
  let count = words.length;
  let first = 0;
  let titled = false;
  // Leading stop words ("The", "According") and leading nationality + title ("Iraqi Prime Minister", "Iraq's").
  while (first < count) {
    const word = words[first];
    if (STOP.has(word)) {
      first++;
      continue;
    }
    const possessive = endsPossessive(word);
    const bare = possessive ? word.slice(0, -2) : word;
    if (TITLE_WORDS.has(bare)) {
      titled = true;
      first++;
    } else if (first + 1 < count && TITLE_WORDS.has(words[first + 1]) && (possessive || NATIONALITY.test(bare))) first++;
    else break;
  }
  // A sentence's first word is capitalised anyway: keep it only when what follows is a name too.
  if (sentenceStart && count === 1 && first === 0) return undefined;
  while (first < count && !startsUpperCase(words[first])) first++;
  if (first === count) return undefined;
  // "Pedro Sanchez of Spain" is Pedro Sanchez; "Department of Defense" stays whole.
  const of = words.indexOf('of', first);
  if (of >= first + 2) {
    let keepsOf = false;
    for (let i = first; i < of && !keepsOf; i++) keepsOf = ORGANISATION_WORDS.has(words[i]) || PLACE_WORDS.has(words[i]);
    if (!keepsOf) count = of;
  }
  // "X of Spain", "X said": cut at a trailing stop word.
  for (let i = first + 1; i < count; i++) {
    if (STOP.has(words[i])) {
      count = i;
      break;
    }
  }
  const firstWord = words[first];
  let text = count - first === 1 ? firstWord : run.slice(starts[first], starts[count - 1] + words[count - 1].length);
  if (endsPossessive(text)) text = text.slice(0, -2);
  return finish(text, firstWord, count - first, at + starts[first], titled, sentence);
}

/** The last of peel(): a trailing apostrophe, white space inside, and runs too short to be a name. `text` has lost its "'s" already. */
function finish(text: string, firstWord: string, wordCount: number, start: number, titled: boolean, sentence: Sentence): PeeledRun | undefined {
  // A trailing apostrophe goes ("Jones'"), unless the first word ends in one and more words follow (kept as written).
  const last = text.charCodeAt(text.length - 1);
  if ((last === 0x27 || last === 0x2019) && !(wordCount > 1 && /\p{L}['’]$/u.test(firstWord))) text = text.slice(0, -1);
  // Words of a run are separated by spaces and tabs only (NAME_RUN); one word has neither.
  if (wordCount > 1 && (text.includes('\t') || text.includes('  '))) text = text.replace(/[\s]+/g, ' ');
  if (text.length < 2 || (text.length === 2 && /^\p{Lu}$/u.test(text))) return undefined; // (one letter outside the BMP is two code units)
  return { start, text, titled, sentence, words: undefined };
}

/**
 * The words of a name as peel() leaves it, with single spaces between them: `name.split(' ')`, made with indexOf()
 * and slice() because split() goes through the runtime and cost more than the rest of findNames' last loop.
 */
function wordsOf(name: string): string[] {
  const words: string[] = [];
  let from = 0;
  for (let space = name.indexOf(' '); space >= 0; space = name.indexOf(' ', from)) {
    words.push(name.slice(from, space));
    from = space + 1;
  }
  words.push(name.slice(from));
  return words;
}

/** Words before a name that make it a person's. */
const PERSON_BEFORE = /\b(?:Mr|Mrs|Ms|Dr|President|Minister|spokes(?:wo)?man|spokesperson|secretary|commander|leader|chief)\s*$/i;
/** The last letters of PERSON_BEFORE's words: a cheap first look, since that regular expression tries every position. */
const PERSON_BEFORE_LAST_LETTERS = new Set('rstnyfRSTNYF');

/** The kind of the name `r`, read from its words and the words around it within its sentence (up to 40 characters before, 30 after). */
function classify(text: string, r: PeeledRun, end: number): NameMention['kind'] {
  const name = r.text;
  const words = r.words ?? [name];
  const lastWord = words[words.length - 1];
  if (words.some((w) => ORGANISATION_WORDS.has(w))) return 'organisation';
  if (PLACE_WORDS.has(lastWord) || (words.length === 1 && PLACE_WORDS.has(name))) return 'place';
  if (r.titled) return 'person';
  const before = text.slice(Math.max(r.sentence.start, r.start - 40), r.start);
  const trimmed = before.trimEnd(); // trimEnd() removes exactly what \s matches
  if (PERSON_BEFORE_LAST_LETTERS.has(trimmed[trimmed.length - 1]) && PERSON_BEFORE.test(before)) return 'person';
  const after = text.slice(end, Math.min(r.sentence.end, end + 30));
  if (/^,?\s*(?:said|says|told|added|stated|who)\b/.test(after)) return 'person';
  if (words.some((w) => /^(?:al|Al|el|El|bin|ibn)-/.test(w)) || (words.length >= 2 && words.length <= 4 && !/^(?:of|in)\b/.test(after))) return 'person';
  return 'other';
}
