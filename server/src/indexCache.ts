/**
 * The on-disk cache of parsed sources, for warm starts. Parsing (decoding,
 * front matter, sentences, quotations, names) is most of a cold build; a
 * restart with an unchanged corpus reads the parsed sources back instead.
 *
 * The cache lives outside the corpus and the package (under the OS cache
 * folder unless the host says otherwise), one file per set of corpus folders.
 * An entry is used only when the file's path, size and mtime match and the
 * code that parsed it is the same build; a corrupt, old or foreign cache is
 * ignored with a log line and rewritten.
 */
import { promises as fs, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Logger, NameMention, Sentence, SourceProblem, SourceQuote, Span } from './core/types';
import type { ParsedSource } from './core/sources/parseSource';

/** Bump when the stored layout changes. */
const FORMAT = 2;

/** What a file looked like when it was parsed. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** Anything else the parse depended on (the file's catalog entry), as a string. */
  context?: string;
}

/** One cached file: a parsed source (or none, when the file was skipped) and its problems. */
export interface CachedParse {
  source?: ParsedSource;
  problems: SourceProblem[];
}

/** A source as stored: spans packed into typed arrays, which (de)serialize far faster than objects. */
interface StoredSource {
  base: Omit<ParsedSource, 'paragraphs' | 'sentences' | 'quotes' | 'names' | 'fileOffsetAt'>;
  paragraphs: Int32Array;
  sentences: Int32Array;
  quotes: Int32Array;
  speakers: Array<string | undefined>;
  names: Int32Array;
  nameTexts: string[];
}

/** An entry's stamp, kept beside its (still encoded) parse so a lookup can reject it without decoding. */
interface EntryHead {
  file: string;
  size: number;
  mtimeMs: number;
  context?: string;
}

interface StoredParse {
  source?: StoredSource;
  problems: SourceProblem[];
}

/** An entry: its stamp and its parse, encoded (as read from the cache file) or not (as just stored). */
interface Entry {
  head: EntryHead;
  encoded?: Buffer;
  parse?: StoredParse;
}

interface CacheHeader {
  format: number;
  codeVersion: string;
  roots: string[];
}

/** The cache file starts with this, then length-prefixed records: a header, then per file a stamp and a parse. */
const MAGIC = Buffer.from('CRBIDX1\n');

const NAME_KINDS: NameMention['kind'][] = ['person', 'organisation', 'place', 'other'];

/** Size of the blocks the cache file is written in. */
const BLOCK_BYTES = 1 << 20;

/** Files encoded between yields to the event loop while saving, so requests are still answered. */
const SAVE_SLICE = 256;

/** The folder for Corroborate's caches: `$XDG_CACHE_HOME`, `~/Library/Caches` or `%LOCALAPPDATA%`, under `corroborate/`. */
export function defaultCacheDir(): string {
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'corroborate');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return path.join(process.env.LOCALAPPDATA, 'corroborate', 'cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'corroborate');
  return path.join(os.homedir(), '.cache', 'corroborate');
}

/**
 * The cache a host uses by default: under the OS cache folder, or the folder
 * named by `CORROBORATE_INDEX_CACHE`; none when that variable is `off`.
 * Entries are tied to the running build (the size and mtime of the bundle
 * this code runs from), so a new version of Corroborate never reads an old
 * parse.
 */
export function hostIndexCache(logger: Logger): IndexCache | undefined {
  const setting = process.env.CORROBORATE_INDEX_CACHE;
  if (setting === 'off') return undefined;
  let build = 'unknown-build';
  try {
    const stat = statSync(__filename);
    build = `${stat.size}-${Math.round(stat.mtimeMs)}`;
  } catch {
    // Without a stamp of the build, entries are still tied to the format.
  }
  return new IndexCache(setting || defaultCacheDir(), build, logger);
}

/**
 * Parsed sources by file path, read from and written to one cache file per
 * set of corpus folders. `open` reads the file but decodes nothing: each
 * file's parse is decoded when it is looked up, so a warm start spreads the
 * work over the indexing batches (which yield) instead of one long pause.
 * `save` writes atomically: a crash leaves the old file or none.
 */
export class IndexCache {
  private entries = new Map<string, Entry>();
  private roots: string[] = [];
  private dirty = false;
  /** Files looked up or stored since `open`: entries of files that are gone are not written back. */
  private touched = new Set<string>();
  hits = 0;
  misses = 0;

  /**
   * @param dir folder for cache files (created on save)
   * @param codeVersion identifies the parser build; entries written by another build are ignored
   */
  constructor(
    readonly dir: string,
    private readonly codeVersion: string,
    private readonly logger: Logger,
  ) {}

  /** The cache file for the current corpus folders. */
  get file(): string {
    const hash = createHash('sha256').update(this.roots.join('\n')).digest('hex').slice(0, 16);
    return path.join(this.dir, `index-${hash}.bin`);
  }

  /** Reads the cache for `roots`; a missing file is an empty cache, a bad one is logged and ignored. */
  async open(roots: string[]): Promise<void> {
    this.roots = [...roots].sort();
    this.entries.clear();
    this.touched.clear();
    this.dirty = false;
    this.hits = this.misses = 0;
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.file);
    } catch {
      return;
    }
    try {
      if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a Corroborate index cache');
      let at = MAGIC.length;
      const record = (): Buffer => {
        if (at + 4 > bytes.length) throw new Error('it ends in the middle of a record');
        const length = bytes.readUInt32LE(at);
        if (at + 4 + length > bytes.length) throw new Error('it ends in the middle of a record');
        const out = bytes.subarray(at + 4, at + 4 + length);
        at += 4 + length;
        return out;
      };
      const header = JSON.parse(record().toString('utf8')) as CacheHeader;
      if (header?.format !== FORMAT || header.codeVersion !== this.codeVersion) {
        this.logger.info(`Index cache ${this.file} was written by another version of Corroborate; rebuilding it.`);
        return;
      }
      if (JSON.stringify(header.roots) !== JSON.stringify(this.roots)) return;
      while (at < bytes.length) {
        const head = JSON.parse(record().toString('utf8')) as EntryHead;
        this.entries.set(head.file, { head, encoded: record() });
      }
    } catch (e) {
      this.logger.warn(`Index cache ${this.file} is unreadable and is ignored (${e instanceof Error ? e.message : e}); it will be rewritten.`);
      this.entries.clear();
    }
  }

  /** The parse of `file` if it was cached with the same size, mtime and context. */
  lookup(file: string, stamp: FileStamp): CachedParse | undefined {
    this.touched.add(file);
    const entry = this.entries.get(file);
    const head = entry?.head;
    if (!entry || !head || head.size !== stamp.size || head.mtimeMs !== stamp.mtimeMs || head.context !== stamp.context) {
      this.misses++;
      return undefined;
    }
    try {
      const stored = entry.parse ?? (deserialize(entry.encoded!) as StoredParse);
      const parsed = { source: stored.source && unpack(stored.source), problems: stored.problems };
      this.hits++;
      return parsed;
    } catch (e) {
      this.logger.warn(`Index cache entry for ${file} is damaged and is ignored (${e instanceof Error ? e.message : e}).`);
      this.entries.delete(file);
      this.dirty = true;
      this.misses++;
      return undefined;
    }
  }

  /** Remembers the parse of `file`. Sources that map offsets with a function (HTML) are not cached: they are parsed again. */
  store(file: string, stamp: FileStamp, parsed: CachedParse): void {
    this.touched.add(file);
    if (parsed.source?.fileOffsetAt) {
      if (this.entries.delete(file)) this.dirty = true;
      return;
    }
    const head: EntryHead = { file, size: stamp.size, mtimeMs: stamp.mtimeMs, context: stamp.context };
    this.entries.set(file, { head, parse: { source: parsed.source && pack(parsed.source), problems: parsed.problems } });
    this.dirty = true;
  }

  /**
   * Writes the cache if anything changed, keeping only the files seen since
   * `open`, then lets go of what it holds in memory. Encodes in slices that
   * yield to the event loop. Failures are logged, never thrown.
   */
  async save(): Promise<void> {
    for (const file of this.entries.keys()) {
      if (!this.touched.has(file)) {
        this.entries.delete(file);
        this.dirty = true;
      }
    }
    if (!this.dirty || this.roots.length === 0) {
      this.entries.clear();
      return;
    }
    const target = this.file;
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      const header: CacheHeader = { format: FORMAT, codeVersion: this.codeVersion, roots: this.roots };
      // Records are gathered into blocks of about a megabyte: one buffer for the whole file would double the
      // memory the cache takes at its peak, and one write per record would take seconds.
      const blocks: Buffer[] = [];
      let pending: Buffer[] = [MAGIC, ...framed(Buffer.from(JSON.stringify(header)))];
      let pendingBytes = 0;
      let count = 0;
      for (const entry of this.entries.values()) {
        const record = [...framed(Buffer.from(JSON.stringify(entry.head))), ...framed(entry.encoded ?? serialize(entry.parse))];
        pending.push(...record);
        pendingBytes += record.reduce((n, b) => n + b.length, 0);
        if (pendingBytes >= BLOCK_BYTES) {
          blocks.push(Buffer.concat(pending));
          pending = [];
          pendingBytes = 0;
        }
        if (++count % SAVE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      blocks.push(Buffer.concat(pending));
      await fs.mkdir(this.dir, { recursive: true });
      await fs.writeFile(temporary, blocks);
      await fs.rename(temporary, target);
      this.dirty = false;
      await this.evictOthers(target);
    } catch (e) {
      this.logger.warn(`Cannot write the index cache ${target} (${e instanceof Error ? e.message : e}); the next start will be a cold one.`);
      await fs.rm(temporary, { force: true }).catch(() => undefined);
    }
    this.entries.clear();
  }

  /** Deletes the least recently written cache files of other corpora beyond `KEEP_FILES`, so the folder does not grow without end. */
  private async evictOthers(keep: string): Promise<void> {
    try {
      const names = (await fs.readdir(this.dir)).filter((n) => /^index-[0-9a-f]+\.bin$/.test(n));
      if (names.length <= KEEP_FILES) return;
      const dated = await Promise.all(names.map(async (n) => ({ file: path.join(this.dir, n), mtime: (await fs.stat(path.join(this.dir, n))).mtimeMs })));
      dated.sort((a, b) => b.mtime - a.mtime);
      for (const { file } of dated.slice(KEEP_FILES)) if (file !== keep) await fs.rm(file, { force: true });
    } catch {
      // Another process may be evicting at the same time; what is left is cleaned up next time.
    }
  }
}

/** How many cache files (one per set of corpus folders) are kept; the least recently written beyond that are deleted. */
const KEEP_FILES = 16;

/** A record: its length (4 bytes, little-endian), then its bytes. */
function framed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bytes.length);
  return [length, bytes];
}

function pack(source: ParsedSource): StoredSource {
  const { paragraphs, sentences, quotes, names, fileOffsetAt: _unused, ...base } = source;
  const spans = (list: Span[]) => {
    const out = new Int32Array(list.length * 2);
    list.forEach((s, i) => ((out[2 * i] = s.start), (out[2 * i + 1] = s.end)));
    return out;
  };
  const packedSentences = new Int32Array(sentences.length * 3);
  sentences.forEach((s, i) => ((packedSentences[3 * i] = s.start), (packedSentences[3 * i + 1] = s.end), (packedSentences[3 * i + 2] = s.paragraph)));
  const packedNames = new Int32Array(names.length * 3);
  names.forEach((n, i) => ((packedNames[3 * i] = n.start), (packedNames[3 * i + 1] = n.end), (packedNames[3 * i + 2] = NAME_KINDS.indexOf(n.kind))));
  return {
    base,
    paragraphs: spans(paragraphs),
    sentences: packedSentences,
    quotes: spans(quotes),
    speakers: quotes.map((q) => q.speaker),
    names: packedNames,
    // A name's text usually is the text at its span; store it only when it is not.
    nameTexts: names.map((n) => (source.text.slice(n.start, n.end) === n.text ? '' : n.text)),
  };
}

function unpack(stored: StoredSource): ParsedSource {
  const { base } = stored;
  const paragraphs: Span[] = [];
  for (let i = 0; i < stored.paragraphs.length; i += 2) paragraphs.push({ start: stored.paragraphs[i], end: stored.paragraphs[i + 1] });
  const sentences: Sentence[] = [];
  for (let i = 0; i < stored.sentences.length; i += 3) sentences.push({ start: stored.sentences[i], end: stored.sentences[i + 1], paragraph: stored.sentences[i + 2] });
  const quotes: SourceQuote[] = [];
  for (let i = 0; i < stored.quotes.length; i += 2) {
    const quote: SourceQuote = { start: stored.quotes[i], end: stored.quotes[i + 1] };
    const speaker = stored.speakers[i / 2];
    if (speaker !== undefined) quote.speaker = speaker;
    quotes.push(quote);
  }
  const names: NameMention[] = [];
  for (let i = 0; i < stored.names.length; i += 3) {
    const start = stored.names[i];
    const end = stored.names[i + 1];
    names.push({ start, end, kind: NAME_KINDS[stored.names[i + 2]] ?? 'other', text: stored.nameTexts[i / 3] || base.text.slice(start, end) });
  }
  return { ...base, paragraphs, sentences, quotes, names };
}
