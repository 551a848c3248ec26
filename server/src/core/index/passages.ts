/**
 * The passage index: finds where in the corpus a quotation's words stand.
 *
 * Every source is tokenised once into word ids (typed arrays). Each run of
 * three words (a 3-gram) is hashed into a fixed table of buckets whose
 * postings are chained in growable typed arrays, so adding a source appends
 * and never rebuilds. A quotation's 3-grams vote for (source, diagonal)
 * positions; the few best candidates are aligned word by word
 * (`match/align.ts`). Quotations too short or too changed for 3-grams take a
 * second path: the sources holding their rarest word, scanned for it.
 * Removing a source leaves a tombstone; the tables are compacted when a
 * quarter of what they hold is dead.
 */
import type { Source } from '../types';
import type { IndexPart } from './corpusIndex';
import { normalizeWord } from '../text';
import { align, GAP, STAND_IN, UNKNOWN_WORD, type Alignment, type IdPattern } from '../match/align';
import type { PatternElement } from '../match/pattern';

/** Where a pattern lies in one source, with the alignment that put it there. */
export interface PassageMatch {
  source: Source;
  /** Offsets into `source.text` of the first and past the last source word covered. */
  start: number;
  end: number;
  alignment: Alignment;
  /** Offsets into `source.text` of source word `i` (alignment indices such as `alignment.from` are word indices). */
  wordStart(i: number): number;
  wordEnd(i: number): number;
}

/** What the quote checker needs from a passage search; a larger engine could implement it too. */
export interface PassageSearch {
  /**
   * The closest passages to `pattern`, best (cheapest) first, at most one per
   * source, and only those with at most `maxCost` edits.
   */
  find(pattern: PatternElement[], maxCost: number, limit?: number): PassageMatch[];
}

interface Doc {
  source: Source;
  ids: Int32Array;
  starts: Int32Array;
  /** Word lengths in UTF-16 units (capped: a "word" longer than 65,535 units is page debris). */
  lengths: Uint16Array;
  /** Position of the doc's first word in the postings' global numbering. */
  base: number;
  alive: boolean;
}

const BUCKET_BITS = 20;
const BUCKETS = 1 << BUCKET_BITS;
/** A 3-gram with more postings than this says little about where a quotation is. */
const MAX_POSTINGS_PER_GRAM = 4000;
/** 3-grams of a quotation that vote, rarest first (enough to outvote a few changed words). */
const VOTING_GRAMS = 12;
/** Candidates (source, diagonal) aligned per query. */
const CANDIDATES = 24;
/** Sources scanned on the rare-word path. */
const RARE_WORD_DOCS = 400;
/** Source words around a candidate that the alignment may use. */
const MARGIN = 12;
/** Extra source words allowed for the parts an ellipsis leaves out. */
const GAP_REACH = 160;

class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): number {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    return this.length++;
  }
}

/**
 * A word, exactly as `tokenize` in `text.ts` reads one (numbers with their separators, words with inner
 * apostrophes). Kept in step with it by a test: the index and the quotations must split text the same way.
 */
export const SOURCE_WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;

function gramHash(a: number, b: number, c: number): number {
  let h = Math.imul(a + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (b + 0x7f4a7c15), 0xc2b2ae35);
  h = Math.imul(h ^ (c + 0x165667b1), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & (BUCKETS - 1);
}

/** The passage index: an `IndexPart` kept in step with the corpus, and a `PassageSearch`. */
export class PassageIndex implements IndexPart, PassageSearch {
  private readonly vocabulary = new Map<string, number>();
  /** Word ids by spelling as written ("Iraq's", "IRAQ’S" and "iraqs" share one id). */
  private readonly spellings = new Map<string, number>();
  /**
   * Per word id, the doc slots holding it (each once), chained newest first in typed arrays like the postings:
   * `wordHead[id]` is the newest entry, `wordNext`/`wordDoc` the chain, `wordCount[id]` its length.
   */
  private wordHead = new Int32Array(1024).fill(-1);
  private wordLast = new Int32Array(1024).fill(-1);
  private wordCount = new Int32Array(1024);
  private wordNext = new GrowableInt32();
  private wordDoc = new GrowableInt32();
  private docs: Doc[] = [];
  private readonly slotOf = new Map<string, number>();
  private head = new Int32Array(BUCKETS).fill(-1);
  private counts = new Int32Array(BUCKETS);
  private next = new GrowableInt32();
  /** Each posting is a global word position: the doc's `base` plus the word's index in the doc. */
  private postAt = new GrowableInt32();
  private nextBase = 0;
  private liveWords = 0;
  private deadWords = 0;

  add(source: Source): void {
    if (this.slotOf.has(source.id)) this.remove(source);
    this.compactIfWorthIt();
    const text = source.text;
    // A word takes at least one character and a separator: half the text's length bounds the count.
    const bound = ((text.length - source.bodyStart) >> 1) + 1;
    const ids = new Int32Array(bound);
    const starts = new Int32Array(bound);
    const lengths = new Uint16Array(bound);
    let n = 0;
    // Words as `text.ts` reads them, but each distinct spelling is normalised once (most of a cold build's time was
    // normalising the same words again and again).
    SOURCE_WORD.lastIndex = source.bodyStart;
    for (let m = SOURCE_WORD.exec(text); m; m = SOURCE_WORD.exec(text)) {
      const raw = m[0];
      let id = this.spellings.get(raw);
      if (id === undefined) {
        id = this.idOf(normalizeWord(raw));
        this.spellings.set(raw, id);
      }
      ids[n] = id;
      starts[n] = m.index;
      lengths[n++] = Math.min(65535, raw.length);
    }
    this.insert({ source, ids: ids.slice(0, n), starts: starts.slice(0, n), lengths: lengths.slice(0, n), base: 0, alive: true });
  }

  remove(source: Source): void {
    const slot = this.slotOf.get(source.id);
    if (slot === undefined) return;
    const doc = this.docs[slot];
    doc.alive = false;
    this.slotOf.delete(source.id);
    this.liveWords -= doc.ids.length;
    this.deadWords += doc.ids.length;
    // Nothing left (a reload clears the corpus first): start afresh at no cost. Otherwise compaction waits for the
    // next add or search, so that removing many sources in a row does not rebuild the tables again and again.
    if (this.slotOf.size === 0) this.compact();
  }

  private compactIfWorthIt(): void {
    if (this.deadWords > 50_000 && this.deadWords > this.liveWords / 3) this.compact();
  }

  /** Number of words indexed in live sources. */
  get words(): number {
    return this.liveWords;
  }

  find(pattern: PatternElement[], maxCost: number, limit = 8): PassageMatch[] {
    this.compactIfWorthIt();
    const ids = this.toIds(pattern);
    if (ids.codes.length === 0) return [];
    const hasGap = pattern.some((e) => e.kind === 'gap');
    const span = ids.codes.length + (hasGap ? GAP_REACH : 0);
    const tried = new Set<number>();
    const best = new Map<number, Alignment>();
    // A window can only hold the quotation within `maxCost` edits if it has that many of its words.
    const wanted = new Set<number>();
    let words = 0;
    for (const code of ids.codes) {
      if (code >= 0) wanted.add(code);
      if (code >= UNKNOWN_WORD) words++;
    }
    const needed = Math.max(1, words - maxCost);
    const tryWindow = (slot: number, at: number) => {
      const doc = this.docs[slot];
      const key = slot * 65536 + (at >> 4);
      if (tried.has(key)) return;
      tried.add(key);
      const lo = Math.max(0, at - MARGIN - (hasGap ? GAP_REACH : 0));
      const hi = Math.min(doc.ids.length, at + span + MARGIN);
      let present = 0;
      for (let i = lo; i < hi && present < needed; i++) if (wanted.has(doc.ids[i])) present++;
      if (present < needed) return;
      const found = align(ids, doc.ids, lo, hi, maxCost);
      const previous = best.get(slot);
      if (found.cost <= maxCost && (!previous || found.cost < previous.cost || (found.cost === previous.cost && found.same > previous.same))) best.set(slot, found);
    };

    for (const candidate of this.gramCandidates(ids)) tryWindow(candidate.slot, candidate.at);
    // Too short or too changed for 3-grams: look where the rarest words are.
    if (best.size === 0) {
      for (const candidate of this.rareWordCandidates(ids)) tryWindow(candidate.slot, candidate.at);
    }

    return [...best.entries()]
      .sort((a, b) => a[1].cost - b[1].cost || b[1].same - a[1].same || a[0] - b[0])
      .slice(0, limit)
      .map(([slot, alignment]) => {
        const doc = this.docs[slot];
        const wordStart = (i: number) => doc.starts[i];
        const wordEnd = (i: number) => doc.starts[i] + doc.lengths[i];
        const start = alignment.to > alignment.from ? wordStart(alignment.from) : (doc.starts[Math.min(alignment.from, doc.starts.length - 1)] ?? 0);
        const end = alignment.to > alignment.from ? wordEnd(alignment.to - 1) : start;
        return { source: doc.source, start, end, alignment, wordStart, wordEnd };
      });
  }

  private idOf(norm: string): number {
    let id = this.vocabulary.get(norm);
    if (id === undefined) {
      id = this.vocabulary.size;
      this.vocabulary.set(norm, id);
      if (id >= this.wordHead.length) {
        const grow = (old: Int32Array, fill: number) => {
          const bigger = new Int32Array(old.length * 2).fill(fill);
          bigger.set(old);
          return bigger;
        };
        this.wordHead = grow(this.wordHead, -1);
        this.wordLast = grow(this.wordLast, -1);
        this.wordCount = grow(this.wordCount, 0);
      }
    }
    return id;
  }

  private insert(doc: Doc): void {
    const slot = this.docs.length;
    doc.base = this.nextBase;
    this.nextBase += doc.ids.length;
    this.docs.push(doc);
    this.slotOf.set(doc.source.id, slot);
    this.liveWords += doc.ids.length;
    const ids = doc.ids;
    for (let i = 0; i < ids.length; i++) {
      const word = ids[i];
      if (this.wordLast[word] === slot) continue;
      this.wordLast[word] = slot;
      const entry = this.wordNext.push(this.wordHead[word]);
      this.wordDoc.push(slot);
      this.wordHead[word] = entry;
      this.wordCount[word]++;
    }
    for (let i = 0; i + 2 < ids.length; i++) {
      const bucket = gramHash(ids[i], ids[i + 1], ids[i + 2]);
      const posting = this.next.push(this.head[bucket]);
      this.postAt.push(doc.base + i);
      this.head[bucket] = posting;
      this.counts[bucket]++;
    }
  }

  /** Rebuilds the tables from the live sources only (after many removals). */
  private compact(): void {
    const live = this.docs.filter((d) => d.alive);
    this.docs = [];
    this.slotOf.clear();
    this.wordHead.fill(-1);
    this.wordLast.fill(-1);
    this.wordCount.fill(0);
    this.wordNext = new GrowableInt32();
    this.wordDoc = new GrowableInt32();
    this.head = new Int32Array(BUCKETS).fill(-1);
    this.counts = new Int32Array(BUCKETS);
    this.next = new GrowableInt32();
    this.postAt = new GrowableInt32();
    this.nextBase = 0;
    this.liveWords = 0;
    this.deadWords = 0;
    for (const doc of live) this.insert(doc);
  }

  private toIds(pattern: PatternElement[]): IdPattern {
    const codes = new Int32Array(pattern.length);
    const min = new Int32Array(pattern.length);
    const max = new Int32Array(pattern.length);
    pattern.forEach((e, i) => {
      if (e.kind === 'word') codes[i] = this.vocabulary.get(e.norm) ?? UNKNOWN_WORD;
      else if (e.kind === 'gap') codes[i] = GAP;
      else {
        codes[i] = STAND_IN;
        min[i] = e.min;
        max[i] = e.max;
      }
    });
    return { codes, min, max };
  }

  /**
   * Votes of the pattern's 3-grams for (source, start) positions; the best first.
   * Only the rarest grams vote: they say most about where a quotation is, and a
   * common gram's long chain of postings would cost more than it tells.
   */
  private gramCandidates(ids: IdPattern): Array<{ slot: number; at: number }> {
    const codes = ids.codes;
    const grams: Array<{ i: number; bucket: number }> = [];
    for (let i = 0; i + 2 < codes.length; i++) {
      if (codes[i] < 0 || codes[i + 1] < 0 || codes[i + 2] < 0) continue;
      const bucket = gramHash(codes[i], codes[i + 1], codes[i + 2]);
      if (this.counts[bucket] > 0) grams.push({ i, bucket });
    }
    grams.sort((x, y) => this.counts[x.bucket] - this.counts[y.bucket]);
    // A quotation made only of common phrases still votes with its two least common ones.
    const voting = grams.filter((g, n) => n < 2 || this.counts[g.bucket] <= MAX_POSTINGS_PER_GRAM).slice(0, VOTING_GRAMS);
    const votes = new Map<number, number>();
    for (const { i, bucket } of voting) {
      const a = codes[i];
      const b = codes[i + 1];
      const c = codes[i + 2];
      for (let p = this.head[bucket]; p !== -1; p = this.next.data[p]) {
        const global = this.postAt.data[p];
        const slot = this.slotAt(global);
        const doc = this.docs[slot];
        if (!doc.alive) continue;
        const pos = global - doc.base;
        if (doc.ids[pos] !== a || doc.ids[pos + 1] !== b || doc.ids[pos + 2] !== c) continue;
        // Position i of the pattern at pos of the source: the pattern starts near pos - i.
        const at = Math.max(0, pos - i);
        const key = slot * 1048576 + (at >> 3);
        votes.set(key, (votes.get(key) ?? 0) + 1);
      }
    }
    return [...votes.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, CANDIDATES)
      .map(([key]) => ({ slot: Math.floor(key / 1048576), at: (key % 1048576) << 3 }));
  }

  /** The doc slot holding a global word position (docs are numbered in order of their bases). */
  private slotAt(global: number): number {
    let lo = 0;
    let hi = this.docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.docs[mid].base <= global) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Positions of the pattern's two rarest known words in the sources that hold them (one of them may be the changed word). */
  private rareWordCandidates(ids: IdPattern): Array<{ slot: number; at: number }> {
    const known: number[] = [];
    for (let i = 0; i < ids.codes.length; i++) if (ids.codes[i] >= 0) known.push(i);
    known.sort((x, y) => this.wordCount[ids.codes[x]] - this.wordCount[ids.codes[y]]);
    const out: Array<{ slot: number; at: number }> = [];
    const used = new Set<number>();
    for (const index of known) {
      const word = ids.codes[index];
      if (used.has(word)) continue;
      used.add(word);
      if (used.size > 2) break;
      let scanned = 0;
      for (let e = this.wordHead[word]; e !== -1 && scanned < RARE_WORD_DOCS; e = this.wordNext.data[e]) {
        const slot = this.wordDoc.data[e];
        const doc = this.docs[slot];
        if (!doc?.alive) continue;
        scanned++;
        for (let p = 0; p < doc.ids.length; p++) if (doc.ids[p] === word) out.push({ slot, at: Math.max(0, p - index) });
      }
    }
    return out;
  }
}
