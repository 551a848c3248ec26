/**
 * The on-disk index snapshot, for warm starts. A restart with an unchanged
 * corpus reads the whole index back (sources, and the search structures built
 * from them) instead of parsing and indexing every file again; only files
 * whose size, mtime or catalog entry changed are read again.
 *
 * The snapshot lives outside the corpus and the package (under the OS cache
 * folder unless the host says otherwise), one file per set of corpus folders,
 * tied to the build of Corroborate that wrote it. A corrupt, old or foreign
 * file is ignored with a log line and rewritten.
 *
 * Layout: a magic line, the length of a JSON header, the header (format,
 * build, corpus folders, per-file stamps and problems, and the index snapshot
 * with each typed array and text column replaced by a reference), then the
 * raw bytes of the typed arrays, each 8-byte aligned, then the texts as UTF-8.
 * Reading reads everything up to the texts into one buffer and maps typed
 * arrays as views over it (no copying); a source's text is read from the
 * file when it is first used. (Memory is costly to touch for the first time
 * on the machines this was measured on, about 4 ms per MB: what is not read
 * at a start is not paid for.)
 */
import { close as closeFile, fstat as fsFstat, open as fsOpen, read as fsRead, promises as fs, readSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { Logger } from './core/types';
import { isHighSurrogate, isLowSurrogate } from './core/text';
import { processAlive } from './processes';
import { TimeSlice } from './turns';
import type { IndexSnapshot, TextColumn } from './core/index/corpusIndex';
import { Int32Pieces, LazyBytes, StringPieces } from './core/index/snapshotPieces';
import type { FileStamp } from './sourceFile';

/** Bump when the layout changes. */
const FORMAT = 3;

const MAGIC = Buffer.from('CRBSNAP3\n');

/** What the snapshot knows of one corpus file. */
export interface FileRecord extends FileStamp {
  file: string;
  /** Its problems when it was read (a skipped file has only these). */
  problems: string[];
}

/** A snapshot as read back. */
export interface StoredCorpus {
  files: Map<string, FileRecord>;
  index: IndexSnapshot;
}

interface Header {
  format: number;
  codeVersion: string;
  roots: string[];
  files: FileRecord[];
  index: unknown;
}

/** A typed array in the header: its type, where its bytes start (after the header) and its length. */
interface ArrayRef {
  $array: keyof typeof ARRAY_TYPES;
  at: number;
  length: number;
}
/** A long string in the header: its UTF-8 bytes' span (stored apart, so the header's JSON does not escape and parse it twice). */
interface StringRef {
  $string: number;
  bytes: number;
}
/** Strings longer than this are stored apart from the header. */
const LONG_STRING = 1 << 16;
/** A list of more pieces than this is stored apart from the header, whatever its length, and measured in turns. */
const MEASURED_LATER = 1024;

/** A text column in the header: the UTF-8 bytes' span, and per entry its start (a missing entry: the complement of where it would start). */
interface TextRef {
  $texts: ArrayRef;
  at: number;
  bytes: number;
}

const ARRAY_TYPES = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float64Array, Float32Array, Int8Array, Int16Array } as const;

/** The folder for Corroborate's caches: `$XDG_CACHE_HOME`, `~/Library/Caches` or `%LOCALAPPDATA%`, under `corroborate/`. */
export function defaultCacheDir(): string {
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'corroborate');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return path.join(process.env.LOCALAPPDATA, 'corroborate', 'cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'corroborate');
  return path.join(os.homedir(), '.cache', 'corroborate');
}

/** The bundles a build makes side by side: a snapshot is tied to all of them, so the server and the command line share one. */
const BUILT_BUNDLES = ['server.js', 'cli.js', 'parseWorker.js'];

/**
 * The snapshot store a host uses by default: under the OS cache folder, or
 * the folder named by `CORROBORATE_INDEX_CACHE`; none when that variable is
 * `off`. Snapshots are tied to the running build (the size and mtime of the
 * bundles this code runs from and beside it), so a new version never reads
 * an old one, and the server and the command line read each other's.
 */
export function hostIndexCache(logger: Logger): IndexCache | undefined {
  const setting = process.env.CORROBORATE_INDEX_CACHE;
  if (setting === 'off') return undefined;
  const stamp = (file: string) => {
    try {
      const stat = statSync(file);
      return `${stat.size}-${Math.round(stat.mtimeMs)}`;
    } catch {
      return undefined;
    }
  };
  const bundles = BUILT_BUNDLES.map((name) => stamp(path.join(__dirname, name)));
  // Not run from a build (tests under tsx): this file itself. Without any stamp, snapshots are still tied to the format.
  const build = bundles.some((b) => b !== undefined) ? bundles.map((b) => b ?? '-').join('/') : (stamp(__filename) ?? 'unknown-build');
  return new IndexCache(setting || defaultCacheDir(), build, logger);
}

export class IndexCache {
  private roots: string[] = [];

  /**
   * @param dir folder for snapshot files (created on write)
   * @param codeVersion identifies the build; snapshots written by another build are ignored
   */
  constructor(
    readonly dir: string,
    private readonly codeVersion: string,
    private readonly logger: Logger,
  ) {}

  /** The snapshot file for the current corpus folders. */
  get file(): string {
    const hash = createHash('sha256').update(this.roots.join('\n')).digest('hex').slice(0, 16);
    return path.join(this.dir, `index-${hash}.bin`);
  }

  /**
   * Reads the snapshot for `roots`; none when there is none, and a bad one is
   * logged and ignored. Everything but the source texts is read now; each
   * text is read from the file when it is first used (the file stays open
   * for that; a newer snapshot replaces the file, never this open one).
   */
  async read(roots: string[]): Promise<StoredCorpus | undefined> {
    this.roots = [...roots].sort();
    let fd: number;
    try {
      fd = await openFile(this.file, 'r');
    } catch {
      return undefined;
    }
    let keepOpen = false;
    try {
      const { size } = await fstatFile(fd);
      const head = Buffer.alloc(MAGIC.length + 4);
      await readFully(fd, head, 0);
      if (size < head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a Corroborate index snapshot');
      const headerLength = head.readUInt32LE(MAGIC.length);
      const headerStart = MAGIC.length + 4;
      if (headerStart + headerLength > size) throw new Error('it ends inside its header');
      const headerBytes = Buffer.allocUnsafe(headerLength);
      await readFully(fd, headerBytes, headerStart);
      const header = JSON.parse(headerBytes.toString('utf8')) as Header;
      if (header?.format !== FORMAT || header.codeVersion !== this.codeVersion) {
        this.logger.info(`Index snapshot ${this.file} was written by another version of Corroborate; rebuilding it.`);
        return undefined;
      }
      if (JSON.stringify(header.roots) !== JSON.stringify(this.roots)) return undefined;
      const dataStart = align8(headerStart + headerLength);
      const texts = textRefs(header.index);
      const textsAt = texts.length ? Math.min(...texts.map((t) => t.at)) : undefined;
      const dataEnd = textsAt === undefined ? size : dataStart + textsAt;
      // The texts are read later, so a file cut short in them is refused now, not when a text is first used.
      const textsEnd = Math.max(0, ...texts.map((t) => t.at + t.bytes));
      if (dataEnd > size || dataStart + textsEnd > size) throw new Error('it ends before its end (cut short?)');
      const bytes = Buffer.allocUnsafeSlow(dataEnd - dataStart);
      await readFully(fd, bytes, dataStart);
      const textReader = (position: number, length: number): string => {
        const out = Buffer.allocUnsafe(length);
        let at = 0;
        while (at < length) {
          const n = readSync(fd, out, at, length - at, dataStart + position + at);
          if (n === 0) throw new Error('the index snapshot ends inside its texts');
          at += n;
        }
        return out.toString('utf8');
      };
      const index = revive(header.index, bytes, textReader) as IndexSnapshot;
      if (textsAt !== undefined) {
        // The file stays open while a restored source may still read its text from it (a newer snapshot replaces
        // the file by a rename, never this open one); the descriptor is closed once the reader is collected.
        keepOpen = true;
        openTextFiles.register(textReader, fd);
      }
      return { files: new Map(header.files.map((f) => [f.file, f])), index };
    } catch (e) {
      this.logger.warn(`Index snapshot ${this.file} is unreadable and is ignored (${e instanceof Error ? e.message : e}); it will be rewritten.`);
      return undefined;
    } finally {
      if (!keepOpen) closeFile(fd, () => undefined);
    }
  }

  /**
   * Writes a snapshot atomically (a crash leaves the old file or none). The
   * index must not change until the returned promise settles: the snapshot's
   * arrays are the index's own and are written from where they stand, and
   * values in pieces are made as they are written (an array or a string in
   * pieces is read back whole). Failures are logged, never thrown. Long
   * measuring is done in turns of `slice`, with requests answered between them.
   */
  async write(roots: string[], files: FileRecord[], index: IndexSnapshot, slice = new TimeSlice()): Promise<void> {
    this.roots = [...roots].sort();
    const target = this.file;
    const temporary = `${target}.${process.pid}.tmp`;
    let handle: fs.FileHandle | undefined;
    try {
      // What follows the header, in order, each where `place` put it: written from where it stands or as it is made.
      const blobs: Array<{ at: number; bytes: number; value: Blob }> = [];
      let at = 0;
      const place = (bytes: number, value: Blob) => {
        blobs.push({ at, bytes, value });
        const start = at;
        at = align8(at + bytes);
        return start;
      };
      const textRefs: Array<{ ref: TextRef; texts: MeasuredTexts }> = [];
      // Lists of many pieces are measured after the walk, in turns (see below), and placed after the arrays.
      const longLists: Array<{ ref: StringRef; pieces: StringPieces }> = [];
      const tree = replace(index, (value) => {
        if (ArrayBuffer.isView(value)) {
          const type = value.constructor.name as keyof typeof ARRAY_TYPES;
          if (!(type in ARRAY_TYPES)) throw new Error(`cannot store a ${type}`);
          return { $array: type, at: place(value.byteLength, value), length: (value as Int32Array).length } satisfies ArrayRef;
        }
        if (value instanceof Int32Pieces) {
          // Read back as one array: the pieces are written one after another.
          const length = value.length;
          return { $array: 'Int32Array', at: place(length * 4, value), length } satisfies ArrayRef;
        }
        if (value instanceof LazyBytes) {
          // Read back as one array: the bytes are made as they are written.
          return { $array: 'Uint8Array', at: place(value.byteLength, value), length: value.byteLength } satisfies ArrayRef;
        }
        if (value instanceof StringPieces) {
          // Read back as one string: the pieces are encoded one after another. A short one is joined into the header.
          if (value.length > MEASURED_LATER) {
            const ref: StringRef = { $string: 0, bytes: 0 };
            longLists.push({ ref, pieces: value });
            return ref;
          }
          let chars = 0;
          let bytes = 0;
          for (let i = 0; i < value.length; i++) {
            const piece = value.at(i);
            chars += piece.length;
            bytes += Buffer.byteLength(piece, 'utf8');
          }
          if (chars <= LONG_STRING) return value.join();
          return { $string: place(bytes, value), bytes } satisfies StringRef;
        }
        if (typeof value === 'string' && value.length > LONG_STRING) {
          const bytes = Buffer.byteLength(value, 'utf8');
          return { $string: place(bytes, value), bytes } satisfies StringRef;
        }
        if (isTextColumn(value)) {
          // Texts are measured below and encoded while writing, so they are never all in memory twice.
          const texts: MeasuredTexts = { column: value, offsets: new Int32Array(value.length + 1), bytes: 0 };
          // The texts themselves are placed after every array (below): a start reads up to them, and each text only when it is used.
          const ref: TextRef = { $texts: { $array: 'Int32Array', at: place(texts.offsets.byteLength, texts.offsets), length: texts.offsets.length }, at: 0, bytes: 0 };
          textRefs.push({ ref, texts });
          return ref;
        }
        return undefined;
      });
      // Measuring means making each piece (a source's record is made as it is measured, and again as it is written)
      // and reading each text back from where the host keeps it: on the benchmark corpus, done at once, it held the
      // thread for 400 ms. So it is done in turns, with requests answered between them.
      for (const { ref, pieces } of longLists) {
        let bytes = 0;
        for (let i = 0; i < pieces.length; i++) {
          bytes += Buffer.byteLength(pieces.at(i), 'utf8');
          if (slice.due()) await slice.turn();
        }
        ref.bytes = bytes;
        ref.$string = place(bytes, pieces);
      }
      // Every column's i-th text is measured before any column's next one: a host that reads a source's texts back
      // from disk to hand them over (its text and file text at once) then reads each source once here, not per column.
      const longest = Math.max(0, ...textRefs.map(({ texts }) => texts.column.length));
      for (let i = 0; i < longest; i++) {
        if (slice.due()) await slice.turn();
        for (const { texts } of textRefs) {
          if (i >= texts.column.length) continue;
          const text = texts.column.at(i);
          // A missing text is marked by its start's complement, so every entry still says where the next one begins.
          texts.offsets[i] = text === undefined ? ~texts.bytes : texts.bytes;
          texts.bytes += text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
        }
      }
      for (const { ref, texts } of textRefs) {
        texts.offsets[texts.column.length] = texts.bytes;
        if (texts.bytes > 0x7fffffff) throw new Error('the corpus text is over 2 GB');
        ref.bytes = texts.bytes;
        ref.at = place(texts.bytes, texts);
      }
      const header: Header = { format: FORMAT, codeVersion: this.codeVersion, roots: this.roots, files, index: tree };
      // The header's JSON is encoded straight into the file, as everything after it: no copy of it is made in bytes.
      const json = JSON.stringify(header);
      const headerBytes = Buffer.byteLength(json, 'utf8');
      const lead = Buffer.alloc(MAGIC.length + 4);
      MAGIC.copy(lead, 0);
      lead.writeUInt32LE(headerBytes, MAGIC.length);
      await fs.mkdir(this.dir, { recursive: true });
      handle = await fs.open(temporary, 'w');
      const out = new ChunkedWriter(handle);
      await out.bytes(lead);
      await out.string(json);
      await out.pad();
      const dataStart = out.written;
      for (const { at: start, bytes, value } of blobs) {
        if (out.written - dataStart !== start) throw new Error('the snapshot is out of step with its header');
        if (ArrayBuffer.isView(value)) await out.bytes(value);
        else if (value instanceof Int32Pieces) for (const piece of value.pieces) await out.bytes(piece);
        else if (value instanceof LazyBytes) for (const chunk of value.chunks()) await out.bytes(chunk);
        else if (typeof value === 'string') await out.string(value);
        else if (value instanceof StringPieces) for (let i = 0; i < value.length; i++) await out.string(value.at(i));
        else {
          // Only the texts measured are asked for again (a column of file texts is mostly missing ones).
          for (let i = 0; i < value.column.length; i++) {
            if (value.offsets[i] < 0) continue;
            const text = value.column.at(i);
            if (text === undefined) throw new Error('a value of the snapshot changed while it was written');
            await out.string(text);
          }
        }
        // Pieces made again as they are written must be what was measured: a snapshot never says one size and holds another.
        if (out.written - dataStart !== start + bytes) throw new Error('a value of the snapshot changed while it was written');
        await out.pad();
      }
      await out.flush();
      await handle.close();
      handle = undefined;
      await fs.rename(temporary, target);
      await this.evictOthers(target);
    } catch (e) {
      this.logger.warn(`Cannot write the index snapshot ${target} (${e instanceof Error ? e.message : e}); the next start will be a cold one.`);
      await handle?.close().catch(() => undefined);
      await fs.rm(temporary, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Deletes the least recently written snapshots of other corpora beyond `KEEP_FILES`, so the folder does not grow
   * without end, and the half-written files of writers that are gone (a server stopped mid-write leaves one behind).
   */
  private async evictOthers(keep: string): Promise<void> {
    try {
      const all = await fs.readdir(this.dir);
      for (const name of all) {
        const writer = /^index-[0-9a-f]+\.bin\.(\d+)\.tmp$/.exec(name);
        if (!writer || Number(writer[1]) === process.pid) continue;
        const file = path.join(this.dir, name);
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat && (!processAlive(Number(writer[1])) || Date.now() - stat.mtimeMs > STALE_WRITE_MS)) await fs.rm(file, { force: true });
      }
      const names = all.filter((n) => /^index-[0-9a-f]+\.bin$/.test(n));
      if (names.length <= KEEP_FILES) return;
      const dated = await Promise.all(names.map(async (n) => ({ file: path.join(this.dir, n), mtime: (await fs.stat(path.join(this.dir, n))).mtimeMs })));
      dated.sort((a, b) => b.mtime - a.mtime);
      for (const { file } of dated.slice(KEEP_FILES)) if (file !== keep) await fs.rm(file, { force: true });
    } catch {
      // Another process may be evicting at the same time; what is left is cleaned up next time.
    }
  }
}

/** A value written after a snapshot's header (see `IndexCache.write`). */
type Blob = ArrayBufferView | Int32Pieces | LazyBytes | StringPieces | string | MeasuredTexts;

/** A text column and, once measured, where each text starts in its bytes (a missing one: the complement) and their total. */
interface MeasuredTexts {
  column: TextColumn;
  offsets: Int32Array;
  bytes: number;
}

/** Bytes gathered (texts encoded, small arrays copied) before each write of a snapshot. */
const TEXT_CHUNK = 1 << 20;

/** Arrays from this size on are written from where they stand; smaller ones are gathered into the chunk. */
const DIRECT_WRITE = 1 << 16;

/**
 * Writes a snapshot through one reused buffer of a megabyte, written out when
 * full: strings are encoded into it and small arrays copied into it (one
 * write per text or per source's body would take seconds, one buffer for all
 * doubles the memory, and a buffer per string is garbage by the megabyte);
 * large arrays are written from where they stand.
 */
class ChunkedWriter {
  private readonly chunk = Buffer.allocUnsafe(TEXT_CHUNK);
  private used = 0;
  /** Bytes written so far, those in the chunk included. */
  written = 0;

  constructor(private readonly handle: fs.FileHandle) {}

  /** Writes the bytes of `view`, which may be used again once this settles (small ones are copied, large ones written by then). */
  async bytes(view: ArrayBufferView): Promise<void> {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    if (bytes.length >= DIRECT_WRITE) {
      await this.flush();
      await this.handle.write(bytes);
    } else {
      if (this.used + bytes.length > TEXT_CHUNK) await this.flush();
      this.chunk.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.written += bytes.length;
  }

  /** Writes `text` as UTF-8; a long one in parts of what the chunk holds, each cut between two UTF-16 units of different characters. */
  async string(text: string): Promise<void> {
    // At most 3 bytes per UTF-16 unit: a part of this many units always fits an empty chunk.
    const most = Math.floor(TEXT_CHUNK / 3);
    for (let from = 0; from < text.length; ) {
      let to = Math.min(text.length, from + most);
      if (to < text.length && isHighSurrogate(text.charCodeAt(to - 1)) && isLowSurrogate(text.charCodeAt(to))) to--;
      const part = from === 0 && to === text.length ? text : text.slice(from, to);
      if (this.used + 3 * part.length > TEXT_CHUNK) await this.flush();
      const n = this.chunk.write(part, this.used, 'utf8');
      this.used += n;
      this.written += n;
      from = to;
    }
  }

  /** Zeros up to the next multiple of 8 bytes. */
  async pad(): Promise<void> {
    const padding = align8(this.written) - this.written;
    if (padding) await this.bytes(new Uint8Array(padding));
  }

  async flush(): Promise<void> {
    if (this.used > 0) await this.handle.write(this.chunk, 0, this.used);
    this.used = 0;
  }
}

/** A temporary snapshot file untouched for this long is left over, even if a process of its writer's number still runs. */
const STALE_WRITE_MS = 60 * 60 * 1000;

/** How many snapshot files (one per set of corpus folders) are kept; the least recently written beyond that are deleted. */
const KEEP_FILES = 16;

const openFile = promisify(fsOpen);
const fstatFile = promisify(fsFstat);
const readFile = promisify(fsRead);

/**
 * Fills `into` from the file at `position`, in large reads (`readFile`'s growing buffer set off repeated garbage
 * collections). A large buffer is filled in parts read at once, one per core: the time goes into mapping fresh
 * memory page by page, which the cores share (on the 2-core machine measured, a 124 MB snapshot in 0.29 s instead
 * of 0.56 s).
 */
async function readFully(fd: number, into: Buffer, position: number): Promise<void> {
  const parts = into.length < PARALLEL_READ_FROM ? 1 : Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
  const part = Math.ceil(into.length / parts);
  await Promise.all(
    Array.from({ length: parts }, async (_, k) => {
      let at = k * part;
      const end = Math.min(into.length, at + part);
      while (at < end) {
        const { bytesRead } = await readFile(fd, into, at, Math.min(end - at, 1 << 26), position + at);
        if (bytesRead === 0) throw new Error('it ends before its end');
        at += bytesRead;
      }
    }),
  );
}

/** Buffers from this size on are read in parallel parts (see `readFully`). */
const PARALLEL_READ_FROM = 16 << 20;

function align8(n: number): number {
  return (n + 7) & ~7;
}

function isTextColumn(value: unknown): value is TextColumn {
  // Arrays have `at` and `length` too: a text column is any other object with both.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && typeof (value as TextColumn).at === 'function' && typeof (value as TextColumn).length === 'number';
}

/** A copy of a tree of plain data where `swap` may replace any value (returning undefined keeps it and recurses). */
function replace(value: unknown, swap: (value: unknown) => unknown): unknown {
  const swapped = swap(value);
  if (swapped !== undefined) return swapped;
  if (Array.isArray(value)) return value.map((v) => replace(v, swap));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replace(v, swap);
    return out;
  }
  return value;
}

/** Descriptors of snapshot files that restored sources still read texts from, closed when their reader is collected. */
const openTextFiles = new FinalizationRegistry<number>((fd) => closeFile(fd, () => undefined));

/** The text columns' references in a header (they stand in records, never in arrays: a part's string list may be long). */
function textRefs(value: unknown, out: TextRef[] = []): TextRef[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  if ('$texts' in value) out.push(value as TextRef);
  else for (const v of Object.values(value)) textRefs(v, out);
  return out;
}

/**
 * The tree of a header with its array references turned back into views over
 * `bytes` (the data read, from its start) and its text columns into readers
 * of the file (`readText(position, length)`, positions relative to the data).
 */
function revive(value: unknown, bytes: Buffer, readText: (position: number, length: number) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => revive(v, bytes, readText));
  if (typeof value !== 'object' || value === null) return value;
  if ('$array' in value) return arrayAt(value as ArrayRef, bytes);
  if ('$string' in value) {
    const ref = value as StringRef;
    if (ref.$string + ref.bytes > bytes.length) throw new Error('it ends inside its strings');
    return bytes.toString('utf8', ref.$string, ref.$string + ref.bytes);
  }
  if ('$texts' in value) {
    const ref = value as TextRef;
    const offsets = arrayAt(ref.$texts, bytes) as Int32Array;
    const column: TextColumn = {
      length: offsets.length - 1,
      at(i) {
        if (i < 0 || i >= offsets.length - 1 || offsets[i] < 0) return undefined;
        const next = offsets[i + 1];
        const end = next < 0 ? ~next : next;
        if (end < offsets[i] || end > ref.bytes) throw new Error('the index snapshot is damaged (a text out of bounds)');
        return readText(ref.at + offsets[i], end - offsets[i]);
      },
    };
    return column;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = revive(v, bytes, readText);
  return out;
}

function arrayAt(ref: ArrayRef, bytes: Buffer): ArrayBufferView {
  const Type = ARRAY_TYPES[ref.$array];
  if (!Type) throw new Error(`unknown array type ${ref.$array}`);
  const start = bytes.byteOffset + ref.at;
  const byteLength = ref.length * Type.BYTES_PER_ELEMENT;
  if (ref.at + byteLength > bytes.length) throw new Error('it ends inside its arrays');
  // A view, not a copy: aligned, as the writer placed every array at a multiple of 8 (a buffer that is not gets copied).
  const buffer = bytes.buffer as ArrayBuffer;
  if (start % Type.BYTES_PER_ELEMENT === 0) return new Type(buffer, start, ref.length);
  return new Type(buffer.slice(start, start + byteLength));
}
