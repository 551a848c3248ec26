/**
 * The corpus index: every parsed source by id and by citation key, plus the
 * search structures ("parts") that features register. A part sees each source
 * when it is added and again when it is removed, so a changed file costs one
 * remove and one add, never a rebuild.
 */
import type { Source } from '../types';
import type { ParsedSource } from '../sources/parseSource';
import { packSource, StoredSource, type LazyPackedSource, type PackedSource } from './storedSource';
import { Lexicon, type SourceWords } from './lexicon';
import { int32Of, Int32Pieces, stringOf, StringPieces, type LazyBytes } from './snapshotPieces';

/**
 * A part's whole state as plain data, for the on-disk index snapshot that makes
 * a warm start fast: typed arrays (written and read back as raw bytes),
 * numbers, strings, arrays of strings, arrays and strings in pieces (see
 * snapshotPieces.ts) and nested records of these. No arrays of objects: a
 * million small objects take seconds to read back, typed arrays milliseconds.
 */
export interface PartSnapshot {
  [field: string]: PartSnapshotValue;
}
export type PartSnapshotValue =
  | number
  | string
  | boolean
  | null
  | string[]
  | Int32Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Float64Array
  | Int32Pieces
  | StringPieces
  | LazyBytes
  | PartSnapshot;

/**
 * What was read of a source with its parse, perhaps in a parsing worker, that
 * a part would otherwise read from the source as it is added. Never kept.
 */
export interface SourceHints {
  /** See `figureCandidates` in completionIndex.ts. */
  figureCandidates?: Int32Array;
  /** See `sentenceNumberWindows` in figureIndex.ts. */
  numberWindows?: Int32Array;
}

/** A search structure kept in step with the corpus (passages, figures, names, …). */
export interface IndexPart {
  /**
   * Adds a source. `words` are its body's words as the corpus index read them
   * once for all parts (see `useLexicon`); a part given none, or words of
   * another lexicon, reads them itself. `hints` hold what was read with the
   * source's parse (see `SourceHints`).
   */
  add(source: Source, words?: SourceWords, hints?: SourceHints): void;
  remove(source: Source): void;
  /** The part's state, taken between adds and removes; `restore` on a new part of the same class brings it back. */
  snapshot?(): PartSnapshot;
  /**
   * Replaces this (empty) part's state with `snapshot`. `sourceOf` gives the
   * sources the snapshot was taken with, by id (they are restored first); a
   * part keeps ids or asks for sources lazily rather than touching every one.
   * After a restore the part answers, adds and removes exactly as the part
   * the snapshot was taken from.
   */
  restore?(snapshot: PartSnapshot, sourceOf: (id: string) => Source | undefined): void;
  /**
   * Does now the work a bulk build or a restore leaves for later (merging
   * what was added, decoding what was restored), so the first lookup does not
   * pay for it. Hosts call it when idle after loading a corpus.
   */
  prepare?(): void;
  /** `prepare()` in steps, for a part whose deferred work is long: a host answers requests between them. */
  prepareSteps?(): Generator<void, void>;
  /**
   * Makes ahead, in steps, what the first add to an empty part would make at
   * once (a large table): for a host with time to spare before a bulk build,
   * such as while its first files are parsed in a worker.
   */
  readySteps?(): Generator<void, void>;
  /** Reads words with the corpus index's lexicon from now on (called once, before the first add). */
  useLexicon?(lexicon: Lexicon): void;
}

/** One line of the "Show Sources" list. */
export interface SourceSummary {
  id: string;
  key: string;
  relativePath: string;
  title?: string;
  outlet?: string;
  date?: string;
  problems: string[];
}

/** Texts of the sources in a snapshot, by position; a host may read them from disk only when asked. */
export interface TextColumn {
  readonly length: number;
  at(i: number): string | undefined;
}

/**
 * The sources of an index as plain data: records as JSON, bodies in one
 * Int32Array, texts in columns. A snapshot taken hands the records and bodies
 * over in pieces, per source; one read back holds them joined.
 */
export interface SourceTableSnapshot {
  /** JSON: per source, everything but its text and body (see `SourceRecord`). */
  records: string | StringPieces;
  /** The sources' body arrays one after another; source `i`'s is `bodies[bodyOffsets[i], bodyOffsets[i + 1])`. */
  bodies: Int32Array | Int32Pieces;
  bodyOffsets: Int32Array;
  texts: TextColumn;
  /** The file text of sources whose text was extracted from it (HTML); `undefined` elsewhere. */
  fileTexts: TextColumn;
  /** JSON: the per-base-key hints for the next free key suffix. */
  keyHints: string;
}

/** An index as plain data (see `CorpusIndex.snapshot`). */
export interface IndexSnapshot {
  sources: SourceTableSnapshot;
  /** Each registered part's snapshot, by the part's class name. */
  parts: Record<string, PartSnapshot>;
}

/** One source's record in a snapshot. */
interface SourceRecord extends Omit<PackedSource, 'text' | 'fileText' | 'body' | 'key'> {
  /** The key the source asked for, and the unique key it got. */
  baseKey: string;
  key: string;
  /** The suffix number of a suffixed key. */
  suffix?: number;
}

export class CorpusIndex {
  private readonly byId = new Map<string, StoredSource>();
  private readonly byKey = new Map<string, StoredSource>();
  /**
   * For each base key, a suffix number below which every suffix is taken, and
   * the base and number of each suffixed key, so that finding the smallest free
   * suffix does not probe from 1 when thousands of sources share a base key.
   */
  private readonly freeSuffixFrom = new Map<string, number>();
  private readonly suffixOf = new Map<string, { base: string; n: number }>();
  private readonly parts: IndexPart[] = [];
  /** Reads each added source's words once, for every part (see `IndexPart.add`). */
  private readonly lexicon = new Lexicon();
  /** Bumped on every change; caches of analyses compare it to know they are stale. */
  generation = 0;

  /** Registers a part and feeds it the sources already indexed. */
  addPart<T extends IndexPart>(part: T): T {
    this.parts.push(part);
    part.useLexicon?.(this.lexicon);
    for (const source of this.byId.values()) part.add(source, this.lexicon.read(source.text, source.bodyStart));
    return part;
  }

  /** The registered part of a class (each feature finds its own search structure this way). */
  part<T extends IndexPart>(kind: abstract new (...args: never[]) => T): T | undefined {
    return this.parts.find((p): p is T => p instanceof kind);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Source | undefined {
    return this.byId.get(id);
  }

  getByKey(key: string): Source | undefined {
    return this.byKey.get(key);
  }

  all(): IterableIterator<Source> {
    return this.byId.values();
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /**
   * Adds a source, or replaces the one with the same id. Its key is made unique
   * against the others: a second `xinhua-2023-12-29` becomes `xinhua-2023-12-29-b`.
   * `hints` are what was read with its parse (see `SourceHints`).
   */
  upsert(parsed: ParsedSource | PackedSource, hints?: SourceHints): StoredSource {
    const packed = 'body' in parsed ? parsed : packSource(parsed);
    const previous = this.byId.get(parsed.id);
    if (previous) this.detach(previous);
    // The smallest free suffix, so a re-read source gets its old key back.
    let key = parsed.key;
    if (this.byKey.has(key)) {
      let n = this.freeSuffixFrom.get(parsed.key) ?? 1;
      while (this.byKey.has(suffixed(parsed.key, n))) n++;
      key = suffixed(parsed.key, n);
      this.freeSuffixFrom.set(parsed.key, n + 1);
      this.suffixOf.set(key, { base: parsed.key, n });
    }
    const source = new StoredSource(packed, key);
    this.byId.set(source.id, source);
    this.byKey.set(key, source);
    const words = this.parts.length ? this.lexicon.read(source.text, source.bodyStart) : undefined;
    for (const part of this.parts) part.add(source, words, hints);
    this.generation++;
    return source;
  }

  remove(id: string): boolean {
    const source = this.byId.get(id);
    if (!source) return false;
    this.detach(source);
    this.generation++;
    return true;
  }

  clear(): void {
    for (const source of [...this.byId.values()]) this.detach(source);
    this.generation++;
  }

  summaries(): SourceSummary[] {
    return [...this.byId.values()]
      .map((s) => ({
        id: s.id,
        key: s.key,
        relativePath: s.relativePath,
        title: s.meta.title,
        outlet: s.meta.outlet,
        date: s.meta.date,
        problems: s.problems.map((p) => p.message),
      }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Lets every part do its deferred work now (see `IndexPart.prepare`). */
  prepare(): void {
    for (const _ of this.prepareSteps());
  }

  /**
   * `prepare()` a part at a time (a part with much to do, in steps of its own). A host that runs
   * the steps with pauses between them answers requests meanwhile (it must
   * not change the index until the last step).
   */
  *prepareSteps(): Generator<void, void> {
    for (const part of this.parts) {
      if (part.prepareSteps) yield* part.prepareSteps();
      else part.prepare?.();
      yield;
    }
  }

  /** The parts' `readySteps`, one after another: before a bulk build, with requests answered between steps. */
  *readySteps(): Generator<void, void> {
    for (const part of this.parts) if (part.readySteps) yield* part.readySteps();
  }

  /**
   * The whole index as plain data, for the on-disk snapshot a warm start reads
   * back. Take it between changes: the arrays it holds are the index's own.
   */
  snapshot(): IndexSnapshot {
    const steps = this.snapshotSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * `snapshot()` in steps: the sources, then each part; the snapshot is the
   * generator's return value. As with `prepareSteps`, the index must not
   * change until the last step.
   */
  *snapshotSteps(): Generator<void, IndexSnapshot> {
    const sources = [...this.byId.values()];
    const bodyOffsets = new Int32Array(sources.length + 1);
    let length = 0;
    sources.forEach((s, i) => {
      bodyOffsets[i] = length;
      length += s.body.length;
    });
    bodyOffsets[sources.length] = length;
    // Bodies and records are handed over per source and joined only on disk: joined here, they were a copy of every
    // body and a list of records and its JSON (on the benchmark corpus 8 MB, and 5 M characters) at the peak of a build.
    const bodies = new Int32Pieces(sources.map((s) => s.body));
    const recordJson = (i: number): string => {
      const s = sources[i];
      // The record without its text (a restored source's text stays on disk) and without its body (stored apart, above).
      const { body: _b, key: baseKey, ...record } = s.record;
      const suffix = this.suffixOf.get(s.key)?.n;
      return JSON.stringify({ ...record, baseKey, key: s.key, ...(suffix !== undefined ? { suffix } : {}) } satisfies SourceRecord);
    };
    // `[`, then each record (after a comma but the first), then `]`: the JSON of the list of records.
    const records = new StringPieces(sources.length + 2, (i) => (i === 0 ? '[' : i > sources.length ? ']' : (i > 1 ? ',' : '') + recordJson(i - 1)));
    // The last source's texts, for both columns: a source whose texts are on disk reads both at once (the writer
    // measures the columns side by side), and asked twice in a row it would read them twice.
    let peeked = -1;
    let peekedTexts: { text: string; fileText?: string } | undefined;
    const peek = (i: number) => {
      if (i !== peeked) {
        peekedTexts = sources[i]?.peekTexts();
        peeked = i;
      }
      return peekedTexts;
    };
    const parts: Record<string, PartSnapshot> = {};
    for (const part of this.parts) {
      if (!part.snapshot) throw new Error(`${part.constructor.name} cannot be snapshotted`);
      yield;
      parts[part.constructor.name] = part.snapshot();
    }
    return {
      sources: {
        records,
        bodies,
        bodyOffsets,
        texts: { length: sources.length, at: (i) => peek(i)?.text },
        fileTexts: { length: sources.length, at: (i) => peek(i)?.fileText },
        keyHints: JSON.stringify([...this.freeSuffixFrom]),
      },
      parts,
    };
  }

  /**
   * Makes this (empty) index the one a snapshot was taken of: sources first
   * (their texts are read from the snapshot only when used), then every
   * registered part. Throws when the snapshot does not fit (a part missing,
   * bad records); the index is then left empty.
   */
  restore(snapshot: IndexSnapshot): void {
    for (const _ of this.restoreSteps(snapshot));
  }

  /**
   * `restore()` in steps: the sources, then each part. Between steps the
   * index answers with what is restored so far; a step that fails throws,
   * and the index is left empty of sources.
   */
  *restoreSteps(snapshot: IndexSnapshot): Generator<void, void> {
    if (this.byId.size > 0) throw new Error('restore needs an empty index');
    try {
      const { bodyOffsets, texts, fileTexts } = snapshot.sources;
      const json = stringOf(snapshot.sources.records);
      const bodies = int32Of(snapshot.sources.bodies);
      if (json === undefined || !bodies) throw new Error('the source table is inconsistent');
      const records = JSON.parse(json) as SourceRecord[];
      if (!Array.isArray(records) || bodyOffsets.length !== records.length + 1 || texts.length !== records.length) throw new Error('the source table is inconsistent');
      const table: RestoredSourceTable = { bodies, bodyOffsets, texts, fileTexts };
      for (let i = 0; i < records.length; i++) {
        const record = records[i];
        const { baseKey, key, suffix } = record;
        if (bodyOffsets[i] > bodyOffsets[i + 1] || bodyOffsets[i + 1] > bodies.length) throw new Error('the source table is inconsistent');
        const lazy = new SnapshotSourceData(record, i, table);
        const source = new StoredSource(lazy, key);
        this.byId.set(source.id, source);
        this.byKey.set(key, source);
        if (suffix !== undefined) this.suffixOf.set(key, { base: baseKey, n: suffix });
      }
      for (const [base, n] of JSON.parse(snapshot.sources.keyHints) as Array<[string, number]>) this.freeSuffixFrom.set(base, n);
      for (const part of this.parts) {
        const data = snapshot.parts[part.constructor.name];
        if (!data || !part.restore) throw new Error(`the snapshot has no ${part.constructor.name}`);
        yield;
        part.restore(data, (id) => this.byId.get(id));
      }
      this.generation++;
    } catch (e) {
      this.byId.clear();
      this.byKey.clear();
      this.suffixOf.clear();
      this.freeSuffixFrom.clear();
      throw e;
    }
  }

  private detach(source: Source): void {
    for (const part of this.parts) part.remove(source);
    this.byId.delete(source.id);
    if (this.byKey.get(source.key) === source) {
      this.byKey.delete(source.key);
      const suffix = this.suffixOf.get(source.key);
      if (suffix) {
        this.suffixOf.delete(source.key);
        this.freeSuffixFrom.set(suffix.base, Math.min(this.freeSuffixFrom.get(suffix.base) ?? 1, suffix.n));
      }
    }
  }
}

/** The source table of a snapshot being restored, its bodies joined (see `SourceTableSnapshot`). */
interface RestoredSourceTable {
  bodies: Int32Array;
  bodyOffsets: Int32Array;
  texts: TextColumn;
  fileTexts: TextColumn;
}

/**
 * A restored source's data: its record, its body (a view made when first
 * used) and its text (read from the snapshot when first used). A class with
 * fields, not a spread of the record: ten thousand of these are made at every
 * warm start.
 */
class SnapshotSourceData implements LazyPackedSource {
  readonly id: string;
  readonly relativePath: string;
  readonly key: string;
  readonly meta: PackedSource['meta'];
  readonly metaOrigin: PackedSource['metaOrigin'];
  readonly problems: PackedSource['problems'];
  readonly bodyStart: number;
  readonly speakers: PackedSource['speakers'];
  readonly nameTexts: PackedSource['nameTexts'];
  private view?: Int32Array;

  constructor(
    record: SourceRecord,
    private readonly at: number,
    private readonly table: RestoredSourceTable,
  ) {
    this.id = record.id;
    this.relativePath = record.relativePath;
    this.key = record.baseKey;
    this.meta = record.meta;
    this.metaOrigin = record.metaOrigin;
    this.problems = record.problems;
    this.bodyStart = record.bodyStart;
    this.speakers = record.speakers;
    this.nameTexts = record.nameTexts;
  }

  get body(): Int32Array {
    return (this.view ??= this.table.bodies.subarray(this.table.bodyOffsets[this.at], this.table.bodyOffsets[this.at + 1]));
  }

  loadText(): { text: string; fileText?: string } {
    const text = this.table.texts.at(this.at);
    if (text === undefined) throw new Error(`the text of ${this.relativePath} is missing from the index snapshot`);
    return { text, fileText: this.table.fileTexts.at(this.at) };
  }
}

/** `key-b`, `key-c`, … `key-z`, `key-a1`, `key-b1`, …: the n-th variant of a base key (n ≥ 1). */
function suffixed(base: string, n: number): string {
  return `${base}-${String.fromCharCode(97 + (n % 26))}${n >= 26 ? Math.floor(n / 26) : ''}`;
}
