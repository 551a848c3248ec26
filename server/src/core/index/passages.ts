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
 *
 * All of it is typed arrays (no object or string per word, spelling or
 * posting), so the whole state is a snapshot of a few arrays that a warm start
 * reads back without rebuilding anything.
 */
import type { Source } from '../types';
import type { IndexPart, PartSnapshot, PartSnapshotValue } from './corpusIndex';
import { wordHash, WordScanner } from '../text';
import { Lexicon, StringTable, type SourceWords } from './lexicon';
import { align, GAP, STAND_IN, UNKNOWN_WORD, type Alignment, type IdPattern } from '../match/align';
import type { PatternElement } from '../match/pattern';
import { lastAtOrBelow } from '../sorted';
import { grown, isRecord, PagedInt32 } from './pagedInt32';

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
  /** The source's id; `source` itself is looked up only when a search returns it (a restored index starts without). */
  id: string;
  source: Source | undefined;
  ids: Int32Array;
  /** Where `ids` stands: the slab and the offset in it. */
  slab: number;
  offset: number;
  /** Position of the doc's first word in the postings' global numbering. */
  base: number;
  /** Its first entry in the chains of docs by word (`wordNext`): the doc holding an entry is found by these. */
  wordBase: number;
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
/** Changes to the snapshot's layout bump this, so an old snapshot is refused rather than misread. */
const SNAPSHOT_VERSION = 5;

/** Word ids per slab of docs' words (1 MB): a new slab is begun when a doc does not fit in what is left of the last. */
const SLAB_SIZE = 1 << 18;

/** Bucket entries touched per step of `readySteps` (512 KB). */
const READY_SLICE = 1 << 17;

/** Entries per page of the index's growing columns: 2 ** 16 (256 KB). */
const PAGE_BITS = 16;


function gramHash(a: number, b: number, c: number): number {
  let h = Math.imul(a + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (b + 0x7f4a7c15), 0xc2b2ae35);
  h = Math.imul(h ^ (c + 0x165667b1), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & (BUCKETS - 1);
}

/** A table of empty buckets: all zeros, so it is made without a pass over it (8 MB of page faults in one pause). */
function emptyBuckets(): Int32Array {
  return new Int32Array(BUCKETS * 2);
}

/** The passage index: an `IndexPart` kept in step with the corpus, and a `PassageSearch`. */
export class PassageIndex implements IndexPart, PassageSearch {
  /** Word ids by normal form. */
  private vocabulary = new StringTable();
  /** Reads sources into words; shared with the other parts when the corpus index gives its own (`useLexicon`). */
  private lexicon = new Lexicon();
  /** Word id by the lexicon's form number (-1 until met): a memo, started afresh after a restore. */
  private wordOfForm = new Int32Array(1024).fill(-1);
  /**
   * The docs' word ids, end to end in slabs (a doc never spans two), so adding a source allocates no array of its own
   * and a snapshot takes the slabs as they stand. `slabFill[k]` entries of slab `k` are used. A removed doc's words
   * stay until compaction.
   */
  private slabs: Int32Array[] = [];
  private slabFill: number[] = [];
  /** Word offsets of the sources found most recently (see `wordOffsets`). */
  private readonly recentOffsets = new Map<Doc, Int32Array>();
  /**
   * Per word id, the doc slots holding it (each once), chained newest first: `wordChains[2 * id]` is the newest entry of
   * the chain (-1 if none), `wordChains[2 * id + 1]` the chain's length, `wordNext[entry]` the next older entry. An entry's
   * doc is the one whose `wordBase` is the last at or below it.
   */
  private wordChains: Int32Array = new Int32Array(2048).fill(-1);
  private wordNext = new PagedInt32(PAGE_BITS);
  private docs: Doc[] = [];
  /** Slots of the live docs by source id; made again from `docs` when first needed after a restore. */
  private slotOfMap: Map<string, number> | undefined = new Map();
  /** Finds the sources of a restored index, whose docs keep only ids. */
  private sourceOf: (id: string) => Source | undefined = () => undefined;
  /**
   * Per 3-gram bucket `b`: `buckets[2b]` the newest posting of its chain plus one (0 if none), `buckets[2b + 1]` the chain's
   * length. Side by side, so adding a posting touches one cache line, not two. Empty (no bucket has postings) until
   * the first source is added: a part about to be restored never makes a table it would throw away.
   */
  private buckets: Int32Array = new Int32Array(0);
  /**
   * The postings' chains, indexed by global word position (the doc's `base` plus the word's index in the doc):
   * `next[p]` is the next older position whose 3-gram fell in the same bucket, so a posting is its own position.
   */
  private next = new PagedInt32(PAGE_BITS);
  private nextBase = 0;
  private liveWords = 0;
  private deadWords = 0;

  /** Reads sources with `lexicon` from now on (the corpus index's, shared by its parts), so a source is read once for all. */
  useLexicon(lexicon: Lexicon): void {
    if (lexicon === this.lexicon) return;
    this.lexicon = lexicon;
    this.wordOfForm.fill(-1);
  }

  add(source: Source, words?: SourceWords): void {
    if (this.slotOf.has(source.id)) this.remove(source);
    this.compactIfWorthIt();
    if (!words || words.lexicon !== this.lexicon) words = this.lexicon.read(source.text, source.bodyStart);
    const n = words.count;
    const forms = words.forms;
    const lexicon = this.lexicon;
    // Grown with room to spare: growing touches new memory, which a change to one file should rarely pay for.
    if (lexicon.formCount > this.wordOfForm.length) this.wordOfForm = grown(this.wordOfForm, lexicon.formCount * 2, -1);
    const wordOfForm = this.wordOfForm;
    const slab = this.slabFor(n);
    const offset = this.slabFill[slab];
    const ids = this.slabs[slab].subarray(offset, offset + n);
    for (let i = 0; i < n; i++) {
      const form = forms[i];
      let id = wordOfForm[form];
      if (id < 0) id = wordOfForm[form] = this.idOf(lexicon.form(form));
      ids[i] = id;
    }
    this.slabFill[slab] += n;
    this.insert({ id: source.id, source, ids, slab, offset, base: 0, wordBase: 0, alive: true });
  }

  /**
   * A slab with room for `n` more word ids: one of the last two, or a new one. The one before the last stays open for
   * shorter docs, so a long doc that does not fit does not waste the rest of a slab.
   */
  private slabFor(n: number): number {
    const last = this.slabs.length - 1;
    for (let k = last; k >= 0 && k >= last - 1; k--) if (this.slabFill[k] + n <= this.slabs[k].length) return k;
    this.slabs.push(new Int32Array(Math.max(SLAB_SIZE, n)));
    this.slabFill.push(0);
    return last + 1;
  }

  private get slotOf(): Map<string, number> {
    if (!this.slotOfMap) {
      const slotOf = new Map<string, number>();
      this.docs.forEach((doc, slot) => {
        if (doc.alive) slotOf.set(doc.id, slot);
      });
      this.slotOfMap = slotOf;
    }
    return this.slotOfMap;
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

  /** Makes now what a restore leaves for later (the docs by source id), so the first change after a start does not wait for it. */
  prepare(): void {
    void this.slotOf;
  }

  /**
   * Makes the table of buckets an empty index lacks, touching it a slice at a time: left to the first add, its first
   * touch (a page fault per 4 KB, 8 MB in all) held the thread for about 100 ms in the first file of a build.
   */
  *readySteps(): Generator<void, void> {
    if (this.buckets.length !== 0) return;
    const buckets = emptyBuckets();
    for (let at = 0; at < buckets.length; at += READY_SLICE) {
      buckets.fill(0, at, at + READY_SLICE);
      yield;
    }
    // Taken only now: the index answers from no table (no source has postings yet) until it is whole.
    if (this.buckets.length === 0) this.buckets = buckets;
  }

  /**
   * The index as plain data: the tables, pages and slabs as they stand (not copied: write the snapshot out before
   * the next add or remove), and per doc its source id, where its words are and where its chains begin.
   */
  snapshot(): PartSnapshot {
    const count = this.docs.length;
    const docIds: string[] = new Array<string>(count);
    const docAlive = new Uint8Array(count);
    const docSlab = new Int32Array(count);
    const docOffset = new Int32Array(count);
    const docLength = new Int32Array(count);
    const docBase = new Int32Array(count);
    const docWordBase = new Int32Array(count);
    this.docs.forEach((doc, slot) => {
      docIds[slot] = doc.id;
      docAlive[slot] = doc.alive ? 1 : 0;
      docSlab[slot] = doc.slab;
      docOffset[slot] = doc.offset;
      docLength[slot] = doc.ids.length;
      docBase[slot] = doc.base;
      docWordBase[slot] = doc.wordBase;
    });
    const slabs: PartSnapshot = {};
    this.slabs.forEach((slab, k) => {
      slabs[k] = slab.subarray(0, this.slabFill[k]);
    });
    return {
      version: SNAPSHOT_VERSION,
      vocabulary: this.vocabulary.snapshot(),
      wordChains: this.wordChains.subarray(0, 2 * this.vocabulary.count),
      wordNext: this.wordNext.snapshot(),
      buckets: this.buckets,
      next: this.next.snapshot(),
      nextBase: this.nextBase,
      liveWords: this.liveWords,
      deadWords: this.deadWords,
      slabs,
      docIds,
      docAlive,
      docSlab,
      docOffset,
      docLength,
      docBase,
      docWordBase,
    };
  }

  /**
   * Takes over a snapshot's arrays (they are not copied, so a snapshot restores one index only). Sources are looked
   * up with `sourceOf` when a search returns them, never here.
   */
  restore(snapshot: PartSnapshot, sourceOf: (id: string) => Source | undefined): void {
    if (snapshot.version !== SNAPSHOT_VERSION) throw new Error(`the passage index snapshot has version ${String(snapshot.version)}, not ${SNAPSHOT_VERSION}`);
    const ints = (name: string): Int32Array => {
      const value = snapshot[name];
      if (!(value instanceof Int32Array)) throw new Error(`the passage index snapshot has no ${name}`);
      return value;
    };
    const number = (name: string): number => {
      const value = snapshot[name];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`the passage index snapshot has no ${name}`);
      return value;
    };
    const docIds = snapshot.docIds;
    const docAlive = snapshot.docAlive;
    const slabRecord = snapshot.slabs;
    if (!Array.isArray(docIds) || !(docAlive instanceof Uint8Array) || docAlive.length !== docIds.length) throw new Error('the passage index snapshot has no docs');
    if (!isRecord(slabRecord)) throw new Error('the passage index snapshot has no slabs');
    const slabs = Object.values(slabRecord);
    if (!slabs.every((slab): slab is Int32Array => slab instanceof Int32Array)) throw new Error('the passage index snapshot has a malformed slab');
    const vocabulary = StringTable.restore(snapshot.vocabulary);
    const wordChains = ints('wordChains');
    const wordNext = PagedInt32.restore(snapshot.wordNext, 'the passage index snapshot', PAGE_BITS);
    const buckets = ints('buckets');
    const next = PagedInt32.restore(snapshot.next, 'the passage index snapshot', PAGE_BITS);
    const docSlab = ints('docSlab');
    const docOffset = ints('docOffset');
    const docLength = ints('docLength');
    const docBase = ints('docBase');
    const docWordBase = ints('docWordBase');
    const nextBase = number('nextBase');
    const count = docIds.length;
    if ((buckets.length !== BUCKETS * 2 && buckets.length !== 0) || next.length !== nextBase || wordChains.length !== 2 * vocabulary.count) throw new Error('the passage index snapshot has tables of the wrong size');
    if (docSlab.length !== count || docOffset.length !== count || docLength.length !== count || docBase.length !== count || docWordBase.length !== count) throw new Error('the passage index snapshot has docs of the wrong size');

    const docs: Doc[] = new Array<Doc>(count);
    for (let slot = 0; slot < count; slot++) {
      const id = docIds[slot];
      const slab = docSlab[slot];
      const offset = docOffset[slot];
      const length = docLength[slot];
      if (typeof id !== 'string' || slab >= slabs.length || offset + length > slabs[slab].length) throw new Error('the passage index snapshot has a malformed doc');
      docs[slot] = { id, source: undefined, ids: slabs[slab].subarray(offset, offset + length), slab, offset, base: docBase[slot], wordBase: docWordBase[slot], alive: docAlive[slot] === 1 };
    }
    this.vocabulary = vocabulary;
    this.wordOfForm.fill(-1);
    // Room for the next words without growing at once; the snapshot holds exactly the words known.
    this.wordChains = new Int32Array(Math.max(2048, wordChains.length * 2)).fill(-1);
    this.wordChains.set(wordChains);
    this.wordNext = wordNext;
    this.buckets = buckets;
    this.next = next;
    this.nextBase = nextBase;
    this.liveWords = number('liveWords');
    this.deadWords = number('deadWords');
    // The slabs are full as far as the snapshot knows: new docs begin a slab of their own.
    this.slabs = slabs;
    this.slabFill = slabs.map((slab) => slab.length);
    this.docs = docs;
    this.slotOfMap = undefined;
    this.recentOffsets.clear();
    this.sourceOf = sourceOf;
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

    const matches: PassageMatch[] = [];
    const ranked = [...best.entries()].sort((a, b) => a[1].cost - b[1].cost || b[1].same - a[1].same || a[0] - b[0]);
    for (const [slot, alignment] of ranked) {
      if (matches.length === limit) break;
      const doc = this.docs[slot];
      const source = this.sourceOfDoc(doc);
      // A source the corpus no longer has (it would have been removed from the index too): nothing to show.
      if (!source) continue;
      const offsets = this.wordOffsets(doc, source);
      const wordStart = (i: number) => offsets[2 * i];
      const wordEnd = (i: number) => offsets[2 * i + 1];
      const start = alignment.to > alignment.from ? wordStart(alignment.from) : (offsets[2 * Math.min(alignment.from, doc.ids.length - 1)] ?? 0);
      const end = alignment.to > alignment.from ? wordEnd(alignment.to - 1) : start;
      matches.push({ source, start, end, alignment, wordStart, wordEnd });
    }
    return matches;
  }

  /** The source of a doc, looked up the first time a restored doc is needed. */
  private sourceOfDoc(doc: Doc): Source | undefined {
    return (doc.source ??= this.sourceOf(doc.id));
  }

  /**
   * Offsets of a source's words, `[start, end)` of word `i` at `2i` and `2i + 1` (an end capped 65,535 units after
   * its start: a longer "word" is page debris). Read again from the text when a search finds the source, not kept
   * for every source: they would be a third of the index's memory, and only found sources need them.
   */
  private wordOffsets(doc: Doc, source: Source): Int32Array {
    let offsets = this.recentOffsets.get(doc);
    if (offsets) return offsets;
    offsets = new Int32Array(2 * doc.ids.length);
    const scanner = new WordScanner(source.text, source.bodyStart);
    for (let n = 0; n < doc.ids.length && scanner.next(); n++) {
      offsets[2 * n] = scanner.start;
      offsets[2 * n + 1] = scanner.start + Math.min(65535, scanner.end - scanner.start);
    }
    if (this.recentOffsets.size >= 64) this.recentOffsets.clear();
    this.recentOffsets.set(doc, offsets);
    return offsets;
  }

  /** The id of a normal form, given a new one if it is new. */
  private idOf(norm: string): number {
    const known = this.vocabulary.count;
    const id = this.vocabulary.numberOf(norm);
    if (id < known) return id;
    if (2 * id + 1 >= this.wordChains.length) {
      const bigger = new Int32Array(this.wordChains.length * 2).fill(-1);
      bigger.set(this.wordChains);
      this.wordChains = bigger;
    }
    this.wordChains[2 * id + 1] = 0;
    return id;
  }

  /** The id of a normal form already known, or `UNKNOWN_WORD`. */
  private knownId(norm: string): number {
    const id = this.vocabulary.get(norm, 0, norm.length, wordHash(norm, 0, norm.length));
    return id < 0 ? UNKNOWN_WORD : id;
  }

  /** Gives a doc the next slot and the next global positions, and puts it in the chains and buckets. */
  private insert(doc: Doc): void {
    const slot = this.docs.length;
    doc.base = this.nextBase;
    doc.wordBase = this.wordNext.length;
    this.nextBase += doc.ids.length;
    this.docs.push(doc);
    this.slotOf.set(doc.id, slot);
    this.liveWords += doc.ids.length;
    const ids = doc.ids;
    const wordChains = this.wordChains;
    const wordNext = this.wordNext;
    const wordBase = doc.wordBase;
    for (let i = 0; i < ids.length; i++) {
      const at = ids[i] << 1;
      const head = wordChains[at];
      // The chain's newest entry is this doc's: the word was met before in it.
      if (head >= wordBase) continue;
      wordChains[at] = wordNext.push(head);
      wordChains[at + 1]++;
    }
    if (this.buckets.length === 0) this.buckets = emptyBuckets();
    const buckets = this.buckets;
    const next = this.next;
    next.reserve(this.nextBase);
    for (let i = 0; i + 2 < ids.length; i++) {
      const at = gramHash(ids[i], ids[i + 1], ids[i + 2]) << 1;
      const posting = doc.base + i;
      next.set(posting, buckets[at] - 1);
      buckets[at] = posting + 1;
      buckets[at + 1]++;
    }
  }

  /** Rebuilds the tables from the live sources only (after many removals). */
  private compact(): void {
    const live = this.docs.filter((d) => d.alive);
    // The live docs' word ids into new slabs, so the old ones and the removed docs' words in them can go.
    this.slabs = [];
    this.slabFill = [];
    for (const doc of live) {
      const n = doc.ids.length;
      const slab = this.slabFor(n);
      const offset = this.slabFill[slab];
      this.slabs[slab].set(doc.ids, offset);
      doc.ids = this.slabs[slab].subarray(offset, offset + n);
      doc.slab = slab;
      doc.offset = offset;
      this.slabFill[slab] += n;
    }
    this.docs = [];
    this.slotOfMap = new Map();
    this.wordChains.fill(-1);
    for (let id = 0; id < this.vocabulary.count; id++) this.wordChains[2 * id + 1] = 0;
    this.wordNext = new PagedInt32(PAGE_BITS);
    this.buckets = new Int32Array(0);
    this.next = new PagedInt32(PAGE_BITS);
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
      if (e.kind === 'word') codes[i] = this.knownId(e.norm);
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
      for (let global = this.buckets[bucket << 1] - 1; global !== -1; global = this.next.get(global)) {
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

  /** The doc slot of an entry of the chains of docs by word (docs are numbered in order of their entries). */
  private slotOfEntry(entry: number): number {
    return lastAtOrBelow(this.docs.length, (i) => this.docs[i].wordBase, entry);
  }

  /** Positions of the pattern's two rarest known words in the sources that hold them (one of them may be the changed word). */
  private rareWordCandidates(ids: IdPattern): Array<{ slot: number; at: number }> {
    const known: number[] = [];
    for (let i = 0; i < ids.codes.length; i++) if (ids.codes[i] >= 0) known.push(i);
    known.sort((x, y) => this.wordChains[2 * ids.codes[x] + 1] - this.wordChains[2 * ids.codes[y] + 1]);
    const out: Array<{ slot: number; at: number }> = [];
    const used = new Set<number>();
    for (const index of known) {
      const word = ids.codes[index];
      if (used.has(word)) continue;
      used.add(word);
      if (used.size > 2) break;
      let scanned = 0;
      for (let e = this.wordChains[2 * word]; e !== -1 && scanned < RARE_WORD_DOCS; e = this.wordNext.get(e)) {
        const slot = this.slotOfEntry(e);
        const doc = this.docs[slot];
        if (!doc?.alive) continue;
        scanned++;
        for (let p = 0; p < doc.ids.length; p++) if (doc.ids[p] === word) out.push({ slot, at: Math.max(0, p - index) });
      }
    }
    return out;
  }
}
