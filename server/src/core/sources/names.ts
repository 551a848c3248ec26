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
  for (const s of sentences) {
    const chunk = text.slice(s.start, s.end);
    NAME_RUN.lastIndex = 0;
    for (let m = NAME_RUN.exec(chunk); m; m = NAME_RUN.exec(chunk)) {
      const sentenceStart = m.index === 0 || (m.index < 4 && /^["'“‘(\s]*$/.test(chunk.slice(0, m.index)));
      // Most runs are one capitalised word ("The", a sentence's first word): drop those before any further work.
      if (!/[\s-]/.test(m[0]) && (sentenceStart || STOP.has(m[0]))) continue;
      const run = peel(chunk, m.index, m[0], sentenceStart, s);
      if (run) runs.push(run);
    }
  }
  // A single capitalised word counts when it is a known place or part of a longer name in this source.
  // (A name's text has single spaces between its words: peel() made it so.)
  const partOfLonger = new Set<string>();
  for (const r of runs) if (r.text.includes(' ')) for (const word of r.text.split(' ')) partOfLonger.add(word);
  const names: NameMention[] = [];
  for (const r of runs) {
    if (!(/[\s-]/.test(r.text) || PLACE_WORDS.has(r.text) || ORGANISATION_WORDS.has(r.text) || (partOfLonger.has(r.text) && !NATIONALITY.test(r.text)))) continue;
    // Classified only now, for the runs kept: the words around the name, within its sentence.
    const end = r.start + r.text.length;
    const before = text.slice(Math.max(r.sentence.start, r.start - 40), r.start);
    const after = text.slice(end, Math.min(r.sentence.end, end + 30));
    names.push({ start: r.start, end, text: r.text, kind: classify(r.text, r.titled, before, after) });
  }
  return names;
}

/** A name as peel() leaves it, before it is classified. */
interface PeeledRun {
  start: number;
  text: string;
  titled: boolean;
  sentence: Sentence;
}

/** Strips titles, stop words and possessives from a capitalised run found at `at` in the chunk of `sentence`. */
function peel(chunk: string, at: number, run: string, sentenceStart: boolean, sentence: Sentence): PeeledRun | undefined {
  const words: Array<{ text: string; start: number }> = [];
  if (!/\s/.test(run)) words.push({ text: run, start: at });
  else {
    const re = /\S+/g;
    for (let m = re.exec(run); m; m = re.exec(run)) words.push({ text: m[0], start: at + m.index });
  }
  let titled = false;
  // Leading stop words ("The", "According") and leading nationality + title ("Iraqi Prime Minister", "Iraq's").
  while (words.length) {
    const bare = words[0].text.replace(/['’]s$/, '');
    if (STOP.has(words[0].text)) words.shift();
    else if (TITLE_WORDS.has(bare)) {
      titled = true;
      words.shift();
    } else if (words.length > 1 && (NATIONALITY.test(bare) || /['’]s$/.test(words[0].text)) && TITLE_WORDS.has(words[1].text)) words.shift();
    else break;
  }
  // A sentence's first word is capitalised anyway: keep it only when what follows is a name too.
  if (sentenceStart && words.length === 1 && words[0].start === at && !titled) return undefined;
  while (words.length && !/^\p{Lu}/u.test(words[0].text)) words.shift();
  if (words.length === 0) return undefined;
  // "Pedro Sanchez of Spain" is Pedro Sanchez; "Department of Defense" stays whole.
  const of = words.findIndex((w) => w.text === 'of');
  if (of >= 2 && !words.slice(0, of).some((w) => ORGANISATION_WORDS.has(w.text) || PLACE_WORDS.has(w.text))) words.length = of;
  // "X of Spain", "X said": cut at a trailing stop word.
  const end = words.findIndex((w, i) => i > 0 && STOP.has(w.text));
  if (end > 0) words.length = end;
  const first = words[0];
  const last = words[words.length - 1];
  let text = chunk.slice(first.start, last.start + last.text.length);
  // The cheap character checks only skip replacements that would change nothing.
  if (text.endsWith('s')) text = text.replace(/['’]s$/, '');
  if (text.endsWith("'") || text.endsWith('’')) text = text.replace(/['’]$/, (q) => (/\p{L}['’]$/u.test(first.text) && words.length > 1 ? q : ''));
  // Words of a run are separated by spaces and tabs only (NAME_RUN).
  if (text.includes('\t') || text.includes('  ')) text = text.replace(/[\s]+/g, ' ');
  if (text.length < 2 || /^\p{Lu}$/u.test(text)) return undefined;
  return { start: sentence.start + first.start, text, titled, sentence };
}

function classify(name: string, titled: boolean, before: string, after: string): NameMention['kind'] {
  const words = name.split(' '); // peel() leaves single spaces between words
  const lastWord = words[words.length - 1];
  if (words.some((w) => ORGANISATION_WORDS.has(w))) return 'organisation';
  if (PLACE_WORDS.has(lastWord) || (words.length === 1 && PLACE_WORDS.has(name))) return 'place';
  if (titled || /\b(?:Mr|Mrs|Ms|Dr|President|Minister|spokes(?:wo)?man|spokesperson|secretary|commander|leader|chief)\s*$/i.test(before)) return 'person';
  if (/^,?\s*(?:said|says|told|added|stated|who)\b/.test(after)) return 'person';
  if (words.some((w) => /^(?:al|Al|el|El|bin|ibn)-/.test(w)) || (words.length >= 2 && words.length <= 4 && !/^(?:of|in)\b/.test(after))) return 'person';
  return 'other';
}
