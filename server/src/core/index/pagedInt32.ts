/**
 * An Int32 column grown a page at a time, shared by the index parts: growing
 * never copies and never doubles (a doubled array stands up to half unused,
 * and on the machines measured here memory costs about 4 ms per MB the first
 * time it is touched). A column restored from a snapshot keeps the snapshot's
 * array as its base, without copying it, and grows in pages after it.
 */
import type { PartSnapshot, PartSnapshotValue } from './corpusIndex';
import { Int32Pieces } from './snapshotPieces';

const EMPTY = new Int32Array(0);

export class PagedInt32 {
  private base: Int32Array = EMPTY;
  private pages: Int32Array[] = [];
  private readonly pageSize: number;
  private readonly pageMask: number;
  length = 0;

  /** @param pageBits entries per page are `2 ** pageBits` (14: 64 KB pages) */
  constructor(private readonly pageBits = 14) {
    this.pageSize = 1 << pageBits;
    this.pageMask = this.pageSize - 1;
  }

  get(i: number): number {
    const base = this.base;
    if (i < base.length) return base[i];
    i -= base.length;
    return this.pages[i >>> this.pageBits][i & this.pageMask];
  }

  set(i: number, value: number): void {
    const base = this.base;
    if (i < base.length) base[i] = value;
    else {
      i -= base.length;
      this.pages[i >>> this.pageBits][i & this.pageMask] = value;
    }
  }

  push(value: number): number {
    const i = this.length - this.base.length;
    if (i >>> this.pageBits === this.pages.length) this.pages.push(new Int32Array(this.pageSize));
    this.pages[i >>> this.pageBits][i & this.pageMask] = value;
    return this.length++;
  }

  /** Makes entries up to `length` addressable (new ones read 0). */
  reserve(length: number): void {
    while (this.base.length + this.pages.length * this.pageSize < length) this.pages.push(new Int32Array(this.pageSize));
    if (length > this.length) this.length = length;
  }

  /** The entries as they stand, not copied (the column must not change until the snapshot is written). */
  snapshot(): PartSnapshot {
    const pages: PartSnapshot = {};
    const paged = this.length - this.base.length;
    this.pages.forEach((page, p) => {
      if (p * this.pageSize < paged) pages[p] = page.subarray(0, Math.min(this.pageSize, paged - p * this.pageSize));
    });
    return { length: this.length, base: this.base, pages };
  }

  /**
   * The entries as they stand, not copied, as pieces that a snapshot writes as one array (the column must not change
   * until the snapshot is written): for a part whose snapshot holds the column as one array.
   */
  pieces(): Int32Pieces {
    const pieces = [this.base];
    const paged = this.length - this.base.length;
    for (let p = 0, from = 0; from < paged; p++, from += this.pageSize) pieces.push(from + this.pageSize <= paged ? this.pages[p] : this.pages[p].subarray(0, paged - from));
    return new Int32Pieces(pieces);
  }

  /** A column that takes `values` over (no copy). */
  static from(values: Int32Array, pageBits?: number): PagedInt32 {
    const paged = new PagedInt32(pageBits);
    paged.base = values;
    paged.length = values.length;
    return paged;
  }

  /**
   * Takes over the arrays of a `snapshot()` (only a last page short of a full
   * one is copied, so that it can grow). Throws, naming `what`, when the
   * snapshot is not one.
   */
  static restore(snapshot: PartSnapshotValue | undefined, what: string, pageBits?: number): PagedInt32 {
    const bad = () => new Error(`${what} has a malformed column`);
    if (!isRecord(snapshot) || !isRecord(snapshot.pages) || !(snapshot.base instanceof Int32Array)) throw bad();
    const paged = new PagedInt32(pageBits);
    const { length, base } = snapshot;
    const pages = Object.values(snapshot.pages);
    if (typeof length !== 'number' || !Number.isInteger(length) || length < base.length) throw bad();
    const rest = length - base.length;
    if (pages.length !== Math.ceil(rest / paged.pageSize)) throw bad();
    paged.base = base;
    pages.forEach((page, p) => {
      const wanted = Math.min(paged.pageSize, rest - p * paged.pageSize);
      if (!(page instanceof Int32Array) || page.length !== wanted) throw bad();
      if (wanted === paged.pageSize) paged.pages.push(page);
      else {
        const last = new Int32Array(paged.pageSize);
        last.set(page);
        paged.pages.push(last);
      }
    });
    paged.length = length;
    return paged;
  }
}

/**
 * `array` in a new array of at least `length` entries and at least twice its
 * size (so that growing an entry at a time costs constant time amortised), the
 * new entries set to `fill`; `array` itself when it is long enough: for the
 * tables the index parts keep per word or per spelling, indexed by number.
 */
export function grown<T extends Int32Array | Uint16Array | Uint8Array>(array: T, length: number, fill = 0): T {
  if (length <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2));
  bigger.set(array);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}

/** Whether a snapshot value is a nested record (not an array, typed or not). */
export function isRecord(value: PartSnapshotValue | undefined): value is PartSnapshot {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
