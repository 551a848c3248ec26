/**
 * The words of the corpus, read once for every index part. Each source's body
 * is split into words here (`WordScanner`), and each word is looked up, as
 * written, in one table of spellings: "Iraq's", "IRAQ’S" and "iraqs" are
 * three spellings of one normal form. The parts get the words of a source as
 * arrays of spelling and form numbers (`SourceWords`), so a source is read
 * and its words looked up once, not once per part.
 *
 * The numbers are this process's own: no part stores them in its snapshot.
 * Each part maps a form (or a spelling) to its own word numbers through an
 * array indexed by these, a memo it starts afresh after a restore.
 */
import type { PartSnapshot, PartSnapshotValue } from './corpusIndex';
import { normalizeWord, ownCopy, wordHash, WordScanner } from '../text';
import { grown, isRecord } from './pagedInt32';

/** A string's length in its record of a `StringTable` from this length on: the length follows in two more units. */
const LONG = 0xffff;

/**
 * Strings mapped to numbers, with no string object per entry: an open-addressing table over one array of UTF-16
 * units. Slot `s` is `slots[2s, 2s + 2)`: the string's hash and 1 + where its record starts in `units` (0 where the
 * slot is empty). A record is the string's length (`LONG` and two more units after the value when it is that long or
 * longer), its value in two units, then the string's units, so a probe whose hash matches reads one stretch of
 * `units`. Kept at most three quarters full, so probes stay short.
 */
export class StringTable {
  slots: Int32Array = new Int32Array(2 << 12);
  /** Records from 1 on: a record never starts at 0, which marks an empty slot. */
  units: Uint16Array = new Uint16Array(1 << 14);
  unitCount = 0;
  count = 0;
  /** The free slot the last failed `get` stopped at, where `add` puts the string. */
  private free = 0;

  /** The value of `text[start, end)` (whose `wordHash` is `hash`), or -1. */
  get(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const units = this.units;
    const mask = (slots.length >> 1) - 1;
    const length = end - start;
    let at = hash & mask;
    for (;;) {
      const s = at << 1;
      const record = slots[s + 1];
      if (record === 0) break;
      if (slots[s] === hash) {
        const short = units[record];
        let from = record + 3;
        if (short === LONG) from += 2;
        if (short === LONG ? (units[record + 3] | (units[record + 4] << 16)) === length : short === length) {
          from -= start;
          let i = start;
          while (i < end && units[from + i] === text.charCodeAt(i)) i++;
          if (i === end) return units[record + 1] | (units[record + 2] << 16);
        }
      }
      at = (at + 1) & mask;
    }
    this.free = at;
    return -1;
  }

  /** The value of the whole string `text`, which is given the next number (`count`) if it is new. */
  numberOf(text: string): number {
    const hash = wordHash(text, 0, text.length);
    const known = this.get(text, 0, text.length, hash);
    if (known >= 0) return known;
    const id = this.count;
    this.add(text, 0, text.length, hash, id);
    return id;
  }

  /** Adds `text[start, end)` with `value` (0 to 2^31 - 1), right after `get` found it missing. */
  add(text: string, start: number, end: number, hash: number, value: number): void {
    const length = end - start;
    const head = length >= LONG ? 5 : 3;
    // The first record starts at 1.
    const record = Math.max(1, this.unitCount);
    if (record + head + length > this.units.length) {
      const units = new Uint16Array(Math.max(Math.ceil(this.units.length * 1.25), record + head + length));
      units.set(this.units.subarray(0, this.unitCount));
      this.units = units;
    }
    const units = this.units;
    units[record] = Math.min(length, LONG);
    units[record + 1] = value & 0xffff;
    units[record + 2] = value >>> 16;
    if (length >= LONG) {
      units[record + 3] = length & 0xffff;
      units[record + 4] = length >>> 16;
    }
    const from = record + head - start;
    for (let i = start; i < end; i++) units[from + i] = text.charCodeAt(i);
    this.unitCount = record + head + length;
    const s = this.free << 1;
    this.slots[s] = hash;
    this.slots[s + 1] = record;
    if (++this.count * 4 > (this.slots.length >> 1) * 3) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      let at = old[s] & mask;
      while (slots[(at << 1) + 1] !== 0) at = (at + 1) & mask;
      slots[at << 1] = old[s];
      slots[(at << 1) + 1] = old[s + 1];
    }
    this.slots = slots;
  }

  snapshot(): PartSnapshot {
    return { slots: this.slots, units: this.units.subarray(0, this.unitCount), count: this.count };
  }

  static restore(snapshot: PartSnapshotValue | undefined): StringTable {
    if (!isRecord(snapshot)) throw new Error('a table of words is missing');
    const table = new StringTable();
    const slots = snapshot.slots;
    const units = snapshot.units;
    const count = snapshot.count;
    if (!(slots instanceof Int32Array) || !(units instanceof Uint16Array) || typeof count !== 'number') throw new Error('a table of words is malformed');
    const size = slots.length >> 1;
    if (size < 4 || (size & (size - 1)) !== 0 || slots.length !== size << 1 || count * 4 > size * 3) throw new Error('a table of words has the wrong size');
    table.slots = slots;
    table.units = units;
    table.unitCount = units.length;
    table.count = count;
    return table;
  }
}


/** The words of a source's body, in order: where each stands, its spelling and its normal form (numbers of a `Lexicon`). */
export class SourceWords {
  constructor(
    readonly lexicon: Lexicon,
    readonly count: number,
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    readonly spellings: Int32Array,
    readonly forms: Int32Array,
  ) {}

  /** The index of the first word starting at or after `offset` (`count` when there is none). */
  firstAt(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whether a word begins before `offset` and runs past it. A scan begun at
   * such an offset reads only part of that word; callers that read from an
   * offset of their own then read as that scan would.
   */
  splitAt(offset: number): boolean {
    const i = this.firstAt(offset);
    return i > 0 && this.ends[i - 1] > offset;
  }
}

export class Lexicon {
  /** Spelling number by spelling as written. */
  private readonly spellingTable = new StringTable();
  /** Form number by normal form. */
  private readonly formTable = new StringTable();
  /** Per spelling number, its form's number. */
  private formOfSpelling = new Int32Array(1 << 12);
  /** Per form number, the normal form. */
  private readonly formTexts: string[] = [];
  /** Reused by `read`: a source's words are handed to the parts and dropped before the next source is read. */
  private scratch: { starts: Int32Array; ends: Int32Array; spellings: Int32Array; forms: Int32Array } = { starts: new Int32Array(1 << 12), ends: new Int32Array(1 << 12), spellings: new Int32Array(1 << 12), forms: new Int32Array(1 << 12) };

  get spellingCount(): number {
    return this.spellingTable.count;
  }

  get formCount(): number {
    return this.formTexts.length;
  }

  /** The number of the spelling `text[start, end)` (whose `wordHash` is `hash`), numbering it (and its form) if new. */
  spelling(text: string, start: number, end: number, hash = wordHash(text, start, end)): number {
    const known = this.spellingTable.get(text, start, end, hash);
    if (known >= 0) return known;
    const id = this.spellingTable.count;
    const form = this.formNumber(normalizeWord(text.slice(start, end)));
    this.spellingTable.add(text, start, end, hash, id);
    this.formOfSpelling = grown(this.formOfSpelling, id + 1);
    this.formOfSpelling[id] = form;
    return id;
  }

  /** The number of the spelling `text[start, end)`, or -1 when it was never met (nothing is numbered). */
  findSpelling(text: string, start: number, end: number, hash = wordHash(text, start, end)): number {
    return this.spellingTable.get(text, start, end, hash);
  }

  /** The form number of spelling number `spelling`. */
  formOf(spelling: number): number {
    return this.formOfSpelling[spelling];
  }

  /** The normal form numbered `form`. */
  form(form: number): string {
    return this.formTexts[form];
  }

  /** The number of the normal form `norm`, or -1 when no spelling of it was met. */
  findForm(norm: string): number {
    return this.formTable.get(norm, 0, norm.length, wordHash(norm, 0, norm.length));
  }

  private formNumber(norm: string): number {
    const id = this.formTable.numberOf(norm);
    if (id < this.formTexts.length) return id;
    this.formTexts.push(ownCopy(norm));
    return id;
  }

  /**
   * The words of `text` from `from` on. The arrays are reused by the next
   * call: read what is needed of them before reading another text.
   */
  read(text: string, from: number): SourceWords {
    const scanner = new WordScanner(text, from);
    let { starts, ends, spellings, forms } = this.scratch;
    let n = 0;
    while (scanner.next()) {
      if (n === starts.length) {
        this.scratch = { starts: grown(starts, n + 1), ends: grown(ends, n + 1), spellings: grown(spellings, n + 1), forms: grown(forms, n + 1) };
        ({ starts, ends, spellings, forms } = this.scratch);
      }
      const spelling = this.spelling(text, scanner.start, scanner.end, scanner.hash);
      starts[n] = scanner.start;
      ends[n] = scanner.end;
      spellings[n] = spelling;
      forms[n] = this.formOfSpelling[spelling];
      n++;
    }
    return new SourceWords(this, n, starts, ends, spellings, forms);
  }
}
