/**
 * The search structures behind completion, kept in step with the corpus as an
 * `IndexPart`: one add and one remove per changed file, never a rebuild.
 *
 * - Quote passages (the quotations of each source, and every sentence of a
 *   transcript, where all words are the speaker's) with a word → passages postings list, so the words a writer types
 *   inside a quotation find their passage in a few postings lookups, from the
 *   passage's start or its middle. Passage words are not stored: the few
 *   candidates are re-tokenised when they are aligned.
 * - Names grouped by spelling: "Mohammed Shia' al-Sudani", "Muhammad Shiaa
 *   Al-Sudani" and "Mohammed Shia Al Sudani" share a consonant skeleton and form
 *   one group whose variants keep their counts and outlets.
 * - Figures: each number in a source sentence with the words that follow it
 *   ("2,500 American soldiers in Iraq"), by digits and by counted noun.
 *
 * Prefix lookups use sorted arrays of distinct words (binary search, then a
 * short scan, as measured in MEASURED.md). New words wait in a pending list
 * and are merged at the next lookup: one sort-and-merge after a bulk build, a
 * few in-place inserts after one changed file, never a full re-sort. Words of
 * removed sources stay in those arrays; their postings are checked on use.
 */
import type { Source } from '../types';
import type { IndexPart } from './corpusIndex';
import { normalizeWord, tokenize } from '../text';

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
  /** Normalised words of `text`, computed once. */
  norms: string[];
  count: number;
  /** Ids of sources using this spelling, at most `MAX_VARIANT_SOURCES` (for display; a map per spelling cost too much memory). */
  sources: string[];
}

/** The spellings of one name across the corpus. */
export interface NameGroup {
  key: string;
  kind: 'person' | 'organisation' | 'place' | 'other';
  variants: Map<string, NameVariant>;
  /** Mentions of all variants across the corpus. */
  total: number;
}

/** A number in a source with the words after it. */
export interface SourceFigure {
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

/** The word pattern of `text.ts` (`tokenize`), repeated here so words can be normalised through a memo. */
const WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;

/** A consonant skeleton that survives transliteration: Mohammed/Muhammad → mhmd, Shia'/Shiaa → sh. */
export function nameSkeleton(name: string): string {
  const letters = name.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z\p{L}]/gu, '');
  if (!letters) return '';
  return (letters[0] + letters.slice(1).replace(/[aeiouyw]/g, '')).replace(/(.)\1+/g, '$1');
}

/** Search structures for quote, name and figure completion. */
export class CompletionIndex implements IndexPart {
  private readonly passages: Array<Passage | undefined> = [];
  private readonly passagesBySource = new Map<string, number[]>();
  private readonly postings = new Map<string, number[]>();
  private deadPassages = 0;
  private readonly sortedWords = new SortedStrings();

  private readonly groups = new Map<string, NameGroup>();
  /** `word \0 group key`, sorted: the groups with a word starting with a prefix. */
  private readonly sortedNameWords = new SortedStrings();

  private readonly figures: Array<SourceFigure | undefined> = [];
  private readonly figuresBySource = new Map<string, number[]>();
  /** Figure ids by their first two digits (or the one digit of a one-digit number). */
  private readonly figuresByLead = new Map<string, number[]>();
  private readonly figuresByNounMap = new Map<string, number[]>();
  private readonly sortedNouns = new SortedStrings();
  private deadFigures = 0;
  /** `lower-case key \0 key`, sorted: citation keys by prefix. */
  private readonly sortedKeys = new SortedStrings();

  add(source: Source): void {
    this.sortedKeys.add(`${source.key.toLowerCase()}\u0000${source.key}`);
    this.addPassages(source);
    this.addNames(source, +1);
    this.addFigures(source);
  }

  remove(source: Source): void {
    for (const id of this.passagesBySource.get(source.id) ?? []) {
      this.passages[id] = undefined;
      this.deadPassages++;
    }
    this.passagesBySource.delete(source.id);
    this.addNames(source, -1);
    for (const id of this.figuresBySource.get(source.id) ?? []) {
      this.figures[id] = undefined;
      this.deadFigures++;
    }
    this.figuresBySource.delete(source.id);
    if (this.deadFigures > 1000 && this.deadFigures * 2 > this.figures.length) this.compactFigures();
    // Postings keep dead ids until there are as many dead as live; then they are compacted once.
    if (this.deadPassages > 1000 && this.deadPassages * 2 > this.passages.length) this.compactPostings();
  }

  passage(id: number): Passage | undefined {
    return this.passages[id];
  }

  /** Passage ids that hold the normalised word `norm`; ids of removed passages may remain, `passage(id)` is then undefined. */
  passagesWith(norm: string): number[] {
    return this.postings.get(norm) ?? [];
  }

  /** Distinct normalised words starting with `prefix`, at most `limit`. */
  wordsStartingWith(prefix: string, limit: number): string[] {
    return rangeOf(this.sortedWords.sorted(), prefix, (w) => w, limit);
  }

  /** Name groups with a word starting with the normalised `prefix`. */
  nameGroupsWithWord(prefix: string, limit: number): NameGroup[] {
    const keys = new Set(rangeOf(this.sortedNameWords.sorted(), prefix, (e) => e, limit * 4).map((e) => e.slice(e.indexOf('\u0000') + 1)));
    return [...keys].map((k) => this.groups.get(k)).filter((g): g is NameGroup => !!g).slice(0, limit);
  }

  /** The wording of a figure of `source` (read again from the source text: it is not stored). */
  wording(figure: SourceFigure, source: Source): FigureWording | undefined {
    const from = Math.max(figure.sentenceStart, figure.start - 12);
    const chunk = source.text.slice(from, Math.min(figure.sentenceEnd, figure.end + 80));
    return readFigure(chunk, figure.start - from, figure.text, this.normCache);
  }

  /** Citation keys starting with `prefix` (any case), in key order; keys of removed sources may remain, check them. */
  keysStartingWith(prefix: string, limit: number): string[] {
    return rangeOf(this.sortedKeys.sorted(), prefix.toLowerCase(), (e) => e, limit).map((e) => e.slice(e.indexOf('\u0000') + 1));
  }

  /** Words of `text[start, end)` with offsets, as `tokenize` gives them, normalised through the memo. */
  tokensOf(text: string, start: number, end: number): Array<{ norm: string; start: number; end: number }> {
    const out: Array<{ norm: string; start: number; end: number }> = [];
    const slice = text.slice(start, end);
    WORD.lastIndex = 0;
    for (let m = WORD.exec(slice); m; m = WORD.exec(slice)) {
      let norm = this.normCache.get(m[0]);
      if (norm === undefined) this.normCache.set(m[0], (norm = normalizeWord(m[0])));
      out.push({ norm, start: start + m.index, end: start + m.index + m[0].length });
    }
    return out;
  }

  /** Every name group (for fuzzy fallback over a small corpus). */
  nameGroups(): IterableIterator<NameGroup> {
    return this.groups.values();
  }

  get nameGroupCount(): number {
    return this.groups.size;
  }

  /** Source figures whose digits start with `digits`. */
  figuresByDigits(digits: string, limit: number): SourceFigure[] {
    const leads = digits.length >= 2 ? [digits.slice(0, 2)] : [digits, ...'0123456789.'.split('').map((d) => digits + d)];
    const out: SourceFigure[] = [];
    for (const lead of leads) {
      for (const id of this.figuresByLead.get(lead) ?? []) {
        const figure = this.figures[id];
        if (figure && figure.digits.startsWith(digits)) out.push(figure);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** Source figures counting a noun that starts with `prefix` ("troo" → troops). */
  figuresByNoun(prefix: string, limit: number): Array<{ figure: SourceFigure; noun: string }> {
    const out: Array<{ figure: SourceFigure; noun: string }> = [];
    for (const noun of rangeOf(this.sortedNouns.sorted(), prefix, (n) => n, 64)) {
      for (const id of this.figuresByNounMap.get(noun) ?? []) {
        const figure = this.figures[id];
        if (figure) out.push({ figure, noun });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  private addPassages(source: Source): void {
    const ids: number[] = [];
    const push = (p: Passage) => {
      const id = this.passages.length;
      this.passages.push(p);
      ids.push(id);
      // The words of normalWords(), straight into the postings: ids only grow, so a word met twice in one passage is its list's last entry.
      const text = source.text.slice(p.start, p.end);
      WORD.lastIndex = 0;
      for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
        // One lookup per word as written for the common case: its normal form's postings list, memoised.
        let list = this.postingsByWritten.get(m[0]);
        if (list === undefined) {
          let norm = this.normCache.get(m[0]);
          if (norm === undefined) this.normCache.set(m[0], (norm = normalizeWord(m[0])));
          list = this.postings.get(norm);
          if (!list) {
            this.postings.set(norm, (list = []));
            this.sortedWords.add(norm);
          }
          this.postingsByWritten.set(m[0], list);
        }
        if (list[list.length - 1] !== id) list.push(id);
      }
      if (this.normCache.size > 200_000) this.normCache.clear();
      if (this.postingsByWritten.size > 200_000) this.postingsByWritten.clear();
    };
    let q = 0;
    const quotes = [...source.quotes].sort((a, b) => a.start - b.start);
    const spoken = source.meta.type === 'transcript';
    for (const sentence of source.sentences) {
      if (sentence.start < source.bodyStart) continue;
      let holdsQuote = false;
      while (q < quotes.length && quotes[q].start < sentence.end) {
        const quote = quotes[q++];
        holdsQuote = true;
        if (quote.end - quote.start < 3) continue;
        push({ sourceId: source.id, start: quote.start, end: quote.end, kind: 'quote', speaker: quote.speaker, sentenceStart: sentence.start, sentenceEnd: Math.max(sentence.end, quote.end) });
      }
      // Narration is not a quotation (the quote checker flags it when quoted): only a transcript's sentences are all speech.
      if (spoken && !holdsQuote && !/["“”]/.test(source.text.slice(sentence.start, sentence.end))) {
        push({ sourceId: source.id, start: sentence.start, end: sentence.end, kind: 'sentence', sentenceStart: sentence.start, sentenceEnd: sentence.end });
      }
    }
    this.passagesBySource.set(source.id, ids);
  }

  /** Postings lists by a word as written (`Iraq`, `iraq`, `IRAQ` → the list of `iraq`); cleared whenever postings lists are replaced. */
  private readonly postingsByWritten = new Map<string, number[]>();

  /** Memo of `nameSkeleton` by spelling: the same names recur across thousands of articles. */
  private readonly skeletons = new Map<string, string>();

  /** Memo of `normalizeWord`: text is mostly the same few thousand words, and Unicode normalisation per word dominated indexing. */
  private readonly normCache = new Map<string, string>();

  /** The distinct normal forms of the words of `text`, as `tokenize` would give them (a unit test holds them equal). */
  normalWords(text: string): Set<string> {
    const out = new Set<string>();
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
      let norm = this.normCache.get(m[0]);
      if (norm === undefined) this.normCache.set(m[0], (norm = normalizeWord(m[0])));
      out.add(norm);
    }
    if (this.normCache.size > 200_000) this.normCache.clear();
    return out;
  }

  private compactPostings(): void {
    this.postingsByWritten.clear();
    for (const [word, list] of this.postings) {
      const live = list.filter((id) => this.passages[id]);
      if (live.length) this.postings.set(word, live);
      else this.postings.delete(word);
    }
    this.deadPassages = 0;
    this.sortedWords.reset(this.postings.keys());
  }

  private compactFigures(): void {
    for (const map of [this.figuresByLead, this.figuresByNounMap]) {
      for (const [key, list] of map) {
        const live = list.filter((id) => this.figures[id]);
        if (live.length) map.set(key, live);
        else map.delete(key);
      }
    }
    this.deadFigures = 0;
  }

  private addNames(source: Source, sign: 1 | -1): void {
    for (const mention of source.names) {
      let key = this.skeletons.get(mention.text);
      if (key === undefined) this.skeletons.set(mention.text, (key = nameSkeleton(mention.text)));
      if (key.length < 2) continue;
      let group = this.groups.get(key);
      if (!group) {
        if (sign < 0) continue;
        this.groups.set(key, (group = { key, kind: mention.kind, variants: new Map(), total: 0 }));
      }
      if (group.kind === 'other' && mention.kind !== 'other') group.kind = mention.kind;
      let variant = group.variants.get(mention.text);
      if (!variant) {
        if (sign < 0) continue;
        group.variants.set(mention.text, (variant = { text: mention.text, norms: tokenize(mention.text).map((t) => t.norm), count: 0, sources: [] }));
        // Duplicates are dropped when the pending words are merged.
        for (const norm of variant.norms) this.sortedNameWords.add(`${norm}\u0000${key}`);
      }
      variant.count += sign;
      group.total += sign;
      const at = variant.sources.indexOf(source.id);
      if (sign > 0 && at < 0 && variant.sources.length < MAX_VARIANT_SOURCES) variant.sources.push(source.id);
      else if (sign < 0 && at >= 0) variant.sources.splice(at, 1);
      if (variant.count <= 0) group.variants.delete(mention.text);
      if (group.variants.size === 0) this.groups.delete(key);
    }
  }

  private addFigures(source: Source): void {
    const ids: number[] = [];
    // Two scans of the body (digits, then number words; no per-sentence copies); a moving pointer finds each match's sentence.
    const text = source.text;
    const sentences = source.sentences;
    for (const pattern of [DIGIT_FIGURE, SPELLED_FIGURE]) {
      let k = 0;
      pattern.lastIndex = source.bodyStart;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        while (k < sentences.length && sentences[k].end <= m.index) k++;
        const sentence = sentences[k];
        if (!sentence || sentence.start > m.index || m.index + m[0].length > sentence.end) continue;
        const chunk = text.slice(Math.max(sentence.start, m.index - 12), Math.min(sentence.end, m.index + m[0].length + 80));
        const figure = readFigure(chunk, m.index - Math.max(sentence.start, m.index - 12), m[0], this.normCache);
        if (!figure) continue;
        const id = this.figures.length;
        // Only what lookups need is kept; the wording is read again for the few figures shown (see `wording`).
        this.figures.push({ text: figure.text, digits: figure.digits, nouns: figure.nouns, sourceId: source.id, start: m.index, end: m.index + m[0].length, sentenceStart: sentence.start, sentenceEnd: sentence.end });
        ids.push(id);
        pushTo(this.figuresByLead, figure.digits.slice(0, 2), id);
        for (const noun of figure.nouns) {
          if (!this.figuresByNounMap.has(noun)) this.sortedNouns.add(noun);
          pushTo(this.figuresByNounMap, noun, id);
        }
      }
    }
    this.figuresBySource.set(source.id, ids);
  }
}

/** Reads the phrase after a number; `undefined` for dates, times, years and bare ordinals. */
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

function readFigure(chunk: string, at: number, raw: string, normCache: Map<string, string>): FigureWording | undefined {
  const lower = raw.toLowerCase();
  const spelled = SPELLED[lower];
  const digits = spelled ?? raw.replace(/[^\p{N}.]/gu, '');
  const before = chunk.slice(Math.max(0, at - 12), at);
  const after = chunk.slice(at + raw.length, at + raw.length + 80);
  const previousWord = /([\p{L}.]+)\s*$/u.exec(before)?.[1] ?? '';
  const nextWord = /^\s*([\p{L}]+)/u.exec(after)?.[1] ?? '';
  if (MONTHS.test(previousWord) || MONTHS.test(nextWord)) return undefined; // "Dec. 28", "18 January"
  if (/^[:/]\p{N}/u.test(after) || /\p{N}[:/]$/u.test(before)) return undefined; // 13:44, 1/2
  if (!spelled && /^(?:1[89]|20)\p{N}{2}$/u.test(raw) && !/^\s+\p{Ll}+s\b/u.test(after)) return undefined; // a year, unless it counts something
  if (spelled && !/^\s+\p{Ll}/u.test(after)) return undefined; // "one" must count something
  const words: string[] = [];
  const wordRe = /^(\s+)([\p{L}\p{N}'’-]+)/u;
  let rest = after;
  for (let i = 0; i < 6; i++) {
    const w = wordRe.exec(rest);
    if (!w) break;
    if (i > 0 && CLAUSE_BREAK.has(w[2].toLowerCase())) break;
    words.push(w[2]);
    rest = rest.slice(w[0].length);
  }
  const phrase = [raw, ...words].join(' ');
  // What the number counts: the words up to the first plural-looking one ("American soldiers"), not what follows it ("100 attacks targeting US forces" counts attacks).
  const nouns: string[] = [];
  const throughs: string[] = [];
  for (let i = 0; i < Math.min(4, words.length); i++) {
    let w = normCache.get(words[i]);
    if (w === undefined) normCache.set(words[i], (w = normalizeWord(words[i])));
    if (w.length >= 3 && !/^\p{N}/u.test(w) && !CLAUSE_BREAK.has(w) && !NOT_COUNTED.has(w)) {
      nouns.push(w);
      throughs.push([raw, ...words.slice(0, i + 1)].join(' '));
    }
    if (/[^s]s$|men$|people$/.test(w)) break;
  }
  if (spelled && nouns.length === 0) return undefined;
  return { text: raw, digits, phrase, nouns, throughs };
}

function pushTo(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
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

  reset(values: Iterable<string>): void {
    this.items = [...values].sort();
    this.pending = [];
  }

  sorted(): string[] {
    if (this.pending.length === 0) return this.items;
    const fresh = [...new Set(this.pending)].sort();
    this.pending = [];
    if (fresh.length <= 64) {
      for (const value of fresh) {
        const at = lowerBound(this.items, value, (v) => v);
        if (this.items[at] !== value) this.items.splice(at, 0, value);
      }
      return this.items;
    }
    const merged: string[] = [];
    let i = 0;
    let j = 0;
    while (i < this.items.length || j < fresh.length) {
      const next = j >= fresh.length || (i < this.items.length && this.items[i] <= fresh[j]) ? this.items[i++] : fresh[j++];
      if (merged[merged.length - 1] !== next) merged.push(next);
    }
    this.items = merged;
    return merged;
  }
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
