/**
 * The figure index: which source sentences hold a number, keyed by their
 * content words. Building it is a cheap scan (a character scan for digits and
 * number words, then the words near each number into postings lists); the
 * number recogniser, which costs about a millisecond per kilobyte, runs only at
 * query time on the few candidate sentences that share words with a draft
 * figure, and its results are cached per sentence.
 *
 * The state is columnar, in page-grown typed arrays, so that it holds few heap
 * objects and turns into a snapshot (and back) by copying arrays:
 * - sentences: for each sentence id, the slot of its source and where the sentence
 *   stands (start, end, paragraph); ids only grow, and a source's sentences take a run of them;
 * - slots: one per added source (its id, its run of sentence ids), emptied when
 *   the source is removed, so a sentence is alive while its slot is;
 * - postings: per content word (an id in `keys`), the sentences filed under it,
 *   in two tiers: a compact run per word in one array (read fast), and the
 *   postings added since, chained per word (added cheaply). The chained ones
 *   join the runs when a query meets many of them, and before a snapshot.
 *   Removed sentences stay in the postings (lookups skip them) until they
 *   outnumber the live ones.
 */
import type { Sentence, Source } from '../types';
import { grown, PagedInt32 } from './pagedInt32';
import type { IndexPart, PartSnapshot, PartSnapshotValue, SourceHints } from './corpusIndex';
import { ownCopy, wordHash, WordScanner } from '../text';
import { Lexicon, type SourceWords } from './lexicon';
import { readSentenceFigures, stem, STOPWORDS, type Figure } from '../figures/read';
import { spansOf } from './storedSource';
import { int32Of } from './snapshotPieces';

/** Sentence ids, each once, in the order met (see `FigureIndex.union`). */
interface SentenceSet {
  size: number;
  has(id: number): boolean;
  ids: Int32Array;
}

/** A figure read from a source sentence. */
export interface SourceFigure extends Figure {
  source: Source;
  sentence: Sentence;
}

/** Postings longer than this share of the indexed sentences are too common to rank by… */
const COMMON_SHARE = 0.005;
/** …but never below this many (a small corpus has no common words). */
const COMMON_FLOOR = 200;

/** How far either side of a number its sentence's words are indexed (characters; the words that describe a figure stand near it). */
const REACH = 60;

/** Figures read at query time kept for the next query (a draft check reads a few thousand sentences). */
const FIGURE_CACHE_LIMIT = 20_000;


// ---- Where the numbers are -------------------------------------------------------------------------------------
//
// The same matches as `NUMBERISH` (figures/recognize.ts) searched globally in the sentence alone: an ASCII digit, or a
// whole ASCII word (`\b…\b`, so a run of [A-Za-z0-9_]) that is an English number word in any case. Scanned by
// character code: no slice of the sentence and no regular expression per sentence.

const NUMBER_WORDS = new Set(
  'two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen dozens half third quarter'.split(
    ' ',
  ),
);
/** Hashes of the number words in lower case, so most words are ruled out without a string. */
const NUMBER_WORD_HASHES = new Set([...NUMBER_WORDS].map((w) => lowerHash(w, 0, w.length)));
/** The first two letters of the number words, as `27 * first + second` of their places in the alphabet (see `UNIT_INFO`). */
const NUMBER_WORD_STARTS = new Uint8Array(27 * 27);
for (const w of NUMBER_WORDS) NUMBER_WORD_STARTS[27 * (w.charCodeAt(0) - 96) + (w.charCodeAt(1) - 96)] = 1;
const SHORTEST_NUMBER_WORD = 3;
const LONGEST_NUMBER_WORD = 9;

function lowerHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (text.charCodeAt(i) | 32), 0x01000193);
  return h;
}

/** Classes of ASCII units: `\w` of a regular expression without the `u` flag, split into digits, letters and "_". */
const UNIT_OTHER = 0;
const UNIT_DIGIT = 1;
const UNIT_LETTER = 2;
const UNIT_UNDERSCORE = 3;
const ASCII_UNIT = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_UNIT[c] = UNIT_DIGIT;
for (let c = 65; c <= 90; c++) ASCII_UNIT[c] = ASCII_UNIT[c + 32] = UNIT_LETTER;
ASCII_UNIT[95] = UNIT_UNDERSCORE;
/**
 * Per ASCII unit (unit 0 stands for everything beyond ASCII), in one byte: a letter's place in the alphabet (1 to
 * 26, either case; 0 for anything else) in bits 0-4, `NOT_WORD_BIT` where it is not `\w`, `DIGIT_BIT` for a digit.
 */
const UNIT_INFO = new Uint8Array(128);
const NOT_WORD_BIT = 32;
const DIGIT_BIT = 64;
for (let c = 0; c < 128; c++) {
  const unit = ASCII_UNIT[c];
  UNIT_INFO[c] = unit === UNIT_DIGIT ? DIGIT_BIT : unit === UNIT_OTHER ? NOT_WORD_BIT : unit === UNIT_LETTER ? (c | 32) - 96 : 0;
}

/** `\s` of a regular expression. */
function isSpaceUnit(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The end of the number `nextNumber` found last. */
let matchEnd = 0;

/**
 * Where the next number of `text[start, end)` stands at or after `from`: its start and (in `matchEnd`) its end, or
 * -1. A number word only counts as a whole word of the sentence: the sentence's edges are word boundaries.
 *
 * One pass of table lookups with hardly a branch: a word is looked at only when its first two letters begin a
 * number word, which is seen at its second letter (the unit two back is not `\w`, the two letters are such a start).
 */
function nextNumber(text: string, start: number, end: number, from: number): number {
  let notWordBefore = 1;
  if (from > start) {
    const c = text.charCodeAt(from - 1);
    notWordBefore = (UNIT_INFO[c < 128 ? c : 0] & NOT_WORD_BIT) >> 5;
  }
  let notWordTwoBack = 1;
  // No word may start before `from`.
  let letterBefore = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    const info = UNIT_INFO[c < 128 ? c : 0];
    if (info >= DIGIT_BIT) {
      matchEnd = i + 1;
      return i;
    }
    const letter = info & 31;
    if ((notWordTwoBack & NUMBER_WORD_STARTS[27 * letterBefore + letter]) !== 0) {
      const wordStart = i - 1;
      let e = i + 1;
      for (let u = text.charCodeAt(e); e < end && u < 128 && ASCII_UNIT[u] !== UNIT_OTHER; u = text.charCodeAt(++e));
      const length = e - wordStart;
      if (length >= SHORTEST_NUMBER_WORD && length <= LONGEST_NUMBER_WORD && NUMBER_WORD_HASHES.has(lowerHash(text, wordStart, e)) && NUMBER_WORDS.has(text.slice(wordStart, e).toLowerCase())) {
        matchEnd = e;
        return wordStart;
      }
      // Digits inside the word still count.
    }
    notWordTwoBack = notWordBefore;
    notWordBefore = info >> 5;
    letterBefore = letter;
  }
  return -1;
}

/**
 * The sentences of a source that hold a number, with the stretches of each
 * that the figure index files under their words (see `numberWindows`): read
 * from the text and the sentences alone, so that a parsing worker can read
 * them with the rest of the source (see `sourceFile.ts`). Flat: per such
 * sentence its number among the sentences, the number of stretches, then
 * each stretch's start and end. The sentences are `count` triples (start,
 * end, paragraph) from `spans[at]`.
 */
export function sentenceNumberWindows(text: string, spans: Int32Array, at: number, count: number): Int32Array {
  const out: number[] = [];
  const windows = { spans: new Int32Array(16) };
  for (let s = 0; s < count; s++) {
    const n = numberWindows(text, spans[at + 3 * s], spans[at + 3 * s + 1], windows);
    if (n === 0) continue;
    out.push(s, n);
    for (let k = 0; k < 2 * n; k++) out.push(windows.spans[k]);
  }
  return Int32Array.from(out);
}

/**
 * The stretches of `text[start, end)` within `REACH` of a number, widened to whole words (space to space) and
 * merged, as pairs of offsets into `out` (grown as needed); returns how many pairs. None when the sentence has no number.
 */
function numberWindows(text: string, start: number, end: number, out: { spans: Int32Array }): number {
  let count = 0;
  let at = start;
  for (let index = nextNumber(text, start, end, at); index >= 0; index = nextNumber(text, start, end, at)) {
    const length = matchEnd - index;
    let from = Math.max(start, index - REACH);
    let to = Math.min(end, index + length + REACH);
    // Whole words only.
    while (from > start && !isSpaceUnit(text.charCodeAt(from - 1))) from--;
    while (to < end && !isSpaceUnit(text.charCodeAt(to))) to++;
    if (count > 0 && from <= out.spans[2 * count - 1]) out.spans[2 * count - 1] = to;
    else {
      if (2 * count + 2 > out.spans.length) out.spans = grown(out.spans, 2 * count + 2, 0);
      out.spans[2 * count] = from;
      out.spans[2 * count + 1] = to;
      count++;
    }
    at = Math.max(matchEnd, to);
  }
  return count;
}

// ---- Content-word keys -----------------------------------------------------------------------------------------
//
// The keys of `contentKeys` (figures/read.ts), read from the lexicon's words: each spelling as written is stemmed
// once (see `infoOf`).

/** What `contentKeys` needs to know of a word's normal form besides its key: whether it is one half of "U.S." or "United States". */
const NORM_OTHER = 0;
const NORM_U = 1;
const NORM_S = 2;
const NORM_UNITED = 3;
const NORM_STATES = 4;
/** Set on the spelling "Washington", which is also filed under "us" (see `canonical` in figures/read.ts). */
const WASHINGTON = 8;
const NORM_MASK = 7;

/** The shape of `snapshot()`'s data; a snapshot of another version is refused. */
const SNAPSHOT_VERSION = 4;

/** Chained postings below this many are never worth joining to the runs. */
const JOIN_FLOOR = 4096;

function normCode(norm: string): number {
  return norm === 'u' ? NORM_U : norm === 's' ? NORM_S : norm === 'united' ? NORM_UNITED : norm === 'states' ? NORM_STATES : NORM_OTHER;
}

/**
 * Throws, with what is wrong, unless `snapshot` has the shape `FigureIndex.snapshot()` gives: a damaged or foreign
 * snapshot is refused before the index changes, rather than read into wrong answers.
 */
function checkSnapshot(snapshot: PartSnapshot): void {
  const fail = (what: string) => {
    throw new Error(`figure index snapshot: ${what}`);
  };
  if (snapshot.version !== SNAPSHOT_VERSION) fail(`version ${String(snapshot.version)}, expected ${SNAPSHOT_VERSION}`);
  const ints = (field: string): Int32Array => {
    const value = int32Of(snapshot[field]);
    if (!value) return fail(`${field} is not an Int32Array`) as never;
    return value;
  };
  const strings = (field: string): string[] => {
    const value = snapshot[field];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return fail(`${field} is not a list of strings`) as never;
    return value;
  };
  const sentences = ints('sentenceSlot').length;
  for (const field of ['sentenceStart', 'sentenceEnd', 'sentenceParagraph']) if (ints(field).length !== sentences) fail(`${field} does not cover every sentence`);
  const slots = strings('slotIds').length;
  for (const field of ['slotFirst', 'slotCount']) if (ints(field).length !== slots) fail(`${field} does not cover every source`);
  const sentenceSlot = ints('sentenceSlot');
  for (let i = 0; i < sentences; i++) if (sentenceSlot[i] < 0 || sentenceSlot[i] >= slots) fail('a sentence of no source');
  const words = strings('keys').length;
  const counts = ints('wordCount');
  if (counts.length !== words || ints('wordLast').length !== words) fail('word counts do not cover every word');
  let postings = 0;
  for (const count of counts) postings += count;
  const ids = ints('postings');
  if (ids.length !== postings) fail(`${ids.length} postings where the words count ${postings}`);
  for (let i = 0; i < ids.length; i++) if (ids[i] < 0 || ids[i] >= sentences) fail('a posting of no sentence');
  if (typeof snapshot.live !== 'number' || typeof snapshot.stale !== 'number') fail('live and stale counts missing');
}

/** The figure index: an `IndexPart` kept in step with the corpus. */
export class FigureIndex implements IndexPart {
  // Sentences, by id.
  private sentenceSlot = new PagedInt32();
  /** Where each sentence stands (its `Sentence`), so a query needs only its source's text. */
  private sentenceStart = new PagedInt32();
  private sentenceEnd = new PagedInt32();
  private sentenceParagraph = new PagedInt32();
  // Sources, by slot.
  private slotIds: string[] = [];
  /** The slot's source, once known (given to `add`, or asked of `sourceOf` after a restore). */
  private slotSources: Array<Source | undefined> = [];
  private slotFirst = new PagedInt32();
  private slotCount = new PagedInt32();
  /** Slot by source id; after a restore made on first use (a warm start need not build it before the first change). */
  private slotByIdOrNone: Map<string, number> | undefined = new Map();
  private sourceOf: (id: string) => Source | undefined = () => undefined;
  // Postings, by word id.
  private keys: string[] = [];
  /**
   * Word id by word: an open-addressing table of word id + 1 (0 where empty) by the word's hash (`wordHash`), which
   * holds no string of its own and is cheaper than a Map to add to. After a restore it is made on first use.
   */
  private wordSlots: Int32Array | undefined = new Int32Array(1 << 12);
  private keyHashes: Int32Array = new Int32Array(1024);
  /** Per word, its postings in all (removed sentences included until the next compaction). */
  private wordCount: Int32Array = new Int32Array(1024);
  /** The newest sentence id filed under each word (so a word met again in a sentence is known without a lookup). */
  private wordLast: Int32Array = new Int32Array(1024).fill(-1);
  /** The compact tier: word `w`'s postings, oldest first, are `runIds[runFirst[w], runFirst[w] + runCount[w])`. */
  private runFirst: Int32Array = new Int32Array(1024);
  private runCount: Int32Array = new Int32Array(1024);
  private runIds = new Int32Array(0);
  /** The chained tier, newest first: `addedHead[w]` the newest posting of word `w`, `addedNext` the next older. */
  private addedHead: Int32Array = new Int32Array(1024).fill(-1);
  private addedSentence = new PagedInt32();
  private addedNext = new PagedInt32();
  private addedWord = new PagedInt32();
  /** Reads sources into words; shared with the other parts when the corpus index gives its own (`useLexicon`). */
  private lexicon = new Lexicon();
  /**
   * Per spelling number of the lexicon, 1 + its word id + 1 (0 for no key) times 16 plus its `NORM_*` code and
   * `WASHINGTON` flag; 0 until the spelling is first met. A memo, started afresh after a restore.
   */
  private infoOfSpelling = new Int32Array(1 << 12);

  private get slotOf(): Map<string, number> {
    if (this.slotByIdOrNone) return this.slotByIdOrNone;
    const map = new Map<string, number>();
    for (let slot = 0; slot < this.slotIds.length; slot++) if (this.slotCount.get(slot) >= 0) map.set(this.slotIds[slot], slot);
    return (this.slotByIdOrNone = map);
  }

  /** The table of words (see `wordSlots`), large enough for `words` of them at most half full. */
  private wordTable(words = this.keys.length): Int32Array {
    if (this.wordSlots && words * 2 <= this.wordSlots.length) return this.wordSlots;
    // After a restore, the words' hashes are worked out here, on first use.
    if (!this.wordSlots) for (let word = 0; word < this.keys.length; word++) this.keyHashes[word] = wordHash(this.keys[word], 0, this.keys[word].length);
    let size = 1 << 12;
    while (size < words * 2) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let word = 0; word < this.keys.length; word++) {
      let at = this.keyHashes[word] & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = word + 1;
    }
    return (this.wordSlots = slots);
  }

  /** The id of word `key`, or -1 when no sentence was ever filed under it. */
  private findKey(key: string): number {
    const hash = wordHash(key, 0, key.length);
    const slots = this.wordTable();
    const mask = slots.length - 1;
    for (let at = hash & mask, k = slots[at]; k !== 0; k = slots[(at = (at + 1) & mask)]) {
      if (this.keyHashes[k - 1] === hash && this.keys[k - 1] === key) return k - 1;
    }
    return -1;
  }

  /** The word id of "us", filed under for "U.S.", "United States" and "Washington" (-1 until first needed). */
  private usWord = -1;
  private get usId(): number {
    if (this.usWord < 0) this.usWord = this.keyId('us');
    return this.usWord;
  }

  private readonly figures = new Map<number, SourceFigure[]>();
  /** Marks of `union`: sentence id → the stamp of the last union that held it. */
  private unionMark = new Int32Array(0);
  private unionStamp = 0;
  private unionList = new Int32Array(0);
  /** Scratch scores of `candidates`, by sentence id, and which were scored: all 0 between calls. */
  private scoreOf = new Float64Array(0);
  private scoredMark = new Uint8Array(0);
  private stale = 0;
  private live = 0;

  /** Reads sources with `lexicon` from now on (the corpus index's, shared by its parts), so a source is read once for all. */
  useLexicon(lexicon: Lexicon): void {
    if (lexicon === this.lexicon) return;
    this.lexicon = lexicon;
    this.infoOfSpelling.fill(0);
  }

  add(source: Source, words?: SourceWords, hints?: SourceHints): void {
    if (!words || words.lexicon !== this.lexicon) words = this.lexicon.read(source.text, source.bodyStart);
    // Grown with room to spare: growing touches new memory, which a change to one file should rarely pay for.
    if (this.lexicon.spellingCount > this.infoOfSpelling.length) this.infoOfSpelling = grown(this.infoOfSpelling, this.lexicon.spellingCount * 2);
    if (this.slotOf.has(source.id)) this.remove(source);
    const slot = this.slotIds.length;
    const first = this.sentenceSlot.length;
    this.slotIds.push(source.id);
    this.slotSources.push(source);
    this.slotOf.set(source.id, slot);
    const text = source.text;
    // Read from the packed body of a source the index keeps packed, so adding a source does not unpack it into objects.
    const { body: spans, sentencesAt: at, sentenceCount: sentences } = spansOf(source);
    const windows = hints?.numberWindows ?? sentenceNumberWindows(text, spans, at, sentences);
    for (let w = 0; w < windows.length; w += 2 + 2 * windows[w + 1]) {
      const s = windows[w];
      const id = this.sentenceSlot.push(slot);
      this.sentenceStart.push(spans[at + 3 * s]);
      this.sentenceEnd.push(spans[at + 3 * s + 1]);
      this.sentenceParagraph.push(spans[at + 3 * s + 2]);
      for (let k = 0; k < windows[w + 1]; k++) this.fileWords(text, windows[w + 2 + 2 * k], windows[w + 3 + 2 * k], id, words);
    }
    const count = this.sentenceSlot.length - first;
    this.slotFirst.push(first);
    this.slotCount.push(count);
    this.live += count;
  }

  /**
   * Files sentence `id` under the content-word keys of the words starting in `text[start, end)`, as `contentKeys`
   * reads them: the source's words, and where `start` falls inside a word, the rest of it as a word of its own (as a
   * scan from `start` reads it).
   */
  private fileWords(text: string, start: number, end: number, id: number, words: SourceWords): void {
    let previous = NORM_OTHER;
    let i = words.firstAt(start);
    if (i > 0 && words.ends[i - 1] > start) {
      const scanner = new WordScanner(text, start);
      if (!scanner.next() || scanner.start >= end) return;
      previous = this.fileWord(this.lexicon.spelling(text, scanner.start, scanner.end, scanner.hash), text, scanner.start, scanner.end, previous, id);
      // The source's words again after it (the lexicon's test holds a scan from there to read them).
      i = words.firstAt(scanner.end);
    }
    const { starts, ends, spellings } = words;
    for (; i < words.count && starts[i] < end; i++) previous = this.fileWord(spellings[i], text, starts[i], ends[i], previous, id);
  }

  /** Files sentence `id` under the key of one word (spelling number `spelling`); returns its `NORM_*` code, the next word's `previous`. */
  private fileWord(spelling: number, text: string, start: number, end: number, previous: number, id: number): number {
    let info = spelling < this.infoOfSpelling.length ? this.infoOfSpelling[spelling] - 1 : -1;
    if (info < 0) info = this.infoOf(spelling, text, start, end);
    const norm = info & NORM_MASK;
    if ((previous === NORM_U && norm === NORM_S) || (previous === NORM_UNITED && norm === NORM_STATES) || info & WASHINGTON) this.post(this.usId, id);
    const word = (info >> 4) - 1;
    if (word >= 0) this.post(word, id);
    return norm;
  }

  /** Adds sentence `id` to word `word`'s postings, once per sentence. */
  private post(word: number, id: number): void {
    // Ids only grow, so a word met twice in one sentence has just been filed under it.
    if (this.wordLast[word] === id) return;
    this.addedNext.push(this.addedHead[word]);
    this.addedWord.push(word);
    this.addedHead[word] = this.addedSentence.push(id);
    this.wordLast[word] = id;
    this.wordCount[word]++;
  }

  /** The id of word `key`, made if new. */
  private keyId(key: string): number {
    let id = this.findKey(key);
    if (id < 0) {
      id = this.keys.length;
      this.keys.push(ownCopy(key));
      if (id >= this.wordCount.length) {
        this.keyHashes = grown(this.keyHashes, id + 1, 0);
        this.wordCount = grown(this.wordCount, id + 1, 0);
        this.wordLast = grown(this.wordLast, id + 1, -1);
        this.runFirst = grown(this.runFirst, id + 1, 0);
        this.runCount = grown(this.runCount, id + 1, 0);
        this.addedHead = grown(this.addedHead, id + 1, -1);
      }
      const hash = wordHash(key, 0, key.length);
      this.keyHashes[id] = hash;
      const slots = this.wordTable(id + 1);
      const mask = slots.length - 1;
      let at = hash & mask;
      while (slots[at] !== 0 && slots[at] !== id + 1) at = (at + 1) & mask;
      slots[at] = id + 1;
    }
    return id;
  }

  /** The key and `NORM_*` code of spelling number `spelling` (`text[start, end)`), worked out the first time it is met (see `infoOfSpelling`). */
  private infoOf(spelling: number, text: string, start: number, end: number): number {
    const raw = text.slice(start, end);
    const w = this.lexicon.form(this.lexicon.formOf(spelling));
    // As `contentKeys` keys a word: no stop words, numbers or stray letters; the names of the US as one.
    const key = STOPWORDS.has(w) || /^\p{N}/u.test(w) || w.length < 2 ? null : w === 'american' || w === 'americans' || w === 'america' || w === 'usa' ? 'us' : stem(w);
    const info = ((key === null ? 0 : this.keyId(key) + 1) << 4) | normCode(w) | (raw === 'Washington' ? WASHINGTON : 0);
    this.infoOfSpelling = grown(this.infoOfSpelling, spelling + 1);
    this.infoOfSpelling[spelling] = info + 1;
    return info;
  }

  remove(source: Source): void {
    const slot = this.slotOf.get(source.id);
    if (slot === undefined) return;
    const first = this.slotFirst.get(slot);
    const count = this.slotCount.get(slot);
    for (let id = first; id < first + count; id++) this.figures.delete(id);
    this.slotOf.delete(source.id);
    // -1 sentences: the slot is empty (its source removed).
    this.slotCount.set(slot, -1);
    this.slotIds[slot] = '';
    this.slotSources[slot] = undefined;
    this.live -= count;
    this.stale += count;
    // Postings keep removed ids until they outnumber live ones; lookups skip them meanwhile.
    if (this.stale > Math.max(1000, this.live)) this.compact();
  }

  /** How many source sentences hold a number (for status and tests). */
  get size(): number {
    return this.live;
  }

  private isLive(id: number): boolean {
    return id >= 0 && id < this.sentenceSlot.length && this.slotCount.get(this.sentenceSlot.get(id)) >= 0;
  }

  /** Joins the chained postings to the compact runs when they have grown past an eighth of them (a query's reads stay fast). */
  private joinIfWorthIt(): void {
    if (this.addedSentence.length > Math.max(JOIN_FLOOR, this.runIds.length >> 3)) this.join(false);
  }

  /**
   * Lays every word's postings out in one run, oldest first: its run so far, then its chained postings. With
   * `dropRemoved`, sentences of removed sources are left out (the compaction). Sequential reads, one pass per tier.
   */
  private join(dropRemoved: boolean): void {
    if (!dropRemoved && this.addedSentence.length === 0) return;
    const words = this.keys.length;
    const count = new Int32Array(this.wordCount.length);
    const added = this.addedSentence.length;
    if (!dropRemoved) count.set(this.wordCount.subarray(0, words));
    else {
      for (let word = 0; word < words; word++) {
        const first = this.runFirst[word];
        for (let k = first; k < first + this.runCount[word]; k++) if (this.isLive(this.runIds[k])) count[word]++;
      }
      for (let p = 0; p < added; p++) if (this.isLive(this.addedSentence.get(p))) count[this.addedWord.get(p)]++;
    }
    const first = new Int32Array(this.wordCount.length);
    const cursor = new Int32Array(this.wordCount.length);
    let total = 0;
    for (let word = 0; word < words; word++) {
      first[word] = total;
      total += count[word];
    }
    const ids = new Int32Array(total);
    for (let word = 0; word < words; word++) {
      let at = first[word];
      const from = this.runFirst[word];
      const to = from + this.runCount[word];
      if (!dropRemoved) {
        ids.set(this.runIds.subarray(from, to), at);
        at += to - from;
      } else {
        for (let k = from; k < to; k++) if (this.isLive(this.runIds[k])) ids[at++] = this.runIds[k];
      }
      cursor[word] = at;
    }
    for (let p = 0; p < added; p++) {
      const id = this.addedSentence.get(p);
      if (!dropRemoved || this.isLive(id)) ids[cursor[this.addedWord.get(p)]++] = id;
    }
    this.runIds = ids;
    this.runFirst = first;
    this.runCount = count;
    if (dropRemoved) {
      this.wordCount = count.slice();
      for (let word = 0; word < words; word++) this.wordLast[word] = count[word] > 0 ? ids[first[word] + count[word] - 1] : -1;
    }
    this.addedHead.fill(-1);
    this.addedSentence = new PagedInt32();
    this.addedNext = new PagedInt32();
    this.addedWord = new PagedInt32();
  }

  /**
   * Source sentences sharing the most words with `words`, best first. When
   * `required` is given, a sentence must contain one of those words (the
   * counted thing, "soldier" or "troop"). Rare words weigh more than common ones.
   */
  candidates(words: Map<string, number>, required: string[] | undefined, limit: number): number[] {
    this.joinIfWorthIt();
    const allowed = required ? this.union(required) : undefined;
    if (allowed && allowed.size === 0) return [];
    // Words in more than a few percent of the sentences say little and cost much: they are left out of the ranking.
    const common = Math.max(COMMON_FLOOR, this.live * COMMON_SHARE);
    // Scores by sentence id in an array kept between calls (only the entries scored are reset): a map, and sorting
    // every sentence scored, were a third of a draft's check once the corpus had 9,000 articles.
    if (this.scoreOf.length < this.sentenceSlot.length) {
      this.scoreOf = new Float64Array(this.sentenceSlot.length + (this.sentenceSlot.length >> 2) + 1024);
      this.scoredMark = new Uint8Array(this.scoreOf.length);
    }
    const scoreOf = this.scoreOf;
    const scoredMark = this.scoredMark;
    const scored: number[] = [];
    const credit = (id: number, points: number) => {
      if (allowed && !allowed.has(id)) return;
      if (scoredMark[id] === 0) {
        scoredMark[id] = 1;
        scored.push(id);
      }
      scoreOf[id] += points;
    };
    const vote = (word: number, weight: number) => {
      const rarity = 1 / Math.log2(2 + this.wordCount[word]);
      const points = weight * rarity;
      const from = this.runFirst[word];
      for (let k = from; k < from + this.runCount[word]; k++) credit(this.runIds[k], points);
      for (let p = this.addedHead[word]; p >= 0; p = this.addedNext.get(p)) credit(this.addedSentence.get(p), points);
    };
    const skipped: Array<{ word: number; weight: number }> = [];
    for (const [key, weight] of words) {
      const word = this.findKey(key);
      if (word < 0) continue;
      if (this.wordCount[word] > common) skipped.push({ word, weight });
      else vote(word, weight);
    }
    // Context made only of common words ("federal funds over the next 5 years": in a corpus of 9,000 articles each is in
    // thousands of sentences) still ranks by its two least common ones, as a quotation of common phrases does.
    if (scored.length === 0) {
      for (const { word, weight } of skipped.sort((a, b) => this.wordCount[a.word] - this.wordCount[b.word]).slice(0, 2)) vote(word, weight);
    }
    // The best `limit`, by score, then by id: kept in order as they are met, which beats sorting thousands.
    const best: number[] = [];
    const before = (a: number, b: number) => scoreOf[a] > scoreOf[b] || (scoreOf[a] === scoreOf[b] && a < b);
    for (const id of scored) {
      if (!this.isLive(id)) continue;
      if (best.length === limit && !before(id, best[limit - 1])) continue;
      let at = best.length === limit ? limit - 1 : best.length;
      while (at > 0 && before(id, best[at - 1])) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = id;
    }
    // Too few sentences share a word: fill up with sentences that at least count the same thing.
    if (allowed && best.length < limit && allowed.size <= common) {
      for (const id of allowed.ids) {
        if (best.length >= limit) break;
        if (scoredMark[id] === 0 && this.isLive(id)) best.push(id);
      }
    }
    for (const id of scored) {
      scoreOf[id] = 0;
      scoredMark[id] = 0;
    }
    return best;
  }

  /**
   * The sentences filed under any of `keys`, each once, in the order first met. A common counted noun ("people")
   * has tens of thousands: they are marked in an array by sentence id rather than put in a `Set`, which cost more
   * than the rest of a figure check.
   */
  private union(keys: string[]): SentenceSet {
    if (this.unionMark.length < this.sentenceSlot.length) {
      this.unionMark = new Int32Array(Math.max(this.sentenceSlot.length + (this.sentenceSlot.length >> 2), 1024));
      this.unionStamp = 0;
    }
    const stamp = ++this.unionStamp;
    const mark = this.unionMark;
    // The ids go to an array kept between unions: a new list for each figure of a draft (a common noun's tens of
    // thousands of sentences) was most of what a draft's check allocated.
    if (this.unionList.length < mark.length) this.unionList = new Int32Array(mark.length);
    const list = this.unionList;
    let size = 0;
    const add = (id: number) => {
      if (mark[id] === stamp) return;
      mark[id] = stamp;
      list[size++] = id;
    };
    for (const key of keys) {
      const word = this.findKey(key);
      if (word < 0) continue;
      // Oldest first: the run, then the chained postings (all newer) reversed.
      const from = this.runFirst[word];
      for (let k = from; k < from + this.runCount[word]; k++) add(this.runIds[k]);
      const added: number[] = [];
      for (let p = this.addedHead[word]; p >= 0; p = this.addedNext.get(p)) added.push(this.addedSentence.get(p));
      for (let k = added.length - 1; k >= 0; k--) add(added[k]);
    }
    // Valid until the next union: candidates() reads it before it returns.
    return { size, has: (id) => mark[id] === stamp, ids: list.subarray(0, size) };
  }

  /** The figures of one indexed sentence, read on first use and cached. */
  figuresOf(id: number): SourceFigure[] {
    const cached = this.figures.get(id);
    if (cached) return cached;
    if (!this.isLive(id)) return [];
    const slot = this.sentenceSlot.get(id);
    const source = this.slotSources[slot] ?? (this.slotSources[slot] = this.sourceOf(this.slotIds[slot]));
    if (!source) return [];
    const sentence: Sentence = { start: this.sentenceStart.get(id), end: this.sentenceEnd.get(id), paragraph: this.sentenceParagraph.get(id) };
    const read = readSentenceFigures(source.text, sentence).map((f) => ({ ...f, source, sentence }));
    if (this.figures.size >= FIGURE_CACHE_LIMIT) this.figures.clear();
    this.figures.set(id, read);
    return read;
  }

  /** Drops removed sentences from the postings. */
  private compact(): void {
    this.join(true);
    this.stale = 0;
  }

  /** Makes now what a restore leaves for later (the slots by source id, the table of words), so the first change after a start does not wait for it. */
  prepare(): void {
    void this.slotOf;
    this.wordTable();
  }

  /**
   * The index as plain data of typed arrays (see `PartSnapshot`); the spelling memo is left out. Columns and lists
   * are handed over as they stand, not copied (on the benchmark corpus copies were 12 MB at the peak of a build):
   * the host writes the snapshot before the index changes again.
   */
  snapshot(): PartSnapshot {
    // All postings in runs, word after word: a run's start is the sum of the counts before it.
    this.join(false);
    const words = this.keys.length;
    return {
      version: SNAPSHOT_VERSION,
      sentenceSlot: this.sentenceSlot.pieces(),
      sentenceStart: this.sentenceStart.pieces(),
      sentenceEnd: this.sentenceEnd.pieces(),
      sentenceParagraph: this.sentenceParagraph.pieces(),
      slotIds: this.slotIds,
      slotFirst: this.slotFirst.pieces(),
      slotCount: this.slotCount.pieces(),
      keys: this.keys,
      wordLast: this.wordLast.subarray(0, words),
      wordCount: this.wordCount.subarray(0, words),
      postings: this.runIds,
      live: this.live,
      stale: this.stale,
    };
  }

  /**
   * Takes the state of `snapshot` (from `snapshot()` of a `FigureIndex`) by copying its arrays. Sources are asked of
   * `sourceOf` only when a query reads one of their sentences.
   */
  restore(snapshot: PartSnapshot, sourceOf: (id: string) => Source | undefined): void {
    checkSnapshot(snapshot);
    // Columns are one array each in a snapshot read back from disk; one kept in memory may hold them in pieces.
    const ints = (value: PartSnapshotValue) => int32Of(value)!;
    this.sourceOf = sourceOf;
    this.sentenceSlot = PagedInt32.from(ints(snapshot.sentenceSlot));
    this.sentenceStart = PagedInt32.from(ints(snapshot.sentenceStart));
    this.sentenceEnd = PagedInt32.from(ints(snapshot.sentenceEnd));
    this.sentenceParagraph = PagedInt32.from(ints(snapshot.sentenceParagraph));
    this.slotIds = (snapshot.slotIds as string[]).slice();
    this.slotSources = new Array<Source | undefined>(this.slotIds.length);
    this.slotFirst = PagedInt32.from(ints(snapshot.slotFirst));
    this.slotCount = PagedInt32.from(ints(snapshot.slotCount));
    this.slotByIdOrNone = undefined;
    this.keys = (snapshot.keys as string[]).slice();
    this.wordSlots = undefined;
    this.keyHashes = new Int32Array(Math.max(1024, this.keys.length));
    this.usWord = -1;
    const words = Math.max(1024, this.keys.length);
    this.wordLast = new Int32Array(words).fill(-1);
    this.wordLast.set(snapshot.wordLast as Int32Array);
    this.wordCount = new Int32Array(words);
    this.wordCount.set(snapshot.wordCount as Int32Array);
    this.runCount = this.wordCount.slice();
    this.runFirst = new Int32Array(words);
    for (let word = 1; word < this.keys.length; word++) this.runFirst[word] = this.runFirst[word - 1] + this.runCount[word - 1];
    this.runIds = (snapshot.postings as Int32Array).slice();
    this.addedHead = new Int32Array(words).fill(-1);
    this.addedSentence = new PagedInt32();
    this.addedNext = new PagedInt32();
    this.addedWord = new PagedInt32();
    this.live = snapshot.live as number;
    this.stale = snapshot.stale as number;
    this.figures.clear();
    this.infoOfSpelling.fill(0);
  }
}
