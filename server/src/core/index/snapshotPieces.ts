/**
 * Values of an index snapshot handed to the snapshot writer in pieces, so
 * that taking a snapshot makes no joined copy of them: the writer writes the
 * pieces one after another, and a snapshot read back holds one array or one
 * string. A snapshot kept in memory is joined instead (`joinPieces`).
 */
import type { PartSnapshotValue } from './corpusIndex';

/**
 * An Int32Array handed to the snapshot writer in pieces (a paged column's
 * pages, the sources' bodies), written one after another and read back as one
 * array: taking a snapshot makes no joined copy of it.
 */
export class Int32Pieces {
  constructor(readonly pieces: readonly Int32Array[]) {}

  get length(): number {
    let length = 0;
    for (const piece of this.pieces) length += piece.length;
    return length;
  }

  /** The pieces in one new array, as a snapshot written and read back holds them. */
  join(): Int32Array {
    const out = new Int32Array(this.length);
    let at = 0;
    for (const piece of this.pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}

/**
 * A string handed to the snapshot writer as the strings it joins, each asked
 * for when needed (twice: the writer measures, then writes) and read back as
 * one string. Taking a snapshot then makes no joined copy of a long list, nor
 * keeps pieces that can be made as they are written (each source's record).
 */
export class StringPieces {
  constructor(
    readonly length: number,
    readonly at: (i: number) => string,
  ) {}

  /** The strings of `list` (which must not change until the snapshot is written). */
  static of(list: readonly string[]): StringPieces {
    return new StringPieces(list.length, (i) => list[i]);
  }

  /** The pieces in one string, as a snapshot written and read back holds them. */
  join(): string {
    const parts = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) parts[i] = this.at(i);
    return parts.join('');
  }
}

/**
 * Bytes handed to the snapshot writer as they are made, for data encoded only
 * to be written: `chunks()` yields them one after another (a chunk may be
 * reused for the next once that is asked for), and a snapshot read back holds
 * them as one Uint8Array. `byteLength` is what the chunks add up to.
 */
export class LazyBytes {
  constructor(
    readonly byteLength: number,
    readonly chunks: () => Iterable<Uint8Array>,
  ) {}

  /** The chunks in one new array, as a snapshot written and read back holds them. */
  join(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    let at = 0;
    for (const chunk of this.chunks()) {
      if (at + chunk.length > out.length) throw new Error('lazy bytes longer than they said');
      out.set(chunk, at);
      at += chunk.length;
    }
    if (at !== out.length) throw new Error('lazy bytes shorter than they said');
    return out;
  }
}

/** A snapshot's bytes as one Uint8Array (see `int32Of`); undefined when they are none. */
export function bytesOf(value: PartSnapshotValue | undefined): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  return value instanceof LazyBytes ? value.join() : undefined;
}

/**
 * A snapshot's array as one Int32Array: the array a snapshot read back from
 * disk holds, or its pieces joined when a snapshot is restored without being
 * written; undefined when it is neither.
 */
export function int32Of(value: PartSnapshotValue | undefined): Int32Array | undefined {
  if (value instanceof Int32Array) return value;
  return value instanceof Int32Pieces ? value.join() : undefined;
}

/** A snapshot's string as one string (see `int32Of`); undefined when it is none. */
export function stringOf(value: PartSnapshotValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  return value instanceof StringPieces ? value.join() : undefined;
}

/**
 * `snapshot` as written to disk and read back: a copy with its pieces joined
 * (see `Int32Pieces`, `StringPieces`, `LazyBytes`), for a snapshot kept in memory or
 * compared with another; the arrays themselves are not copied.
 */
export function joinPieces<T>(snapshot: T): T {
  const join = (value: unknown): unknown => {
    if (value instanceof Int32Pieces || value instanceof StringPieces || value instanceof LazyBytes) return value.join();
    if (Array.isArray(value)) return value.map(join);
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = join(v);
    return out;
  };
  return join(snapshot) as T;
}
