/**
 * The corpus on disk: walks the corpus folders, reads files (never writes),
 * reads catalogs (`sources.json` / `sources.yaml`), and feeds the core index.
 * Every problem (missing folder, unreadable file, symlink loop, bad catalog)
 * becomes a message; none stops the rest from being indexed.
 */
import { mkdirSync, promises as fs, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Cancellation, Logger } from './core/types';
import { CorpusIndex } from './core/index/corpusIndex';
import type { FileRecord, IndexCache, StoredCorpus } from './indexCache';
import { isSourceFileName } from './core/sources/parseSource';
import { CATALOG_NAMES, parseCatalog, type Catalog, type CatalogEntry } from './core/sources/catalog';
import { catalogContext, readSourceFile, type FileJob, type FileParse, type FileStamp } from './sourceFile';
import { ParsePool } from './parsePool';
import { TextSpool } from './textSpool';
import { inTurns, nextTurn, TimeSlice } from './turns';

export { CATALOG_NAMES };

export interface LoadReport {
  indexed: number;
  /** One line per file or folder that was skipped or read with a warning. */
  problems: string[];
  missingFolders: string[];
  /** Files whose index entries came from the snapshot of an earlier start, unread. */
  restored: number;
  /** Files read and parsed. */
  read: number;
}

/** Files per batch sent to a parsing worker. */
const BATCH = 32;
/**
 * Files in the first batches: a worker parses its first files with code not yet compiled, and the main thread waits
 * for them with nothing else to do; smaller first batches give it work sooner.
 */
const FIRST_BATCHES = [4, 8, 16];
/** Batches out at the workers at once: enough to keep them busy while the main thread indexes. */
const WINDOW = 8;
/** Fewer files than this to read (a warm start with a few changes) are read on the main thread: a worker costs more to start. */
const POOL_THRESHOLD = 64;
/** After a change to the corpus, the snapshot is rewritten this long after the last change. */
const SNAPSHOT_DELAY_MS = 10_000;
/** File names in walk order: `localeCompare`'s order (the default collation), with the collator made once rather than per comparison. */
const FILE_NAME_ORDER = new Intl.Collator();

export class DiskCorpus {
  private roots: string[] = [];
  private catalogs = new Map<string, Catalog>();
  /** What was read of each corpus file (its stamp and problems), by path: the snapshot's file table. */
  private files = new Map<string, FileRecord>();
  /** Problems by file path, so a fixed file clears its own. */
  private fileProblems = new Map<string, string[]>();
  private folderProblems: string[] = [];
  /** A broken catalog's message, by corpus folder (cleared when the catalog is fixed). */
  private catalogProblems = new Map<string, string>();
  missingFolders: string[] = [];
  /** Every change to the index, and every snapshot write, runs after the one before: a snapshot is written from the index's own arrays. */
  private queue: Promise<unknown> = Promise.resolve();
  private snapshotTimer?: NodeJS.Timeout;
  /** Where the texts of the sources the last load read in workers are kept (see `textSpool`). */
  private spool?: TextSpool;

  constructor(
    readonly index: CorpusIndex,
    private readonly logger: Logger,
    /** The index snapshot of an earlier start: a warm start restores it and reads only the files that changed. */
    private readonly cache?: IndexCache,
    /** How long indexing holds the thread before requests are answered (see `turns.ts`; tests use 0: after every step). */
    private readonly options: { sliceMs?: number } = {},
  ) {}

  get folders(): readonly string[] {
    return this.roots;
  }

  /** All current problems, one line each. */
  problems(): string[] {
    return [...this.folderProblems, ...this.catalogProblems.values(), ...[...this.fileProblems.values()].flat()];
  }

  /** True when `file` lies under one of the corpus folders: such files are sources, never drafts. */
  contains(file: string): boolean {
    const resolved = path.resolve(file);
    return this.roots.some((root) => resolved === root || resolved.startsWith(root + path.sep));
  }

  /** Settles when every change and snapshot write asked for so far is done (the benchmark and tests wait on it). */
  async idle(): Promise<void> {
    if (this.snapshotTimer) {
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = undefined;
      void this.exclusive(() => this.writeSnapshot());
    }
    await this.queue;
  }

  /**
   * Builds the index from the given folders: from the snapshot of an earlier
   * start where files are unchanged, by reading (in worker threads) the rest.
   * Yields between batches, reports progress, and stops early (leaving what
   * was read) when `token` is cancelled. A snapshot is written afterwards, in
   * the background, when anything was read. `fresh` reads every file, snapshot or not.
   */
  load(folders: string[], token: Cancellation, onProgress?: (done: number, total: number) => void, options: { fresh?: boolean } = {}): Promise<LoadReport> {
    return this.exclusive(() => this.loadNow(folders, token, onProgress, options.fresh ?? false));
  }

  private async loadNow(folders: string[], token: Cancellation, onProgress: ((done: number, total: number) => void) | undefined, fresh: boolean): Promise<LoadReport> {
    this.roots = [...new Set(folders.map((f) => path.resolve(f)))];
    this.catalogs.clear();
    this.catalogProblems.clear();
    this.fileProblems.clear();
    this.files.clear();
    this.folderProblems = [];
    this.missingFolders = [];
    this.index.clear();
    // The snapshot is read (in the background) while the folders are walked.
    const snapshot = this.roots.length && !fresh ? this.cache?.read(this.roots) : undefined;
    let noSnapshot = false;
    void snapshot?.then((stored) => (noSnapshot = stored === undefined));
    // When every file will be read (no snapshot, or a fresh build) and the walk has found enough of them for workers,
    // the workers start while the rest is walked rather than after: one takes a few hundred ms to answer first.
    let earlyPool: ParsePool | undefined;
    const walked = (count: number) => {
      if (earlyPool || count < POOL_THRESHOLD || !(fresh || noSnapshot || !this.cache) || token.isCancellationRequested) return;
      earlyPool = new ParsePool(this.logger);
    };
    const found: Array<{ root: string; file: string }> = [];
    for (const root of this.roots) {
      let stat;
      try {
        stat = await fs.stat(root);
      } catch {
        this.missingFolders.push(root);
        this.folderProblems.push(`Corpus folder ${root} does not exist; create it or change corroborate.corpus.paths.`);
        continue;
      }
      if (!stat.isDirectory()) {
        this.folderProblems.push(`Corpus path ${root} is not a folder.`);
        continue;
      }
      await this.readCatalog(root);
      for (const file of await this.walk(root, this.folderProblems, root, (count) => walked(found.length + count))) found.push({ root, file });
    }
    // The files' stamps are read while the snapshot is still being read (unless there turned out to be none).
    const stats = snapshot && !noSnapshot && !token.isCancellationRequested ? await this.statAll(found) : undefined;
    const stored = token.isCancellationRequested ? undefined : await snapshot;
    const toRead = stored ? await this.restore(stored, found, stats ?? (await this.statAll(found))) : found;
    const restored = found.length - toRead.length;
    onProgress?.(restored, found.length);
    const earlierSpool = this.spool;
    this.spool = undefined;
    const read = await this.readAll(toRead, token, (done) => onProgress?.(restored + done, found.length), earlyPool);
    // The sources of the earlier load are gone from the index now, and any request that read them has been answered.
    earlierSpool?.close();
    if (!token.isCancellationRequested) {
      // Not awaited: the index answers now. Behind it, and before any later change, the parts do the work they
      // deferred (so the first completion does not pay for it), then the snapshot is written.
      void this.exclusive(async () => {
        // A part at a time, with requests answered before each.
        await nextTurn();
        await inTurns(this.index.prepareSteps());
      });
      // Restored sources' texts are read ahead, in slices, so the first hovers and completions do not each wait for a few.
      if (restored > 0) void this.exclusive(() => this.readTextsAhead(token));
      if (this.cache && (read > 0 || !stored || this.files.size !== stored.files.size)) void this.exclusive(() => this.writeSnapshot());
    }
    for (const line of this.problems()) this.logger.warn(line);
    return { indexed: this.index.size, problems: this.problems(), missingFolders: this.missingFolders, restored, read };
  }

  /**
   * Restores the snapshot, then drops what changed since it was written:
   * returns the files to read again (new, changed, or with a changed catalog
   * entry). A snapshot that does not fit is logged and everything is read.
   */
  private async restore(stored: StoredCorpus, found: Array<{ root: string; file: string }>, stats: Array<FileStat | undefined>): Promise<Array<{ root: string; file: string }>> {
    try {
      await inTurns(this.index.restoreSteps(stored.index));
    } catch (e) {
      this.logger.warn(`The index snapshot does not fit this corpus and is ignored (${e instanceof Error ? e.message : e}); reading every file.`);
      this.index.clear();
      return found;
    }
    const toRead: Array<{ root: string; file: string }> = [];
    const present = new Set<string>();
    const slice = new TimeSlice(this.options.sliceMs);
    for (let i = 0; i < found.length; i++) {
      if (slice.due()) await slice.turn();
      const entry = found[i];
      present.add(entry.file);
      const record = stored.files.get(entry.file);
      const stat = stats[i];
      const unchanged =
        record && stat && record.size === stat.size && record.mtimeMs === stat.mtimeMs && record.context === catalogContext(this.catalogEntry(entry.root, relativeTo(entry.root, entry.file)));
      if (!unchanged) {
        toRead.push(entry);
        continue;
      }
      this.files.set(entry.file, record);
      if (record.problems.length) this.fileProblems.set(entry.file, record.problems);
    }
    for (const file of stored.files.keys()) {
      if (present.has(file)) continue;
      this.index.remove(idOf(file));
      if (slice.due()) await slice.turn();
    }
    return toRead;
  }

  /**
   * The size and mtime of each file (none for a file gone or not a regular file). Stat-ed on this thread, in slices
   * between which requests are answered: a promise per file cost more than the stat.
   */
  private async statAll(found: Array<{ root: string; file: string }>): Promise<Array<FileStat | undefined>> {
    const stats = new Array<FileStat | undefined>(found.length);
    const slice = new TimeSlice(this.options.sliceMs);
    for (let i = 0; i < found.length; i++) {
      try {
        const st = statSync(found[i].file);
        stats[i] = st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
      } catch {
        stats[i] = undefined;
      }
      if (slice.due()) await slice.turn();
    }
    return stats;
  }

  /** Reads the text of every source now, in slices between which requests are answered (see `StoredSource.text`). */
  private async readTextsAhead(token: Cancellation): Promise<void> {
    const slice = new TimeSlice(this.options.sliceMs);
    for (const source of this.index.all()) {
      if (token.isCancellationRequested) return;
      void source.text;
      if (slice.due()) await slice.turn();
    }
  }

  /** Reads and indexes files, in order (so citation keys do not depend on timing), in workers when there are many. */
  private async readAll(files: Array<{ root: string; file: string }>, token: Cancellation, onProgress: (done: number) => void, started?: ParsePool): Promise<number> {
    const pool = files.length >= POOL_THRESHOLD ? (started ?? new ParsePool(this.logger)) : undefined;
    // A pool started early for what turned out to be few files is not needed.
    if (started && !pool) await started.close();
    if (files.length === 0) return 0;
    // Many files: their texts go to a scratch file once indexed, so the heap does not hold them all (see textSpool.ts).
    const spool = pool ? this.textSpool() : undefined;
    // A batch's jobs are made as it is sent, not all before the first: for 9,000 files, making them (paths, ids) took
    // 120 ms that the workers spent waiting.
    const batches: FileJob[][] = [];
    // Where each batch begins in `files` (and where the last ends).
    const starts = [0];
    for (let b = 0; starts[b] < files.length; b++) starts.push(Math.min(files.length, starts[b] + (FIRST_BATCHES[b] ?? BATCH)));
    const batchCount = starts.length - 1;
    const inFlight: Array<Promise<FileParse[]>> = [];
    const send = (b: number) => {
      if (b >= batchCount) return;
      batches[b] = files.slice(starts[b], starts[b + 1]).map(({ root, file }) => this.jobFor(root, file));
      if (pool) inFlight.push(pool.parse(batches[b]));
    };
    let done = 0;
    // Requests are answered whenever indexing has held the thread for a slice's time, not only between batches: a
    // batch of 32 long files (State of the Union addresses, 2 MB) held it for up to 230 ms.
    const slice = new TimeSlice(this.options.sliceMs);
    try {
      for (let b = 0; b < Math.min(WINDOW, batchCount); b++) send(b);
      // While the workers parse the first batch (they take a few hundred ms to answer first), the index makes its tables.
      if (pool) await inTurns(this.index.readySteps());
      for (let b = 0; b < batchCount && !token.isCancellationRequested; b++) {
        // Without workers, each file is read here as it is taken (so a slice ends after any file).
        const parsed = pool ? await inFlight.shift()! : undefined;
        send(b + WINDOW);
        const jobs = batches[b];
        batches[b] = [];
        for (let k = 0; k < jobs.length && !token.isCancellationRequested; k++) {
          this.take(jobs[k], parsed ? parsed[k] : readSourceFile(jobs[k]), spool);
          done++;
          if (slice.due()) {
            onProgress(done);
            await slice.turn();
          }
        }
        onProgress(done);
      }
    } finally {
      await pool?.close();
    }
    return done;
  }

  /** A new text spool in the cache folder (or the system's temporary one), or none, with a log line, when none can be made. */
  private textSpool(): TextSpool | undefined {
    const dir = this.cache?.dir ?? os.tmpdir();
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      // open() below says why.
    }
    const spool = TextSpool.open(dir);
    if ('problem' in spool) {
      this.logger.warn(`Cannot make a scratch file for source texts in ${dir} (${spool.problem}); the texts are kept in memory.`);
      return undefined;
    }
    this.spool = spool;
    return spool;
  }

  /** Puts what was read of one file into the index and the file table; with a spool, the source's text then goes there. */
  private take(job: FileJob, result: FileParse, spool?: TextSpool): void {
    this.fileProblems.delete(job.file);
    if (result.problems.length) this.fileProblems.set(job.file, result.problems);
    if (result.stamp) this.files.set(job.file, { file: job.file, ...result.stamp, problems: result.problems });
    else this.files.delete(job.file);
    if (result.source) {
      const source = this.index.upsert(result.source, result.hints);
      const reader = spool?.keep(result.source.text, result.source.fileText);
      if (reader) source.leaveText(reader);
      const problem = spool?.takeProblem();
      if (problem) this.logger.warn(`Cannot keep source texts in a scratch file (${problem}); the rest stay in memory.`);
    } else this.index.remove(job.id);
  }

  private jobFor(root: string, file: string): FileJob {
    const relativePath = relativeTo(root, file);
    return { file, id: idOf(file), relativePath, catalogEntry: this.catalogEntry(root, relativePath) };
  }

  /** The catalog entry of the file at `relativePath` under `root` (by its path, or else its name). */
  private catalogEntry(root: string, relativePath: string): CatalogEntry | undefined {
    const catalog = this.catalogs.get(root);
    return catalog?.get(relativePath) ?? catalog?.get(relativePath.slice(relativePath.lastIndexOf('/') + 1));
  }

  /** Writes the index snapshot (run through the queue, so the index does not change meanwhile). */
  private async writeSnapshot(): Promise<void> {
    if (!this.cache || this.roots.length === 0) return;
    let snapshot;
    try {
      // This runs in the queue: the index does not change between the steps.
      snapshot = await inTurns(this.index.snapshotSteps());
    } catch (e) {
      this.logger.warn(`Cannot take a snapshot of the index (${e instanceof Error ? e.message : e}); the next start will be a cold one.`);
      return;
    }
    await this.cache.write(this.roots, [...this.files.values()], snapshot, new TimeSlice(this.options.sliceMs));
  }

  /** A change was made to the index: the snapshot is rewritten once the corpus has been quiet for a while. */
  private snapshotLater(): void {
    if (!this.cache) return;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      void this.exclusive(() => this.writeSnapshot());
    }, SNAPSHOT_DELAY_MS);
    this.snapshotTimer.unref();
  }

  /** Runs `task` after every task queued before it. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A file under a corpus folder was created or changed: re-read just it (or, for a catalog, its folder's sources). */
  changed(file: string): Promise<void> {
    return this.exclusive(async () => {
      await this.changedNow(file);
      this.snapshotLater();
    });
  }

  private async changedNow(file: string): Promise<void> {
    const resolved = path.resolve(file);
    const root = this.rootOf(resolved);
    if (!root) return;
    if (CATALOG_NAMES.includes(path.basename(resolved)) && path.dirname(resolved) === root) {
      await this.readCatalog(root);
      for (const f of await this.walk(root)) this.readOne(root, f);
      return;
    }
    let stat;
    try {
      stat = await fs.stat(resolved);
    } catch {
      stat = undefined; // gone again, or a broken link: readOne reports it if it is a source
    }
    if (stat?.isDirectory()) {
      // A folder was created or moved in: read the sources in it.
      const problems: string[] = [];
      for (const f of await this.walk(root, problems, resolved)) this.readOne(root, f);
      for (const line of problems) this.logger.warn(line);
      return;
    }
    if (!isSourceFileName(resolved)) return;
    this.readOne(root, resolved);
    for (const line of this.fileProblems.get(resolved) ?? []) this.logger.warn(line);
  }

  /** A file or folder under a corpus folder was deleted. */
  deleted(file: string): Promise<void> {
    return this.exclusive(async () => {
      await this.deletedNow(file);
      this.snapshotLater();
    });
  }

  private async deletedNow(file: string): Promise<void> {
    const resolved = path.resolve(file);
    const root = this.rootOf(resolved);
    if (!root) return;
    if (CATALOG_NAMES.includes(path.basename(resolved)) && path.dirname(resolved) === root) {
      this.catalogs.delete(root);
      this.catalogProblems.delete(root);
      for (const f of await this.walk(root)) this.readOne(root, f);
      return;
    }
    const prefix = pathToFileURL(resolved).href;
    for (const source of [...this.index.all()]) {
      if (source.id === prefix || source.id.startsWith(prefix + '/')) this.index.remove(source.id);
    }
    for (const key of [...this.fileProblems.keys()]) if (key === resolved || key.startsWith(resolved + path.sep)) this.fileProblems.delete(key);
    for (const key of [...this.files.keys()]) if (key === resolved || key.startsWith(resolved + path.sep)) this.files.delete(key);
  }

  private rootOf(resolved: string): string | undefined {
    return this.roots.find((root) => resolved.startsWith(root + path.sep));
  }

  /** Reads one file on this thread (a changed file: a worker would cost more than the parse). */
  private readOne(root: string, file: string): void {
    const job = this.jobFor(root, file);
    this.take(job, readSourceFile(job));
  }

  /**
   * Source files under `root`, following symbolic links. A link to a folder
   * above it (a loop) or to a folder already read is reported and not
   * followed; a file reached twice through links is listed once.
   */
  private async walk(root: string, problems: string[] = [], from = root, progress?: (found: number) => void): Promise<string[]> {
    const out: string[] = [];
    const seen = new Set<string>();
    const seenFiles = new Set<string>();
    const shown = (p: string) => path.relative(root, p) || p;
    const slice = new TimeSlice(this.options.sliceMs);
    const visit = async (dir: string, ancestors: string[]): Promise<void> => {
      let real: string;
      try {
        real = await fs.realpath(dir);
      } catch (e) {
        problems.push(`${shown(dir)}: skipped, the folder cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
        return;
      }
      if (ancestors.includes(real)) {
        problems.push(`${shown(dir)}: skipped, a symbolic link loop (it points back to a folder above it)`);
        return;
      }
      if (seen.has(real)) {
        problems.push(`${shown(dir)}: skipped, a symbolic link to a folder already read`);
        return;
      }
      seen.add(real);
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        problems.push(`${shown(dir)}: skipped, the folder cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
        return;
      }
      entries.sort((a, b) => FILE_NAME_ORDER.compare(a.name, b.name));
      for (const entry of entries) {
        if (slice.due()) await slice.turn();
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const st = await fs.stat(full);
            isDir = st.isDirectory();
            isFile = st.isFile();
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            problems.push(
              code === 'ELOOP'
                ? `${shown(full)}: skipped, a symbolic link loop (it points back to itself)`
                : `${shown(full)}: skipped, a broken symbolic link (${code ?? e})`,
            );
            continue;
          }
        }
        if (!isDir && !isFile && isSourceFileName(entry.name)) {
          problems.push(`${shown(full)}: skipped, it is not a regular file`);
          continue;
        }
        if (isDir) await visit(full, [...ancestors, real]);
        else if (isFile && isSourceFileName(entry.name) && !(dir === root && CATALOG_NAMES.includes(entry.name))) {
          const realFile = entry.isSymbolicLink() ? await fs.realpath(full).catch(() => full) : path.join(real, entry.name);
          if (seenFiles.has(realFile)) continue;
          seenFiles.add(realFile);
          out.push(full);
        }
      }
      progress?.(out.length);
    };
    // The folders above the corpus count as ancestors too: a link to the workspace from inside the corpus is a loop.
    const above: string[] = [];
    let realFrom = await fs.realpath(from).catch(() => from);
    for (let d = path.dirname(realFrom); d !== realFrom; realFrom = d, d = path.dirname(d)) above.push(d);
    await visit(from, above);
    return out;
  }

  private async readCatalog(root: string): Promise<void> {
    this.catalogs.delete(root);
    this.catalogProblems.delete(root);
    for (const name of CATALOG_NAMES) {
      const file = path.join(root, name);
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        this.catalogProblems.set(root, `${name} in ${root}: ignored, it cannot be read (${code ?? e})`);
        return;
      }
      const { catalog, problem } = parseCatalog(text, name);
      this.catalogs.set(root, catalog);
      if (problem) this.catalogProblems.set(root, `${problem} [${root}]`);
      return;
    }
  }
}

/** A file's path under a corpus folder, with `/` separators (as catalogs and sources name it). */
function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** What a warm start compares with the snapshot's file table. */
type FileStat = Pick<FileStamp, 'size' | 'mtimeMs'>;

/** A corpus file's source id: its file URI. */
function idOf(file: string): string {
  return pathToFileURL(file).href;
}
