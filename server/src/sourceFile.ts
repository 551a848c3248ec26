/**
 * Reading one corpus file into a packed source: stat, size and type checks,
 * read, parse, pack. Synchronous, because it runs in a parsing worker (where
 * blocking costs nothing) or for the one file that just changed.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import type { CatalogEntry } from './core/sources/catalog';
import { MAX_SOURCE_BYTES, parseSource } from './core/sources/parseSource';
import { packSource, spansOfPacked, type PackedSource } from './core/index/storedSource';
import { figureCandidates } from './core/index/completionIndex';
import { sentenceNumberWindows } from './core/index/figureIndex';
import type { SourceHints } from './core/index/corpusIndex';

/** What a file looked like when it was read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** What else the parse depended on (the file's catalog entry), as a string. */
  context: string;
}

/** One file to read. */
export interface FileJob {
  file: string;
  id: string;
  relativePath: string;
  /** The file's catalog entry, if its folder's catalog has one. */
  catalogEntry?: CatalogEntry;
}

/** A file read: its stamp (unless it could not be read), its source (unless skipped) and its problems, one line each. */
export interface FileParse {
  stamp?: FileStamp;
  source?: PackedSource;
  problems: string[];
  /** What the index reads from a source as it adds it, read here with the parse (in a worker, off the main thread). */
  hints?: SourceHints;
}

/** The part of a stamp that comes from the catalog. */
export function catalogContext(entry: CatalogEntry | undefined): string {
  return JSON.stringify(entry ?? null);
}

/**
 * Opened without waiting: opening a pipe named like an article for reading
 * would otherwise block until something writes to it (it is then skipped as
 * not a regular file). No effect on regular files, nor where there is no such flag.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Reads, parses and packs one corpus file. Never throws: an unreadable file is a problem line. */
export function readSourceFile(job: FileJob): FileParse {
  const { file, relativePath } = job;
  let fd: number | undefined;
  try {
    // Opened once, then stat-ed and read through the descriptor: the path is looked up once, not twice.
    fd = openSync(file, OPEN_FLAGS);
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      // A pipe, socket or device named like an article: reading it could block forever.
      return { problems: [`${relativePath}: skipped, it is not a regular file`] };
    }
    const stamp: FileStamp = { size: stat.size, mtimeMs: stat.mtimeMs, context: catalogContext(job.catalogEntry) };
    if (stat.size > MAX_SOURCE_BYTES) {
      // Checked before reading: a huge file is never loaded into memory.
      return { stamp, problems: [`${relativePath}: skipped, ${(stat.size / 1024 / 1024).toFixed(1)} MB is over the 5 MB limit for a source`] };
    }
    const catalog = new Map(job.catalogEntry ? [[relativePath, job.catalogEntry]] : []);
    const { source, problems } = parseSource({ id: job.id, relativePath, bytes: readFileSync(fd) }, catalog);
    const packed = source && packSource(source);
    let hints: SourceHints | undefined;
    if (packed) {
      const spans = spansOfPacked(packed);
      hints = {
        figureCandidates: figureCandidates(packed.text, packed.bodyStart, spans),
        numberWindows: sentenceNumberWindows(packed.text, spans.body, spans.sentencesAt, spans.sentenceCount),
      };
    }
    return { stamp, source: packed, problems: problems.map((p) => p.message), hints };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    return { problems: [`${relativePath}: skipped, it cannot be read (${reason})`] };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
