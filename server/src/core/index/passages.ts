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
import { normalizeWord, WordScanner } from '../text';
import { align, GAP, STAND_IN, UNKNOWN_WORD, type Alignment, type IdPattern } from '../match/align';
import type { PatternElement } from '../match/pattern';
import { lastAtOrBelow } from '../sorted';

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

/** Entries per page of a `PagedInt32` (256 KB): growing never copies, and at most one page stands empty. */
const PAGE_BITS = 16;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/** An Int32 array grown a page at a time: no doubling (up to half of it unused) and no copying as it grows. */
class PagedInt32 {
  private pages: Int32Array[] = [];
  length = 0;
  get(i: number): number {
    return this.pages[i >>> PAGE_BITS][i & PAGE_MASK];
  }
  set(i: number, value: number): void {
    this.pages[i >>> PAGE_BITS][i & PAGE_MASK] = value;
  }
  /** Makes entries up to `length` addressable. */
  reserve(length: number): void {
    while (this.pages.length << PAGE_BITS < length) this.pages.push(new Int32Array(1 << PAGE_BITS));
    if (length > this.length) this.length = length;
  }
  push(value: number): number {
    const i = this.length;
    if (i >>> PAGE_BITS === this.pages.length) this.pages.push(new Int32Array(1 << PAGE_BITS));
    this.pages[i >>> PAGE_BITS][i & PAGE_MASK] = value;
    this.length = i + 1;
    return i;
  }
}

/** Hash of `text[start, end)` for the table of spellings. */
function spellingHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function gramHash(a: number, b: number, c: number): number {
  let h = Math.imul(a + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (b + 0x7f4a7c15), 0xc2b2ae35);
  h = Math.imul(h ^ (c + 0x165667b1), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & (BUCKETS - 1);
}

function emptyBuckets(): Int32Array {
  const buckets = new Int32Array(BUCKETS * 2);
  for (let b = 0; b < buckets.length; b += 2) buckets[b] = -1;
  return buckets;
}

/** The passage index: an `IndexPart` kept in step with the corpus, and a `PassageSearch`. */
export class PassageIndex implements IndexPart, PassageSearch {
  private readonly vocabulary = new Map<string, number>();
  /**
   * Word ids by spelling as written ("Iraq's", "IRAQ’S" and "iraqs" share one id), so each distinct spelling is
   * normalised once. An open-addressing table looked up straight from the source text: a known spelling (most
   * words) costs no string. Slot `s` is `spellingSlots[3s, 3s + 3)`: 1 + the spelling's number (0 where empty),
   * its hash and its word id side by side, so a probe reads one cache line before the spelling itself.
   */
  private spellingSlots = new Int32Array(3 << 16);
  private spellingCount = 0;
  private readonly spellingText: string[] = [];
  /** Reused while a source is read, so each source's word ids are allocated once at their final size. */
  private scratchIds = new Int32Array(1 << 16);
  /** Word offsets of the sources found most recently (see `wordOffsets`). */
  private readonly recentOffsets = new Map<Doc, Int32Array>();
  /**
   * Per word id, the doc slots holding it (each once), chained newest first in typed arrays like the postings:
   * `wordHead[id]` is the newest entry, `wordNext`/`wordDoc` the chain, `wordCount[id]` its length.
   */
  private wordHead = new Int32Array(1024).fill(-1);
  private wordLast = new Int32Array(1024).fill(-1);
  private wordCount = new Int32Array(1024);
  private wordNext = new PagedInt32();
  private wordDoc = new PagedInt32();
  private docs: Doc[] = [];
  private readonly slotOf = new Map<string, number>();
  /**
   * Per 3-gram bucket `b`: `buckets[2b]` the newest posting of its chain (-1 if none), `buckets[2b + 1]` the chain's
   * length. Side by side, so adding a posting touches one cache line, not two.
   */
  private buckets = emptyBuckets();
  /**
   * The postings' chains, indexed by global word position (the doc's `base` plus the word's index in the doc):
   * `next[p]` is the next older position whose 3-gram fell in the same bucket, so a posting is its own position.
   */
  private next = new PagedInt32();
  private nextBase = 0;
  private liveWords = 0;
  private deadWords = 0;

  add(source: Source): void {
    if (this.slotOf.has(source.id)) this.remove(source);
    this.compactIfWorthIt();
    const text = source.text;
    const scanner = new WordScanner(text, source.bodyStart);
    let n = 0;
    while (scanner.next()) {
      if (n === this.scratchIds.length) this.growScratch();
      this.scratchIds[n++] = this.spellingId(text, scanner.start, scanner.end);
    }
    this.insert({
      source,
      ids: this.scratchIds.slice(0, n),
      base: 0,
      alive: true,
    });
  }

  private growScratch(): void {
    const size = this.scratchIds.length * 2;
    const ids = new Int32Array(size);
    ids.set(this.scratchIds);
    this.scratchIds = ids;
  }

  /** The word id of the spelling `text[start, end)`, normalising it only the first time it is met. */
  private spellingId(text: string, start: number, end: number): number {
    const hash = spellingHash(text, start, end);
    const length = end - start;
    const slots = this.spellingSlots;
    const mask = slots.length / 3 - 1;
    let at = hash & mask;
    for (let k = slots[at * 3]; k !== 0; k = slots[(at = (at + 1) & mask) * 3]) {
      if (slots[at * 3 + 1] !== hash) continue;
      const known = this.spellingText[k - 1];
      if (known.length !== length) continue;
      let i = 0;
      while (i < length && known.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === length) return slots[at * 3 + 2];
    }
    const raw = text.slice(start, end);
    const id = this.idOf(normalizeWord(raw));
    // A flat copy: a slice of a long text could otherwise keep the whole text alive after its source is removed.
    this.spellingText.push(length > 12 ? (' ' + raw).slice(1) : raw);
    slots[at * 3] = ++this.spellingCount;
    slots[at * 3 + 1] = hash;
    slots[at * 3 + 2] = id;
    if (this.spellingCount * 2 > mask + 1) this.rehashSpellings();
    return id;
  }

  /** Doubles the table of spellings (kept at most half full, so probes stay short). */
  private rehashSpellings(): void {
    const old = this.spellingSlots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 3 - 1;
    for (let s = 0; s < old.length; s += 3) {
      if (old[s] === 0) continue;
      let at = old[s + 1] & mask;
      while (slots[at * 3] !== 0) at = (at + 1) & mask;
      slots.set(old.subarray(s, s + 3), at * 3);
    }
    this.spellingSlots = slots;
  }

  remove(source: Source): void {
    const slot = this.slotOf.get(source.id);
    if (slot === undefined) return;
    const doc = this.docs[slot];
    doc.alive = false;
    this.slotOf.delete(source.id);
    this.recentOffsets.delete(doc);
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
        const offsets = this.wordOffsets(doc);
        const wordStart = (i: number) => offsets[2 * i];
        const wordEnd = (i: number) => offsets[2 * i + 1];
        const start = alignment.to > alignment.from ? wordStart(alignment.from) : (offsets[2 * Math.min(alignment.from, doc.ids.length - 1)] ?? 0);
        const end = alignment.to > alignment.from ? wordEnd(alignment.to - 1) : start;
        return { source: doc.source, start, end, alignment, wordStart, wordEnd };
      });
  }

  /**
   * Offsets of a source's words, `[start, end)` of word `i` at `2i` and `2i + 1` (an end capped 65,535 units after
   * its start: a longer "word" is page debris). Read again from the text when a search finds the source, not kept
   * for every source: they would be a third of the index's memory, and only found sources need them.
   */
  private wordOffsets(doc: Doc): Int32Array {
    let offsets = this.recentOffsets.get(doc);
    if (offsets) return offsets;
    offsets = new Int32Array(2 * doc.ids.length);
    const scanner = new WordScanner(doc.source.text, doc.source.bodyStart);
    for (let n = 0; n < doc.ids.length && scanner.next(); n++) {
      offsets[2 * n] = scanner.start;
      offsets[2 * n + 1] = scanner.start + Math.min(65535, scanner.end - scanner.start);
    }
    if (this.recentOffsets.size >= 64) this.recentOffsets.clear();
    this.recentOffsets.set(doc, offsets);
    return offsets;
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
    const wordLast = this.wordLast;
    for (let i = 0; i < ids.length; i++) {
      const word = ids[i];
      if (wordLast[word] === slot) continue;
      wordLast[word] = slot;
      const entry = this.wordNext.push(this.wordHead[word]);
      this.wordDoc.push(slot);
      this.wordHead[word] = entry;
      this.wordCount[word]++;
    }
    const buckets = this.buckets;
    const next = this.next;
    next.reserve(this.nextBase);
    for (let i = 0; i + 2 < ids.length; i++) {
      const at = gramHash(ids[i], ids[i + 1], ids[i + 2]) << 1;
      const posting = doc.base + i;
      next.set(posting, buckets[at]);
      buckets[at] = posting;
      buckets[at + 1]++;
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
    this.wordNext = new PagedInt32();
    this.wordDoc = new PagedInt32();
    this.buckets = emptyBuckets();
    this.next = new PagedInt32();
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
      if (this.buckets[(bucket << 1) + 1] > 0) grams.push({ i, bucket });
    }
    grams.sort((x, y) => this.buckets[(x.bucket << 1) + 1] - this.buckets[(y.bucket << 1) + 1]);
    // A quotation made only of common phrases still votes with its two least common ones.
    const voting = grams.filter((g, n) => n < 2 || this.buckets[(g.bucket << 1) + 1] <= MAX_POSTINGS_PER_GRAM).slice(0, VOTING_GRAMS);
    const votes = new Map<number, number>();
    for (const { i, bucket } of voting) {
      const a = codes[i];
      const b = codes[i + 1];
      const c = codes[i + 2];
      for (let global = this.buckets[bucket << 1]; global !== -1; global = this.next.get(global)) {
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
    return lastAtOrBelow(this.docs.length, (i) => this.docs[i].base, global);
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
      for (let e = this.wordHead[word]; e !== -1 && scanned < RARE_WORD_DOCS; e = this.wordNext.get(e)) {
        const slot = this.wordDoc.get(e);
        const doc = this.docs[slot];
        if (!doc?.alive) continue;
        scanned++;
        for (let p = 0; p < doc.ids.length; p++) if (doc.ids[p] === word) out.push({ slot, at: Math.max(0, p - index) });
      }
    }
    return out;
  }
}
