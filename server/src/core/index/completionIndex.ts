/**
 * The search structures behind completion, kept in step with the corpus as an
 * `IndexPart`: one add and one remove per changed file, never a rebuild.
 *
 * - Quote passages (the quotations of each source, and every sentence of a
 *   transcript, where all words are the speaker's) with a word → passages
 *   postings list, so the words a writer types inside a quotation find their
 *   passage in a few postings lookups, from the passage's start or its middle.
 *   Passage words are not stored: the few candidates are re-tokenised when they
 *   are aligned.
 * - Names grouped by spelling: "Mohammed Shia' al-Sudani", "Muhammad Shiaa
 *   Al-Sudani" and "Mohammed Shia Al Sudani" share a consonant skeleton and form
 *   one group whose variants keep their counts and outlets.
 * - Figures: each number in a source sentence with the words that follow it
 *   ("2,500 American soldiers in Iraq"), by digits and by counted noun.
 *
 * Everything a corpus has many of is held in columns of typed arrays grown a
 * page at a time (passages, figures, postings, name variants and groups), and
 * the objects the features use (`Passage`, `SourceFigure`, `NameGroup`) are
 * made on demand for the few a lookup returns. So building is mostly integer
 * work, the heap holds few objects, and `snapshot()` is a handful of typed
 * arrays and a few long strings that `restore()` takes back without
 * rebuilding (postings travel as byte-packed deltas, decoded on first use).
 * Words are read with `WordScanner` and looked up in a table of spellings
 * straight from the source text, so a known spelling costs no string.
 *
 * Prefix lookups use sorted arrays of distinct words (binary search, then a
 * short scan, as measured in MEASURED.md). New words wait in a pending list
 * and are merged at the next lookup: one sort-and-merge after a bulk build, a
 * few in-place inserts after one changed file, never a full re-sort. Words and
 * postings of removed sources stay until as many passages are dead as live
 * (then postings are compacted once); lookups check them on use.
 */
import type { Sentence, Source } from '../types';
import { grown, PagedInt32 } from './pagedInt32';
import type { IndexPart, PartSnapshot, SourceHints } from './corpusIndex';
import { normalizeWord, ownCopy, tokenize, WordScanner } from '../text';
import { Lexicon, type SourceWords } from './lexicon';
import { bytesOf, LazyBytes, stringOf, StringPieces } from './snapshotPieces';
import { NAME_KINDS, spansOf, type SourceSpans } from './storedSource';

/** A stretch of source text a quotation may be completed from. */
export interface Passage {
  sourceId: string;
  /** Offsets into `Source.text`. */
  start: number;
  end: number;
  /** `quote`: words between quotation marks in the source; `sentence`: a transcript's sentence holding no quotation. */
  kind: 'quote' | 'sentence';
  speaker?: string;
  /** The sentence the passage stands in (for the completion's documentation). */
  sentenceStart: number;
  sentenceEnd: number;
}

/** One spelling of a name and where it is used. */
export interface NameVariant {
  text: string;
  /** Normalised words of `text`. */
  norms: string[];
  count: number;
  /** Ids of sources using this spelling, at most `MAX_VARIANT_SOURCES` (for display; a map per spelling cost too much memory). */
  sources: string[];
}

/** The spellings of one name across the corpus (made on demand: a copy, not updated as the corpus changes). */
export interface NameGroup {
  key: string;
  kind: NameKind;
  variants: Map<string, NameVariant>;
  /** Mentions of all variants across the corpus. */
  total: number;
}

type NameKind = 'person' | 'organisation' | 'place' | 'other';
const OTHER_KIND = 3;

/** A number in a source with the words after it (made on demand). */
export interface SourceFigure {
  /** The figure's number in the index: the same figure has the same id in every lookup. */
  id: number;
  sourceId: string;
  /** Offsets of the number in `Source.text`. */
  start: number;
  end: number;
  /** The number as the source writes it ("2,500", "18", "$88 billion"). */
  text: string;
  /** Digits only, for prefix lookups ("2500"). */
  digits: string;
  /** Normalised words after the number, up to what it counts ("american", "soldiers"). */
  nouns: string[];
  sentenceStart: number;
  sentenceEnd: number;
}

const SPELLED: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11', twelve: '12',
  thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16', seventeen: '17', eighteen: '18', nineteen: '19', twenty: '20',
  thirty: '30', forty: '40', fifty: '50', hundred: '100', dozen: '12',
};
/** Words after a number that are not what it counts ("2,500 were killed": typing "were" must not offer figures). */
const NOT_COUNTED = new Set(['the', 'other', 'more', 'than', 'least', 'about', 'some', 'its', 'were', 'was', 'are', 'have', 'has', 'had', 'will', 'would', 'could', 'been', 'for', 'not', 'this', 'these', 'those', 'all', 'per', 'each', 'out']);
const MONTHS = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$/i;
const CLAUSE_BREAK = new Set(['and', 'while', 'which', 'who', 'that', 'but', 'since', 'when', 'where', 'as', 'after', 'before', 'to', 'from', 'by', 'with']);
// Two scans, ASCII classes: one pattern with both alternatives (or Unicode classes) scanned four to five times slower.
const DIGIT_FIGURE = /(?<![A-Za-z0-9.,])[$€£]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:%|percent|per cent|million|billion|thousand|bn|m\b))?(?!\d)/g;
const SPELLED_FIGURE = new RegExp(String.raw`\b(?:${Object.keys(SPELLED).join('|')})\b`, 'gi');

const MAX_VARIANT_SOURCES = 8;

/** The word pattern of `text.ts` (`WordScanner`), kept for query-time tokenising through a memo. */
const WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;

/** Version of the snapshot layout; a snapshot of another version is refused. */
const SNAPSHOT_VERSION = 2;

/** A consonant skeleton that survives transliteration: Mohammed/Muhammad → mhmd, Shia'/Shiaa → sh. */
export function nameSkeleton(name: string): string {
  // Plain ASCII (most names) in one pass: letters lower-cased, vowels after the first letter dropped, repeats collapsed.
  let ascii = '';
  let previous = -1;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 128) return unicodeNameSkeleton(name);
    if (c >= 65 && c <= 90) c |= 32;
    if (c < 97 || c > 122) continue;
    if (previous !== -1 && (c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121 || c === 119)) continue;
    if (c === previous) continue;
    ascii += String.fromCharCode(c);
    previous = c;
  }
  return ascii;
}

function unicodeNameSkeleton(name: string): string {
  const letters = name.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z\p{L}]/gu, '');
  if (!letters) return '';
  return (letters[0] + letters.slice(1).replace(/[aeiouyw]/g, '')).replace(/(.)\1+/g, '$1');
}

const NO_IDS = new Int32Array(0);


/**
 * Ids by key (a word, a figure's leading digits, a counted noun), in the order
 * added: a compact base (`start` offsets into `data`, per key) plus a log of
 * what was added since, each entry chained to the previous one of its key.
 * The log is folded into the base by a counting sort (two passes in log order,
 * no pointer chasing) when it grows long (at a lookup), at a compaction and for
 * a snapshot. Adding never copies the base, so a changed file costs its own
 * postings only.
 */
class Postings {
  private start: Int32Array = new Int32Array(1);
  private decoded: Int32Array = NO_IDS;
  /** The base as a snapshot holds it (see `encodeDeltas`), until it is first needed. */
  private encoded: Uint8Array | undefined;
  /** Per key, its newest log entry (-1 if none) and its number of log entries. */
  private tail: Int32Array = NO_IDS;
  private extra: Int32Array = NO_IDS;
  private logKey = new PagedInt32();
  private logId = new PagedInt32();
  private logPrevious = new PagedInt32();

  /** Ids in the log, not yet in the base. */
  get pending(): number {
    return this.logKey.length;
  }

  /** Ids in the base. */
  get size(): number {
    return this.start[this.start.length - 1];
  }

  private get data(): Int32Array {
    if (this.encoded) {
      this.decoded = decodeDeltas(this.encoded, this.start);
      this.encoded = undefined;
    }
    return this.decoded;
  }

  private set data(ids: Int32Array) {
    this.decoded = ids;
    this.encoded = undefined;
  }

  add(key: number, id: number): void {
    if (key >= this.tail.length) {
      const size = Math.max(key + 1, 1024);
      this.tail = grown(this.tail, size, -1);
      this.extra = grown(this.extra, size);
    }
    const entry = this.logKey.push(key);
    this.logId.push(id);
    this.logPrevious.push(this.tail[key]);
    this.tail[key] = entry;
    this.extra[key]++;
  }

  /** Number of ids of `key`. */
  count(key: number): number {
    const base = key < this.start.length - 1 ? this.start[key + 1] - this.start[key] : 0;
    return base + (key < this.extra.length ? this.extra[key] : 0);
  }

  /** The ids of `key` in the order added (a view of the base when nothing was added since). */
  list(key: number): Int32Array {
    const base = key < this.start.length - 1 ? this.data.subarray(this.start[key], this.start[key + 1]) : NO_IDS;
    const extra = key < this.extra.length ? this.extra[key] : 0;
    if (extra === 0) return base;
    const out = new Int32Array(base.length + extra);
    out.set(base);
    let n = out.length;
    for (let e = this.tail[key]; e !== -1; e = this.logPrevious.get(e)) out[--n] = this.logId.get(e);
    return out;
  }

  /** Calls `visit` with the ids of `key` in the order added, until it returns false. */
  scan(key: number, visit: (id: number) => boolean): void {
    if (key < this.extra.length && this.extra[key] > 0) {
      const ids = this.list(key);
      for (let i = 0; i < ids.length; i++) if (!visit(ids[i])) return;
      return;
    }
    if (key < this.start.length - 1) {
      for (let i = this.start[key]; i < this.start[key + 1]; i++) if (!visit(this.data[i])) return;
    }
  }

  /** Folds the log into the base and decodes a restored base: nothing is left for a lookup or an add to do. */
  settle(): void {
    this.merge();
    void this.data;
    if (this.tail.length < this.start.length - 1) {
      this.tail = new Int32Array(this.start.length - 1 + ((this.start.length - 1) >> 2) + 1024).fill(-1);
      this.extra = new Int32Array(this.tail.length);
    }
  }

  /** Folds the log into the base when it holds more than an eighth of the ids. */
  mergeIfLong(): void {
    if (this.pending > Math.max(50_000, this.size >> 3)) this.merge();
  }

  /** Folds the log into the base, keeping only the ids `keep` accepts when it is given. */
  merge(keep?: (id: number) => boolean): void {
    const pending = this.pending;
    if (pending === 0 && !keep) return;
    const baseKeys = this.start.length - 1;
    const keys = Math.max(baseKeys, this.tail.length);
    const oldStart = this.start;
    const oldData = this.data;
    // The log's columns a page at a time (the two have the same pages): a call per entry made a merge of 2 million
    // of them a pause of over 100 ms in the middle of a build.
    const logKeys = this.logKey.pieces().pieces;
    const logIds = this.logId.pieces().pieces;
    const kept = keep ? new Uint8Array(oldData.length + pending) : undefined;
    // Counts per key, then offsets, then each id at its key's cursor: base ids first, then the log in order.
    const start = new Int32Array(keys + 1);
    for (let key = 0; key < baseKeys; key++) {
      if (!kept) start[key + 1] = oldStart[key + 1] - oldStart[key];
      else {
        for (let i = oldStart[key]; i < oldStart[key + 1]; i++) {
          if (!keep!(oldData[i])) continue;
          kept[i] = 1;
          start[key + 1]++;
        }
      }
    }
    for (let c = 0, e = oldData.length; c < logKeys.length; c++) {
      const pageKeys = logKeys[c];
      const pageIds = logIds[c];
      for (let j = 0; j < pageKeys.length; j++, e++) {
        if (kept) {
          if (!keep!(pageIds[j])) continue;
          kept[e] = 1;
        }
        start[pageKeys[j] + 1]++;
      }
    }
    for (let key = 0; key < keys; key++) start[key + 1] += start[key];
    const data = new Int32Array(start[keys]);
    const cursor = start.slice(0, keys);
    for (let key = 0; key < baseKeys; key++) {
      for (let i = oldStart[key]; i < oldStart[key + 1]; i++) if (!kept || kept[i]) data[cursor[key]++] = oldData[i];
    }
    for (let c = 0, e = oldData.length; c < logKeys.length; c++) {
      const pageKeys = logKeys[c];
      const pageIds = logIds[c];
      for (let j = 0; j < pageKeys.length; j++, e++) if (!kept || kept[e]) data[cursor[pageKeys[j]]++] = pageIds[j];
    }
    this.start = start;
    this.data = data;
    // Sized for every key now (with room for new ones), so that the next adds do not grow them key by key.
    this.tail = new Int32Array(keys + (keys >> 2) + 1024).fill(-1);
    this.extra = new Int32Array(this.tail.length);
    this.logKey = new PagedInt32();
    this.logId = new PagedInt32();
    this.logPrevious = new PagedInt32();
  }

  snapshot(): PartSnapshot {
    this.merge();
    if (this.encoded) return { start: this.start, deltas: this.encoded };
    // Encoded as the snapshot is written, a block at a time: encoded here, the deltas were a copy of a third of the
    // ids (4 MB on the benchmark corpus) kept until the snapshot was written.
    const ids = this.data;
    const start = this.start;
    return { start, deltas: new LazyBytes(encodedSize(ids, start), () => encodeDeltas(ids, start)) };
  }

  /** A part restored from `snapshot`; its ids are decoded when first needed, so a restore costs nothing here. */
  static restore(snapshot: PartSnapshot): Postings {
    const postings = new Postings();
    const start = snapshot.start;
    const deltas = bytesOf(snapshot.deltas);
    if (!(start instanceof Int32Array) || !deltas) throw new Error('the completion index snapshot has malformed postings');
    postings.start = start;
    postings.encoded = deltas;
    return postings;
  }
}

/**
 * The ids of each key (`ids[start[k], start[k + 1])`, ascending) as differences from the previous id of the key,
 * seven bits a byte: about a third of the bytes of the ids, for a snapshot. Yielded in blocks of at most
 * `DELTA_BLOCK` bytes, each in the same buffer (write one out before asking for the next).
 */
function* encodeDeltas(ids: Int32Array, start: Int32Array): Generator<Uint8Array> {
  const block = new Uint8Array(DELTA_BLOCK);
  let at = 0;
  for (let key = 0; key + 1 < start.length; key++) {
    for (let i = start[key], previous = 0; i < start[key + 1]; previous = ids[i++]) {
      // A difference takes at most five bytes.
      if (at > DELTA_BLOCK - 5) {
        yield block.subarray(0, at);
        at = 0;
      }
      let d = ids[i] - previous;
      while (d >= 128) {
        block[at++] = (d & 127) | 128;
        d >>>= 7;
      }
      block[at++] = d;
    }
  }
  if (at > 0) yield block.subarray(0, at);
}

/** Bytes of a snapshot's encoded deltas: what `encodeDeltas` yields in all. */
function encodedSize(ids: Int32Array, start: Int32Array): number {
  let size = 0;
  for (let key = 0; key + 1 < start.length; key++) {
    for (let i = start[key], previous = 0; i < start[key + 1]; previous = ids[i++]) {
      for (let d = ids[i] - previous; ; d >>>= 7) {
        size++;
        if (d < 128) break;
      }
    }
  }
  return size;
}

/** Bytes of encoded deltas made at a time while a snapshot is written. */
const DELTA_BLOCK = 1 << 16;

function decodeDeltas(bytes: Uint8Array, start: Int32Array): Int32Array {
  const ids = new Int32Array(start[start.length - 1]);
  let at = 0;
  for (let key = 0; key + 1 < start.length; key++) {
    let previous = 0;
    for (let i = start[key]; i < start[key + 1]; i++) {
      let d = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[at++];
        d |= (b & 127) << shift;
        shift += 7;
      } while (b & 128);
      previous += d;
      ids[i] = previous;
    }
  }
  return ids;
}

/** Distinct strings kept sorted: additions wait until the next read, then are inserted in place (few) or merged (many). */
class SortedStrings {
  private items: string[] = [];
  private pending: string[] = [];

  add(value: string): void {
    this.pending.push(value);
    // Merge in batches during a bulk build, so the first lookup after it does not pay for the whole corpus.
    if (this.pending.length >= 20_000) this.sorted();
  }

  sorted(): string[] {
    if (this.pending.length === 0) return this.items;
    this.items = mergeSorted(this.items, [...new Set(this.pending)].sort(), (a, b) => a < b, (v) => v);
    this.pending = [];
    return this.items;
  }

  restore(items: string[]): void {
    this.items = items;
    this.pending = [];
  }
}

/** Distinct word ids kept sorted by their words, like `SortedStrings`. */
class SortedWordIds {
  private items: number[] = [];
  private pending: number[] = [];
  constructor(private readonly words: string[]) {}

  add(id: number): void {
    this.pending.push(id);
  }

  reset(ids: number[]): void {
    this.items = ids;
    this.pending = [];
  }

  sorted(): number[] {
    if (this.pending.length === 0) return this.items;
    const words = this.words;
    const fresh = [...new Set(this.pending)].sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    this.items = mergeSorted(this.items, fresh, (a, b) => words[a] < words[b], (id) => words[id]);
    this.pending = [];
    return this.items;
  }
}

/** `fresh` (sorted, distinct) merged into `items` (sorted, distinct): in place when few, else by one merge. */
function mergeSorted<T>(items: T[], fresh: T[], less: (a: T, b: T) => boolean, keyOf: (entry: T) => string): T[] {
  if (fresh.length <= 64) {
    for (const value of fresh) {
      const at = lowerBound(items, keyOf(value), keyOf);
      if (at >= items.length || keyOf(items[at]) !== keyOf(value)) items.splice(at, 0, value);
    }
    return items;
  }
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < items.length || j < fresh.length) {
    const next = j >= fresh.length || (i < items.length && !less(fresh[j], items[i])) ? items[i++] : fresh[j++];
    if (merged.length === 0 || keyOf(merged[merged.length - 1]) !== keyOf(next)) merged.push(next);
  }
  return merged;
}

function lowerBound<T>(sorted: T[], key: string, keyOf: (entry: T) => string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(sorted[mid]) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Entries of a sorted array whose key starts with `prefix` (binary search, then a scan up to `limit`). */
function rangeOf<T>(sorted: T[], prefix: string, keyOf: (entry: T) => string, limit: number): T[] {
  const lo = lowerBound(sorted, prefix, keyOf);
  const out: T[] = [];
  for (let i = lo; i < sorted.length && out.length < limit && keyOf(sorted[i]).startsWith(prefix); i++) out.push(sorted[i]);
  return out;
}

/**
 * A list of strings as one string and the lengths of its parts: a snapshot reads back one string much faster than
 * many. The string is handed over as the list's pieces (joined only on disk: joined here, the lists of words and
 * names were 11 MB more at the peak of a build).
 */
function packStrings(list: string[]): PartSnapshot {
  const lengths = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) lengths[i] = list[i].length;
  return { text: StringPieces.of(list), lengths };
}

function unpackStrings(packed: PartSnapshot): string[] {
  const text = stringOf(packed.text);
  if (text === undefined) throw new Error('the completion index snapshot has a malformed list of strings');
  const lengths = packed.lengths as Int32Array;
  const list = new Array<string>(lengths.length);
  for (let i = 0, at = 0; i < lengths.length; at += lengths[i++]) list[i] = text.slice(at, at + lengths[i]);
  return list;
}

/** Strings numbered in the order first met (speakers, figure texts, digit leads). */
class StringTable {
  readonly strings: string[];
  private ids: Map<string, number> | undefined;
  constructor(strings: string[] = []) {
    this.strings = strings;
  }
  idOf(value: string): number {
    // Built on first use after a restore: only adding needs it.
    if (!this.ids) this.ids = new Map(this.strings.map((s, i) => [s, i]));
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
  find(value: string): number | undefined {
    if (!this.ids) this.ids = new Map(this.strings.map((s, i) => [s, i]));
    return this.ids.get(value);
  }
}

/** Bits of `wordFlags`. */
const IN_SORTED_WORDS = 1;
const IN_SORTED_NOUNS = 2;
const CLASSIFIED = 4;
/** Long enough, not a number, not a clause break nor a word that never counts: may be what a figure counts. */
const COUNTABLE = 8;
/** Plural-looking ("soldiers", "men", "people"): what a figure counts stops here. */
const ENDS_COUNT = 16;

/** Search structures for quote, name and figure completion. */
export class CompletionIndex implements IndexPart {
  // Words: normal forms numbered as first met, and a table of spellings as written → word id.
  private words: string[] = [];
  /** Word ids by normal form; made again from `words` on first use after a restore. */
  private vocabularyMap: Map<string, number> | undefined = new Map();
  private wordFlags: Uint8Array = new Uint8Array(1024);
  /** Per word, the last passage it was posted for (a word met twice in one passage is posted once). */
  private lastPassageOf: Int32Array = new Int32Array(1024).fill(-1);
  /** Reads sources into words; shared with the other parts when the corpus index gives its own (`useLexicon`). */
  private lexicon = new Lexicon();
  /** Word id by the lexicon's form number (-1 until met): a memo, started afresh after a restore. */
  private wordOfForm = new Int32Array(1024).fill(-1);

  // Sources by slot (a slot per add, so a re-read source has a new one).
  private slotIds: string[] = [];
  private slotAlive = new PagedInt32();
  private slotPassageFirst = new PagedInt32();
  private slotPassageCount = new PagedInt32();
  private slotFigureFirst = new PagedInt32();
  private slotFigureCount = new PagedInt32();
  private slotOf = new Map<string, number>();

  // Passages, one column per field; `passageInfo` is (speaker id + 1) * 2 + (1 for a transcript sentence).
  private passageSlot = new PagedInt32();
  private passageStart = new PagedInt32();
  private passageEnd = new PagedInt32();
  private passageSentenceStart = new PagedInt32();
  private passageSentenceEnd = new PagedInt32();
  private passageInfo = new PagedInt32();
  private speakers = new StringTable();
  private wordPassages = new Postings();
  private deadPassages = 0;
  private sortedWords = new SortedWordIds(this.words);

  // Names: variants and groups in columns, numbered as created (the order in which lists show them).
  private variantText: string[] = [];
  /** Normalised words of the variants looked up so far (a memo: most variants are never shown). */
  private variantNorms: string[][] = [];
  private variantGroup = new PagedInt32();
  private variantCount = new PagedInt32();
  /** Next variant of the same group, in order of creation (-1 at the end). */
  private variantNext = new PagedInt32();
  /** `MAX_VARIANT_SOURCES` source slots per variant, the first `variantSourceCount` in use. */
  private variantSources = new PagedInt32();
  private variantSourceCount = new PagedInt32();
  private groupKey: string[] = [];
  private groupKind = new PagedInt32();
  private groupTotal = new PagedInt32();
  private groupHead = new PagedInt32();
  private groupTail = new PagedInt32();
  /** Live variants by spelling and live groups by key; made again from the columns on first use after a restore. */
  private nameMaps: { variantOf: Map<string, number>; groupOf: Map<string, number> } | undefined = { variantOf: new Map(), groupOf: new Map() };
  private liveGroups = 0;
  /** `word \0 group key`, sorted: the groups with a word starting with a prefix. */
  private sortedNameWords = new SortedStrings();

  // Figures, one column per field; text and digits as numbers of `figureStrings`, nouns as `nounPool[first, first + count)` packed `first * 8 + count`.
  private figureSlot = new PagedInt32();
  private figureStart = new PagedInt32();
  private figureEnd = new PagedInt32();
  private figureSentenceStart = new PagedInt32();
  private figureSentenceEnd = new PagedInt32();
  private figureText = new PagedInt32();
  private figureDigits = new PagedInt32();
  private figureNouns = new PagedInt32();
  private nounPool = new PagedInt32();
  private figureStrings = new StringTable();
  /** Figure ids by their first two digits (or the one digit of a one-digit number), keyed by number in `leads`. */
  private leads = new StringTable();
  private leadFigures = new Postings();
  private nounFigures = new Postings();
  private sortedNouns = new SortedWordIds(this.words);
  private deadFigures = 0;

  /** `lower-case key \0 key`, sorted: citation keys by prefix. */
  private sortedKeys = new SortedStrings();

  private get vocabulary(): Map<string, number> {
    if (!this.vocabularyMap) {
      this.vocabularyMap = new Map();
      for (let id = 0; id < this.words.length; id++) this.vocabularyMap.set(this.words[id], id);
    }
    return this.vocabularyMap;
  }

  private get variantOf(): Map<string, number> {
    return (this.nameMaps ??= this.makeNameMaps()).variantOf;
  }

  private get groupOf(): Map<string, number> {
    return (this.nameMaps ??= this.makeNameMaps()).groupOf;
  }

  private makeNameMaps(): { variantOf: Map<string, number>; groupOf: Map<string, number> } {
    const variantOf = new Map<string, number>();
    const groupOf = new Map<string, number>();
    for (let group = 0; group < this.groupKey.length; group++) {
      const head = this.groupHead.get(group);
      if (head === -1) continue;
      groupOf.set(this.groupKey[group], group);
      for (let v = head; v !== -1; v = this.variantNext.get(v)) variantOf.set(this.variantText[v], v);
    }
    return { variantOf, groupOf };
  }

  /** Reads sources with `lexicon` from now on (the corpus index's, shared by its parts), so a source is read once for all. */
  useLexicon(lexicon: Lexicon): void {
    if (lexicon === this.lexicon) return;
    this.lexicon = lexicon;
    this.wordOfForm.fill(-1);
  }

  add(source: Source, words?: SourceWords, hints?: SourceHints): void {
    if (!words || words.lexicon !== this.lexicon) words = this.lexicon.read(source.text, source.bodyStart);
    this.sortedKeys.add(`${source.key.toLowerCase()}\u0000${source.key}`);
    const slot = this.slotIds.length;
    this.slotIds.push(source.id);
    this.slotAlive.push(1);
    this.slotOf.set(source.id, slot);
    this.slotPassageFirst.push(this.passageSlot.length);
    const spans = spansOf(source);
    this.addPassages(source, slot, words, spans);
    // During a bulk build the log is folded in whenever it outgrows the base, so it never holds most of the postings.
    if (this.wordPassages.pending > Math.max(1 << 20, this.wordPassages.size)) this.wordPassages.merge();
    this.slotPassageCount.push(this.passageSlot.length - this.slotPassageFirst.get(slot));
    this.addNames(source, slot, +1, spans);
    this.slotFigureFirst.push(this.figureSlot.length);
    this.addFigures(source, slot, hints?.figureCandidates ?? figureCandidates(source.text, source.bodyStart, spans));
    this.slotFigureCount.push(this.figureSlot.length - this.slotFigureFirst.get(slot));
  }

  remove(source: Source): void {
    const slot = this.slotOf.get(source.id);
    if (slot !== undefined) {
      this.slotOf.delete(source.id);
      this.slotAlive.set(slot, 0);
      this.deadPassages += this.slotPassageCount.get(slot);
      this.deadFigures += this.slotFigureCount.get(slot);
    }
    this.addNames(source, slot ?? -1, -1, spansOf(source));
    if (this.deadFigures > 1000 && this.deadFigures * 2 > this.figureSlot.length) this.compactFigures();
    // Postings keep dead ids until there are as many dead as live; then they are compacted once.
    if (this.deadPassages > 1000 && this.deadPassages * 2 > this.passageSlot.length) this.compactPostings();
  }

  passage(id: number): Passage | undefined {
    if (!(id >= 0 && id < this.passageSlot.length)) return undefined;
    const slot = this.passageSlot.get(id);
    if (!this.slotAlive.get(slot)) return undefined;
    const info = this.passageInfo.get(id);
    const start = this.passageStart.get(id);
    const end = this.passageEnd.get(id);
    const sentenceStart = this.passageSentenceStart.get(id);
    const sentenceEnd = this.passageSentenceEnd.get(id);
    const sourceId = this.slotIds[slot];
    if (info & 1) return { sourceId, start, end, kind: 'sentence', sentenceStart, sentenceEnd };
    const speaker = info >> 1 ? this.speakers.strings[(info >> 1) - 1] : undefined;
    return { sourceId, start, end, kind: 'quote', speaker, sentenceStart, sentenceEnd };
  }

  /** Passage ids that hold the normalised word `norm`, ascending; ids of removed passages may remain, `passage(id)` is then undefined. */
  passagesWith(norm: string): Int32Array {
    const word = this.vocabulary.get(norm);
    if (word === undefined) return NO_IDS;
    this.wordPassages.mergeIfLong();
    return this.wordPassages.list(word);
  }

  /** Distinct normalised words starting with `prefix`, at most `limit`. */
  wordsStartingWith(prefix: string, limit: number): string[] {
    const words = this.words;
    return rangeOf(this.sortedWords.sorted(), prefix, (id) => words[id], limit).map((id) => words[id]);
  }

  /** Name groups with a word starting with the normalised `prefix`. */
  nameGroupsWithWord(prefix: string, limit: number): NameGroup[] {
    const keys = new Set(rangeOf(this.sortedNameWords.sorted(), prefix, (e) => e, limit * 4).map((e) => e.slice(e.indexOf('\u0000') + 1)));
    const out: NameGroup[] = [];
    for (const key of keys) {
      const group = this.groupOf.get(key);
      if (group !== undefined) out.push(this.nameGroup(group));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The wording of a figure of `source` (read again from the source text: it is not stored). */
  wording(figure: SourceFigure, source: Source): FigureWording | undefined {
    const from = Math.max(figure.sentenceStart, figure.start - 12);
    const chunk = source.text.slice(from, Math.min(figure.sentenceEnd, figure.end + 80));
    return readFigure(chunk, figure.start - from, figure.text, (word) => this.normOf(word, 0, word.length));
  }

  /** Citation keys starting with `prefix` (any case), in key order; keys of removed sources may remain, check them. */
  keysStartingWith(prefix: string, limit: number): string[] {
    return rangeOf(this.sortedKeys.sorted(), prefix.toLowerCase(), (e) => e, limit).map((e) => e.slice(e.indexOf('\u0000') + 1));
  }

  /**
   * Words of a source's `text[start, end)` with offsets, as `tokenize` gives them, normalised through the lexicon.
   * Their spellings join the lexicon (a source's words are the corpus's, so it does not grow without bound): after a
   * warm start it has none, and each would otherwise be normalised again at every completion.
   */
  tokensOf(text: string, start: number, end: number): Array<{ norm: string; start: number; end: number }> {
    const out: Array<{ norm: string; start: number; end: number }> = [];
    const slice = text.slice(start, end);
    const scanner = new WordScanner(slice);
    const lexicon = this.lexicon;
    while (scanner.next()) {
      const norm = lexicon.form(lexicon.formOf(lexicon.spelling(slice, scanner.start, scanner.end, scanner.hash)));
      out.push({ norm, start: start + scanner.start, end: start + scanner.end });
    }
    return out;
  }

  /** The distinct normal forms of the words of `text`, as `tokenize` would give them (a unit test holds them equal). */
  normalWords(text: string): Set<string> {
    const out = new Set<string>();
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m; m = WORD.exec(text)) out.add(this.normOf(text, m.index, m.index + m[0].length));
    return out;
  }

  /** Every name group, in order of creation (for fuzzy fallback over a small corpus). */
  *nameGroups(): IterableIterator<NameGroup> {
    for (let group = 0; group < this.groupKey.length; group++) {
      if (this.groupHead.get(group) !== -1) yield this.nameGroup(group);
    }
  }

  get nameGroupCount(): number {
    return this.liveGroups;
  }

  /** Source figures whose digits start with `digits`. */
  figuresByDigits(digits: string, limit: number): SourceFigure[] {
    const leads = digits.length >= 2 ? [digits.slice(0, 2)] : [digits, ...'0123456789.'.split('').map((d) => digits + d)];
    const out: SourceFigure[] = [];
    this.leadFigures.mergeIfLong();
    for (const lead of leads) {
      const key = this.leads.find(lead);
      if (key === undefined) continue;
      this.leadFigures.scan(key, (id) => {
        if (this.figureAlive(id) && this.figureStrings.strings[this.figureDigits.get(id)].startsWith(digits)) out.push(this.figure(id));
        return out.length < limit;
      });
      if (out.length >= limit) return out;
    }
    return out;
  }

  /** Source figures counting a noun that starts with `prefix` ("troo" → troops). */
  figuresByNoun(prefix: string, limit: number): Array<{ figure: SourceFigure; noun: string }> {
    const out: Array<{ figure: SourceFigure; noun: string }> = [];
    const words = this.words;
    this.nounFigures.mergeIfLong();
    for (const word of rangeOf(this.sortedNouns.sorted(), prefix, (id) => words[id], 64)) {
      const noun = words[word];
      this.nounFigures.scan(word, (id) => {
        if (this.figureAlive(id)) out.push({ figure: this.figure(id), noun });
        return out.length < limit;
      });
      if (out.length >= limit) return out;
    }
    return out;
  }

  /**
   * Does now the work the first lookups would otherwise pay for: folds pending
   * postings in (decoding them after a restore), sorts pending words and makes
   * the maps a restore leaves for later. For a host to call when idle after a
   * bulk build or a restore; answers are the same either way.
   */
  prepare(): void {
    for (const _ of this.prepareSteps());
  }

  /** `prepare()` a list at a time: done at once after a build of the benchmark corpus, it held the thread 280 ms. */
  *prepareSteps(): Generator<void, void> {
    for (const postings of [this.wordPassages, this.leadFigures, this.nounFigures]) {
      postings.settle();
      yield;
    }
    for (const sorted of [this.sortedWords, this.sortedNouns, this.sortedNameWords, this.sortedKeys]) {
      sorted.sorted();
      yield;
    }
    void this.vocabulary;
    void this.groupOf;
  }

  /** The state as plain data: typed arrays and lists of strings (see `PartSnapshot`). */
  snapshot(): PartSnapshot {
    // Pending words are merged first, so a restored part needs no sort. Columns are handed over as they stand, not
    // copied: the host writes the snapshot before the index changes again.
    return {
      version: SNAPSHOT_VERSION,
      words: packStrings(this.words),
      wordFlags: this.wordFlags.slice(0, this.words.length),
      sortedWords: Int32Array.from(this.sortedWords.sorted()),
      sortedNouns: Int32Array.from(this.sortedNouns.sorted()),
      slotIds: packStrings(this.slotIds),
      slotAlive: this.slotAlive.snapshot(),
      slotPassageFirst: this.slotPassageFirst.snapshot(),
      slotPassageCount: this.slotPassageCount.snapshot(),
      slotFigureFirst: this.slotFigureFirst.snapshot(),
      slotFigureCount: this.slotFigureCount.snapshot(),
      passageSlot: this.passageSlot.snapshot(),
      passageStart: this.passageStart.snapshot(),
      passageEnd: this.passageEnd.snapshot(),
      passageSentenceStart: this.passageSentenceStart.snapshot(),
      passageSentenceEnd: this.passageSentenceEnd.snapshot(),
      passageInfo: this.passageInfo.snapshot(),
      speakers: packStrings(this.speakers.strings),
      wordPassages: this.wordPassages.snapshot(),
      deadPassages: this.deadPassages,
      variantText: packStrings(this.variantText),
      variantGroup: this.variantGroup.snapshot(),
      variantCount: this.variantCount.snapshot(),
      variantNext: this.variantNext.snapshot(),
      variantSources: this.variantSources.snapshot(),
      variantSourceCount: this.variantSourceCount.snapshot(),
      groupKey: packStrings(this.groupKey),
      groupKind: this.groupKind.snapshot(),
      groupTotal: this.groupTotal.snapshot(),
      groupHead: this.groupHead.snapshot(),
      groupTail: this.groupTail.snapshot(),
      sortedNameWords: packStrings(this.sortedNameWords.sorted()),
      figureSlot: this.figureSlot.snapshot(),
      figureStart: this.figureStart.snapshot(),
      figureEnd: this.figureEnd.snapshot(),
      figureSentenceStart: this.figureSentenceStart.snapshot(),
      figureSentenceEnd: this.figureSentenceEnd.snapshot(),
      figureText: this.figureText.snapshot(),
      figureDigits: this.figureDigits.snapshot(),
      figureNouns: this.figureNouns.snapshot(),
      nounPool: this.nounPool.snapshot(),
      figureStrings: packStrings(this.figureStrings.strings),
      leads: packStrings(this.leads.strings),
      leadFigures: this.leadFigures.snapshot(),
      nounFigures: this.nounFigures.snapshot(),
      deadFigures: this.deadFigures,
      sortedKeys: packStrings(this.sortedKeys.sorted()),
    };
  }

  /**
   * Takes back the state of `snapshot()`, taking its arrays over (they are not
   * copied: restore each snapshot once). No source is touched: passages and
   * figures name their sources by slot and id. Of the maps from strings to
   * numbers only the live sources' is made here; the others (words, name
   * variants and groups) when first needed, postings when first read.
   */
  restore(snapshot: PartSnapshot, _sourceOf: (id: string) => Source | undefined): void {
    if (snapshot.version !== SNAPSHOT_VERSION) throw new Error(`completion index snapshot of version ${String(snapshot.version)}, expected ${SNAPSHOT_VERSION}`);
    const ints = (name: string) => snapshot[name] as Int32Array;
    const paged = (name: string) => PagedInt32.restore(snapshot[name], 'the completion index snapshot');
    const strings = (name: string) => unpackStrings(snapshot[name] as PartSnapshot);
    this.words.length = 0;
    for (const word of strings('words')) this.words.push(word);
    this.vocabularyMap = undefined;
    const size = Math.max(1024, this.words.length * 2);
    this.wordFlags = grown(snapshot.wordFlags as Uint8Array, size, 0);
    this.lastPassageOf = new Int32Array(size).fill(-1);
    this.wordOfForm.fill(-1);
    this.sortedWords.reset(Array.from(ints('sortedWords')));
    this.sortedNouns.reset(Array.from(ints('sortedNouns')));

    this.slotIds = strings('slotIds');
    this.slotAlive = paged('slotAlive');
    this.slotPassageFirst = paged('slotPassageFirst');
    this.slotPassageCount = paged('slotPassageCount');
    this.slotFigureFirst = paged('slotFigureFirst');
    this.slotFigureCount = paged('slotFigureCount');
    this.slotOf = new Map();
    for (let slot = 0; slot < this.slotIds.length; slot++) if (this.slotAlive.get(slot)) this.slotOf.set(this.slotIds[slot], slot);

    this.passageSlot = paged('passageSlot');
    this.passageStart = paged('passageStart');
    this.passageEnd = paged('passageEnd');
    this.passageSentenceStart = paged('passageSentenceStart');
    this.passageSentenceEnd = paged('passageSentenceEnd');
    this.passageInfo = paged('passageInfo');
    this.speakers = new StringTable(strings('speakers'));
    this.wordPassages = Postings.restore(snapshot.wordPassages as PartSnapshot);
    this.deadPassages = snapshot.deadPassages as number;

    this.variantText = strings('variantText');
    this.variantNorms = [];
    this.variantGroup = paged('variantGroup');
    this.variantCount = paged('variantCount');
    this.variantNext = paged('variantNext');
    this.variantSources = paged('variantSources');
    this.variantSourceCount = paged('variantSourceCount');
    this.groupKey = strings('groupKey');
    this.groupKind = paged('groupKind');
    this.groupTotal = paged('groupTotal');
    this.groupHead = paged('groupHead');
    this.groupTail = paged('groupTail');
    this.nameMaps = undefined;
    this.liveGroups = 0;
    for (let group = 0; group < this.groupKey.length; group++) if (this.groupHead.get(group) !== -1) this.liveGroups++;
    this.sortedNameWords.restore(strings('sortedNameWords'));

    this.figureSlot = paged('figureSlot');
    this.figureStart = paged('figureStart');
    this.figureEnd = paged('figureEnd');
    this.figureSentenceStart = paged('figureSentenceStart');
    this.figureSentenceEnd = paged('figureSentenceEnd');
    this.figureText = paged('figureText');
    this.figureDigits = paged('figureDigits');
    this.figureNouns = paged('figureNouns');
    this.nounPool = paged('nounPool');
    this.figureStrings = new StringTable(strings('figureStrings'));
    this.leads = new StringTable(strings('leads'));
    this.leadFigures = Postings.restore(snapshot.leadFigures as PartSnapshot);
    this.nounFigures = Postings.restore(snapshot.nounFigures as PartSnapshot);
    this.deadFigures = snapshot.deadFigures as number;
    this.sortedKeys.restore(strings('sortedKeys'));
  }

  private figureAlive(id: number): boolean {
    return this.slotAlive.get(this.figureSlot.get(id)) === 1;
  }

  private figure(id: number): SourceFigure {
    const packed = this.figureNouns.get(id);
    const nouns: string[] = [];
    for (let i = packed >> 3, end = (packed >> 3) + (packed & 7); i < end; i++) nouns.push(this.words[this.nounPool.get(i)]);
    return {
      id,
      sourceId: this.slotIds[this.figureSlot.get(id)],
      start: this.figureStart.get(id),
      end: this.figureEnd.get(id),
      text: this.figureStrings.strings[this.figureText.get(id)],
      digits: this.figureStrings.strings[this.figureDigits.get(id)],
      nouns,
      sentenceStart: this.figureSentenceStart.get(id),
      sentenceEnd: this.figureSentenceEnd.get(id),
    };
  }

  private nameGroup(group: number): NameGroup {
    const variants = new Map<string, NameVariant>();
    for (let v = this.groupHead.get(group); v !== -1; v = this.variantNext.get(v)) {
      const text = this.variantText[v];
      const sources: string[] = [];
      for (let k = 0; k < this.variantSourceCount.get(v); k++) sources.push(this.slotIds[this.variantSources.get(v * MAX_VARIANT_SOURCES + k)]);
      let norms = this.variantNorms[v];
      if (!norms) this.variantNorms[v] = norms = tokenize(text).map((t) => t.norm);
      variants.set(text, { text, norms: norms.slice(), count: this.variantCount.get(v), sources });
    }
    return { key: this.groupKey[group], kind: NAME_KINDS[this.groupKind.get(group)], variants, total: this.groupTotal.get(group) };
  }

  /** The word id of a normal form, numbering it if new. */
  private idOf(norm: string): number {
    let id = this.vocabulary.get(norm);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(norm);
      this.vocabulary.set(norm, id);
      if (id >= this.wordFlags.length) {
        this.wordFlags = grown(this.wordFlags, id * 2, 0);
        this.lastPassageOf = grown(this.lastPassageOf, id * 2, -1);
      }
    }
    return id;
  }

  /**
   * The normal form of the spelling `text[start, end)`, for query-time
   * tokenising: read through the lexicon (no string is made for a spelling of
   * the corpus), normalised now for one the corpus lacks. Never numbers a
   * word, so text that is not indexed does not grow the index. (A growing
   * memo of normal forms used to be rehashed, and cleared, in the middle of a
   * completion.)
   */
  private normOf(text: string, start: number, end: number): string {
    const spelling = this.lexicon.findSpelling(text, start, end);
    return spelling >= 0 ? this.lexicon.form(this.lexicon.formOf(spelling)) : normalizeWord(text.slice(start, end));
  }

  /** The word id of the spelling `text[start, end)`, numbering the spelling and the word if new. */
  private spellingId(text: string, start: number, end: number): number {
    return this.wordOf(this.lexicon.formOf(this.lexicon.spelling(text, start, end)));
  }

  /** The word id of the lexicon's form number `form`, numbering the word if new. */
  private wordOf(form: number): number {
    // Grown with room to spare: growing touches new memory, which a change to one file should rarely pay for.
    if (form >= this.wordOfForm.length) this.wordOfForm = grown(this.wordOfForm, Math.max(this.lexicon.formCount * 2, form + 1), -1);
    let id = this.wordOfForm[form];
    if (id < 0) id = this.wordOfForm[form] = this.idOf(this.lexicon.form(form));
    return id;
  }

  private addPassages(source: Source, slot: number, words: SourceWords, spans: SourceSpans): void {
    const text = source.text;
    const { body, sentencesAt, quotesAt, quoteCount } = spans;
    // Quotations in order of their starts (as parsed, almost always already).
    let order: number[] | undefined;
    for (let i = 1; i < quoteCount; i++) {
      if (body[quotesAt + 2 * i] < body[quotesAt + 2 * i - 2]) {
        order = Array.from({ length: quoteCount }, (_, k) => k).sort((a, b) => body[quotesAt + 2 * a] - body[quotesAt + 2 * b]);
        break;
      }
    }
    let q = 0;
    const spoken = source.meta.type === 'transcript';
    for (let s = 0; s < spans.sentenceCount; s++) {
      const sentenceStart = body[sentencesAt + 3 * s];
      const sentenceEnd = body[sentencesAt + 3 * s + 1];
      if (sentenceStart < source.bodyStart) continue;
      let holdsQuote = false;
      while (q < quoteCount && body[quotesAt + 2 * (order ? order[q] : q)] < sentenceEnd) {
        const quote = order ? order[q] : q;
        q++;
        holdsQuote = true;
        const start = body[quotesAt + 2 * quote];
        const end = body[quotesAt + 2 * quote + 1];
        if (end - start < 3) continue;
        const named = spans.speakers[quote];
        const speaker = named === null || named === undefined ? 0 : this.speakers.idOf(named) + 1;
        this.addPassage(text, slot, start, end, speaker * 2, sentenceStart, Math.max(sentenceEnd, end), words);
      }
      // Narration is not a quotation (the quote checker flags it when quoted): only a transcript's sentences are all speech.
      if (spoken && !holdsQuote && !holdsQuotationMark(text, sentenceStart, sentenceEnd)) {
        this.addPassage(text, slot, sentenceStart, sentenceEnd, 1, sentenceStart, sentenceEnd, words);
      }
    }
  }

  private addPassage(text: string, slot: number, start: number, end: number, info: number, sentenceStart: number, sentenceEnd: number, words: SourceWords): void {
    const id = this.passageSlot.push(slot);
    this.passageStart.push(start);
    this.passageEnd.push(end);
    this.passageSentenceStart.push(sentenceStart);
    this.passageSentenceEnd.push(sentenceEnd);
    this.passageInfo.push(info);
    // The words as `tokensOf` reads them from the passage alone: the source's words from the passage's start (unless
    // the passage starts inside one), and a word running past the end read again from the cut-off text (as the
    // passage alone has it).
    if (!words.splitAt(start)) {
      const { starts, ends, forms } = words;
      for (let i = words.firstAt(start); i < words.count && starts[i] < end; i++) {
        if (ends[i] > end) {
          const tail = text.slice(starts[i], end);
          const rest = new WordScanner(tail);
          while (rest.next()) this.post(this.spellingId(tail, rest.start, rest.end), id);
          break;
        }
        this.post(this.wordOf(forms[i]), id);
      }
      return;
    }
    const scanner = new WordScanner(text, start);
    while (scanner.next() && scanner.start < end) {
      if (scanner.end > end) {
        const tail = text.slice(scanner.start, end);
        const rest = new WordScanner(tail);
        while (rest.next()) this.post(this.spellingId(tail, rest.start, rest.end), id);
        break;
      }
      this.post(this.spellingId(text, scanner.start, scanner.end), id);
    }
  }

  /** Posts passage `id` for `word`, once per passage. */
  private post(word: number, id: number): void {
    if (this.lastPassageOf[word] === id) return;
    this.lastPassageOf[word] = id;
    if (!(this.wordFlags[word] & IN_SORTED_WORDS)) {
      this.wordFlags[word] |= IN_SORTED_WORDS;
      this.sortedWords.add(word);
    }
    this.wordPassages.add(word, id);
  }

  private compactPostings(): void {
    this.wordPassages.merge((id) => this.slotAlive.get(this.passageSlot.get(id)) === 1);
    const live: number[] = [];
    for (const word of this.sortedWords.sorted()) {
      if (this.wordPassages.count(word) > 0) live.push(word);
      else this.wordFlags[word] &= ~IN_SORTED_WORDS;
    }
    this.sortedWords.reset(live);
    this.deadPassages = 0;
  }

  private compactFigures(): void {
    const alive = (id: number) => this.figureAlive(id);
    this.leadFigures.merge(alive);
    this.nounFigures.merge(alive);
    this.deadFigures = 0;
  }

  private addNames(source: Source, slot: number, sign: 1 | -1, spans: SourceSpans): void {
    const { body, namesAt } = spans;
    for (let n = 0; n < spans.nameCount; n++) {
      const at = namesAt + 3 * n;
      const mention = { text: spans.nameTexts[n] || source.text.slice(body[at], body[at + 1]), kind: NAME_KINDS[body[at + 2]] ?? 'other' };
      let variant = this.variantOf.get(mention.text);
      let group: number;
      if (variant === undefined) {
        // A name met before has a variant: only a spelling new to the index (or left without one) gets here.
        const key = nameSkeleton(mention.text);
        if (key.length < 2) continue;
        const known = this.groupOf.get(key);
        if (known === undefined) {
          if (sign < 0) continue;
          group = this.newGroup(key, mention.kind);
        } else group = known;
      } else group = this.variantGroup.get(variant);
      if (this.groupKind.get(group) === OTHER_KIND && mention.kind !== 'other') this.groupKind.set(group, NAME_KINDS.indexOf(mention.kind));
      if (variant === undefined) {
        if (sign < 0) continue;
        variant = this.newVariant(ownCopy(mention.text), group);
      }
      this.variantCount.set(variant, this.variantCount.get(variant) + sign);
      this.groupTotal.set(group, this.groupTotal.get(group) + sign);
      this.updateVariantSources(variant, slot, sign);
      if (this.variantCount.get(variant) <= 0) this.dropVariant(variant, group);
    }
  }

  private newGroup(key: string, kind: NameKind): number {
    const group = this.groupKey.length;
    this.groupKey.push(key);
    this.groupKind.push(NAME_KINDS.indexOf(kind));
    this.groupTotal.push(0);
    this.groupHead.push(-1);
    this.groupTail.push(-1);
    this.groupOf.set(key, group);
    this.liveGroups++;
    return group;
  }

  private newVariant(text: string, group: number): number {
    const variant = this.variantText.length;
    this.variantText.push(text);
    this.variantGroup.push(group);
    this.variantCount.push(0);
    this.variantNext.push(-1);
    for (let k = 0; k < MAX_VARIANT_SOURCES; k++) this.variantSources.push(-1);
    this.variantSourceCount.push(0);
    this.variantOf.set(text, variant);
    const tail = this.groupTail.get(group);
    if (tail === -1) this.groupHead.set(group, variant);
    else this.variantNext.set(tail, variant);
    this.groupTail.set(group, variant);
    // Duplicates are dropped when the pending words are merged.
    const key = this.groupKey[group];
    for (const token of tokenize(text)) this.sortedNameWords.add(`${token.norm}\u0000${key}`);
    return variant;
  }

  /** Keeps the first `MAX_VARIANT_SOURCES` sources using a spelling, in the order they were added. */
  private updateVariantSources(variant: number, slot: number, sign: 1 | -1): void {
    const base = variant * MAX_VARIANT_SOURCES;
    const count = this.variantSourceCount.get(variant);
    let at = -1;
    for (let k = 0; k < count; k++) {
      if (this.variantSources.get(base + k) === slot) {
        at = k;
        break;
      }
    }
    if (sign > 0 && at < 0 && count < MAX_VARIANT_SOURCES) {
      this.variantSources.set(base + count, slot);
      this.variantSourceCount.set(variant, count + 1);
    } else if (sign < 0 && at >= 0) {
      for (let k = at; k + 1 < count; k++) this.variantSources.set(base + k, this.variantSources.get(base + k + 1));
      this.variantSources.set(base + count - 1, -1);
      this.variantSourceCount.set(variant, count - 1);
    }
  }

  /** Unlinks a spelling no source uses any more, and its group when it was the last. */
  private dropVariant(variant: number, group: number): void {
    this.variantOf.delete(this.variantText[variant]);
    let previous = -1;
    for (let v = this.groupHead.get(group); v !== variant; v = this.variantNext.get(v)) previous = v;
    const next = this.variantNext.get(variant);
    if (previous === -1) this.groupHead.set(group, next);
    else this.variantNext.set(previous, next);
    if (this.groupTail.get(group) === variant) this.groupTail.set(group, previous);
    this.variantNext.set(variant, -1);
    if (this.groupHead.get(group) === -1) {
      this.groupOf.delete(this.groupKey[group]);
      this.liveGroups--;
    }
  }

  private addFigures(source: Source, slot: number, candidates: Int32Array): void {
    const text = source.text;
    for (let at = 0; at < candidates.length; at += FIGURE_CANDIDATE_HEAD + 2 * candidates[at + 5]) {
      const index = candidates[at];
      const rawEnd = candidates[at + 1];
      const spelled = candidates[at + 4] === 1;
      const raw = text.slice(index, rawEnd);
      const nounsFirst = this.nounPool.length;
      for (let w = 0; w < candidates[at + 5]; w++) {
        const word = this.spellingId(text, candidates[at + FIGURE_CANDIDATE_HEAD + 2 * w], candidates[at + FIGURE_CANDIDATE_HEAD + 2 * w + 1]);
        const flags = this.wordClass(word);
        if (flags & COUNTABLE) this.nounPool.push(word);
        if (flags & ENDS_COUNT) break;
      }
      const nouns = this.nounPool.length - nounsFirst;
      if (spelled && nouns === 0) continue;
      const digits = figureDigits(raw);
      const id = this.figureSlot.push(slot);
      this.figureStart.push(index);
      this.figureEnd.push(rawEnd);
      this.figureSentenceStart.push(candidates[at + 2]);
      this.figureSentenceEnd.push(candidates[at + 3]);
      this.figureText.push(this.figureStrings.idOf(raw));
      this.figureDigits.push(this.figureStrings.idOf(digits));
      this.figureNouns.push(nounsFirst * 8 + nouns);
      this.leadFigures.add(this.leads.idOf(digits.slice(0, 2)), id);
      for (let i = nounsFirst; i < nounsFirst + nouns; i++) {
        const word = this.nounPool.get(i);
        if (!(this.wordFlags[word] & IN_SORTED_NOUNS)) {
          this.wordFlags[word] |= IN_SORTED_NOUNS;
          this.sortedNouns.add(word);
        }
        this.nounFigures.add(word, id);
      }
    }
  }


  /** `COUNTABLE` and `ENDS_COUNT` of a word, worked out once per word. */
  private wordClass(word: number): number {
    const flags = this.wordFlags[word];
    if (flags & CLASSIFIED) return flags;
    const w = this.words[word];
    let cls = CLASSIFIED;
    if (isCountable(w)) cls |= COUNTABLE;
    if (ENDS_COUNT_WORD.test(w)) cls |= ENDS_COUNT;
    this.wordFlags[word] = flags | cls;
    return flags | cls;
  }
}

/** Whether `text[start, end)` holds a straight or curly double quotation mark. */
function holdsQuotationMark(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x201c || c === 0x201d) return true;
  }
  return false;
}

const ENDS_COUNT_WORD = /[^s]s$|men$|people$/;

function isCountable(norm: string): boolean {
  return norm.length >= 3 && !/^\p{N}/u.test(norm) && !CLAUSE_BREAK.has(norm) && !NOT_COUNTED.has(norm);
}

/** A figure's wording: the number and the words after it up to a clause break, and for each counted noun the words through it. */
export interface FigureWording {
  text: string;
  digits: string;
  /** "2,500 American soldiers in Iraq" */
  phrase: string;
  nouns: string[];
  /** For each of `nouns`, the source's words from the number through that noun ("2,500 American soldiers"). */
  throughs: string[];
}

/**
 * The words after a number (at most `maxWords`, up to a clause break), its
 * digits and whether it is spelled out; `undefined` for dates, times, years
 * and a spelled number that counts nothing. `before` is up to 12 units of the
 * sentence before the number, `after` up to 80 after it.
 */
function readFigureWords(before: string, after: string, raw: string, maxWords: number): { digits: string; spelled: boolean; words: string[] } | undefined {
  const read = readFigureWordSpans(before, after, raw, maxWords);
  if (!read) return undefined;
  const words: string[] = [];
  for (let i = 0; i < read.spans.length; i += 2) words.push(after.slice(read.spans[i], read.spans[i + 1]));
  return { digits: figureDigits(raw), spelled: read.spelled, words };
}

/** The digits of a number as written (a spelled-out number's value). */
function figureDigits(raw: string): string {
  return SPELLED[raw.toLowerCase()] ?? raw.replace(/[^\p{N}.]/gu, '');
}

/** `readFigureWords` with the words as (start, end) offsets into `after`. */
function readFigureWordSpans(before: string, after: string, raw: string, maxWords: number): { spelled: boolean; spans: number[] } | undefined {
  const lower = raw.toLowerCase();
  const spelled = SPELLED[lower];
  const previousWord = /([\p{L}.]+)\s*$/u.exec(before)?.[1] ?? '';
  const nextWord = /^\s*([\p{L}]+)/u.exec(after)?.[1] ?? '';
  if (MONTHS.test(previousWord) || MONTHS.test(nextWord)) return undefined; // "Dec. 28", "18 January"
  if (/^[:/]\p{N}/u.test(after) || /\p{N}[:/]$/u.test(before)) return undefined; // 13:44, 1/2
  if (!spelled && /^(?:1[89]|20)\p{N}{2}$/u.test(raw) && !/^\s+\p{Ll}+s\b/u.test(after)) return undefined; // a year, unless it counts something
  if (spelled && !/^\s+\p{Ll}/u.test(after)) return undefined; // "one" must count something
  const spans: number[] = [];
  // Sticky: each word right where the one before ended, as `^` after cutting the text there would read it.
  const wordRe = /(\s+)([\p{L}\p{N}'’-]+)/uy;
  wordRe.lastIndex = 0;
  for (let i = 0; i < maxWords; i++) {
    const w = wordRe.exec(after);
    if (!w) break;
    if (i > 0 && CLAUSE_BREAK.has(w[2].toLowerCase())) break;
    spans.push(w.index + w[1].length, w.index + w[0].length);
  }
  return { spelled: spelled !== undefined, spans };
}

/** Head of a figure candidate (see `figureCandidates`): index, end, sentence start and end, spelled, word count. */
const FIGURE_CANDIDATE_HEAD = 6;

/**
 * The numbers of a source's body that the completion index files as
 * figures, read from the text and the sentences alone, so that a parsing
 * worker can read them with the rest of the source (see `sourceFile.ts`).
 * Flat: per candidate its index and end in the text, its sentence's start
 * and end, 1 when spelled out, the number of words after it, then that many
 * (start, end) pairs of those words. Dates, times, years and the like are
 * left out (see `readFigureWords`).
 */
export function figureCandidates(text: string, bodyStart: number, spans: SourceSpans): Int32Array {
  const out: number[] = [];
  const { body, sentencesAt, sentenceCount } = spans;
  const sentenceEnd = (k: number) => body[sentencesAt + 3 * k + 1];
  const consider = (k: number, index: number, raw: string) => {
    if (k >= sentenceCount) return;
    const start = body[sentencesAt + 3 * k];
    const end = sentenceEnd(k);
    if (start > index || index + raw.length > end) return;
    // What `readFigure` reads from its chunk of the sentence, read from the text in place.
    const from = index + raw.length;
    const read = readFigureWordSpans(text.slice(Math.max(start, index - 12), index), text.slice(from, Math.min(end, from + 80)), raw, 4);
    if (!read) return;
    out.push(index, from, start, end, read.spelled ? 1 : 0, read.spans.length / 2);
    for (const offset of read.spans) out.push(from + offset);
  };
  // Two scans of the body (digits, then number words; no per-sentence copies); a moving pointer finds each match's sentence.
  let k = 0;
  DIGIT_FIGURE.lastIndex = bodyStart;
  for (let m = DIGIT_FIGURE.exec(text); m; m = DIGIT_FIGURE.exec(text)) {
    while (k < sentenceCount && sentenceEnd(k) <= m.index) k++;
    consider(k, m.index, m[0]);
  }
  k = 0;
  SPELLED_FIGURE.lastIndex = bodyStart;
  for (let m = SPELLED_FIGURE.exec(text); m; m = SPELLED_FIGURE.exec(text)) {
    while (k < sentenceCount && sentenceEnd(k) <= m.index) k++;
    consider(k, m.index, m[0]);
  }
  return Int32Array.from(out);
}

/** Reads the phrase after a number in `chunk` at `at`; `undefined` for dates, times, years and bare ordinals. */
function readFigure(chunk: string, at: number, raw: string, normOf: (word: string) => string): FigureWording | undefined {
  const read = readFigureWords(chunk.slice(Math.max(0, at - 12), at), chunk.slice(at + raw.length, at + raw.length + 80), raw, 6);
  if (!read) return undefined;
  const { digits, words } = read;
  const phrase = [raw, ...words].join(' ');
  // What the number counts: the words up to the first plural-looking one ("American soldiers"), not what follows it ("100 attacks targeting US forces" counts attacks).
  const nouns: string[] = [];
  const throughs: string[] = [];
  for (let i = 0; i < Math.min(4, words.length); i++) {
    const w = normOf(words[i]);
    if (isCountable(w)) {
      nouns.push(w);
      throughs.push([raw, ...words.slice(0, i + 1)].join(' '));
    }
    if (ENDS_COUNT_WORD.test(w)) break;
  }
  if (read.spelled && nouns.length === 0) return undefined;
  return { text: raw, digits, phrase, nouns, throughs };
}
