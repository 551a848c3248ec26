/**
 * The corpus on disk: walks the corpus folders, reads files (never writes),
 * reads catalogs (`sources.json` / `sources.yaml`), and feeds the core index.
 * Every problem (missing folder, unreadable file, symlink loop, bad catalog)
 * becomes a message; none stops the rest from being indexed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Cancellation, Logger } from './core/types';
import { CorpusIndex } from './core/index/corpusIndex';
import type { IndexCache } from './indexCache';
import { isSourceFileName, MAX_SOURCE_BYTES, parseSource } from './core/sources/parseSource';
import { CATALOG_NAMES, parseCatalog, type Catalog } from './core/sources/catalog';

export { CATALOG_NAMES };

export interface LoadReport {
  indexed: number;
  /** One line per file or folder that was skipped or read with a warning. */
  problems: string[];
  missingFolders: string[];
}

/** How many files are read and parsed between yields to the event loop, so requests are answered while indexing. */
const BATCH = 16;

export class DiskCorpus {
  private roots: string[] = [];
  private catalogs = new Map<string, Catalog>();
  /** Problems by file path, so a fixed file clears its own. */
  private fileProblems = new Map<string, string[]>();
  private folderProblems: string[] = [];
  /** A broken catalog's message, by corpus folder (cleared when the catalog is fixed). */
  private catalogProblems = new Map<string, string>();
  missingFolders: string[] = [];

  constructor(
    readonly index: CorpusIndex,
    private readonly logger: Logger,
    /** Parsed sources from an earlier start, reused for files whose size and mtime are unchanged. */
    private readonly cache?: IndexCache,
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

  /**
   * Rebuilds the index from the given folders. Yields between batches and
   * stops early (leaving what was read) when `token` is cancelled.
   */
  async load(folders: string[], token: Cancellation, onProgress?: (done: number, total: number) => void): Promise<LoadReport> {
    this.roots = [...new Set(folders.map((f) => path.resolve(f)))];
    this.catalogs.clear();
    this.catalogProblems.clear();
    this.fileProblems.clear();
    this.folderProblems = [];
    this.missingFolders = [];
    this.index.clear();
    const files: Array<{ root: string; file: string }> = [];
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
      for (const file of await this.walk(root, this.folderProblems)) files.push({ root, file });
    }
    await this.cache?.open(this.roots);
    let done = 0;
    for (let i = 0; i < files.length; i += BATCH) {
      if (token.isCancellationRequested) break;
      await Promise.all(files.slice(i, i + BATCH).map(({ root, file }) => this.readOne(root, file)));
      done = Math.min(files.length, i + BATCH);
      onProgress?.(done, files.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.cache && !token.isCancellationRequested) await this.cache.save();
    for (const line of this.problems()) this.logger.warn(line);
    return { indexed: this.index.size, problems: this.problems(), missingFolders: this.missingFolders };
  }

  /** A file under a corpus folder was created or changed: re-read just it (or, for a catalog, its folder's sources). */
  async changed(file: string): Promise<void> {
    const resolved = path.resolve(file);
    const root = this.rootOf(resolved);
    if (!root) return;
    if (CATALOG_NAMES.includes(path.basename(resolved)) && path.dirname(resolved) === root) {
      await this.readCatalog(root);
      for (const f of await this.walk(root)) await this.readOne(root, f);
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
      for (const f of await this.walk(root, problems, resolved)) await this.readOne(root, f);
      for (const line of problems) this.logger.warn(line);
      return;
    }
    if (!isSourceFileName(resolved)) return;
    await this.readOne(root, resolved);
    for (const line of this.fileProblems.get(resolved) ?? []) this.logger.warn(line);
  }

  /** A file or folder under a corpus folder was deleted. */
  async deleted(file: string): Promise<void> {
    const resolved = path.resolve(file);
    const root = this.rootOf(resolved);
    if (!root) return;
    if (CATALOG_NAMES.includes(path.basename(resolved)) && path.dirname(resolved) === root) {
      this.catalogs.delete(root);
      this.catalogProblems.delete(root);
      for (const f of await this.walk(root)) await this.readOne(root, f);
      return;
    }
    const prefix = pathToFileURL(resolved).href;
    for (const source of [...this.index.all()]) {
      if (source.id === prefix || source.id.startsWith(prefix + '/')) this.index.remove(source.id);
    }
    for (const key of [...this.fileProblems.keys()]) if (key === resolved || key.startsWith(resolved + path.sep)) this.fileProblems.delete(key);
  }

  private rootOf(resolved: string): string | undefined {
    return this.roots.find((root) => resolved.startsWith(root + path.sep));
  }

  private async readOne(root: string, file: string): Promise<void> {
    const relativePath = path.relative(root, file).split(path.sep).join('/');
    const id = pathToFileURL(file).href;
    this.fileProblems.delete(file);
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) {
        // A pipe, socket or device named like an article: reading it could block forever.
        this.fileProblems.set(file, [`${relativePath}: skipped, it is not a regular file`]);
        this.index.remove(id);
        return;
      }
      if (stat.size > MAX_SOURCE_BYTES) {
        // Checked before reading: a huge file is never loaded into memory.
        const mb = (stat.size / 1024 / 1024).toFixed(1);
        this.fileProblems.set(file, [`${relativePath}: skipped, ${mb} MB is over the 5 MB limit for a source`]);
        this.index.remove(id);
        return;
      }
      // The catalog entry is part of the stamp: editing the catalog re-parses the files it describes.
      const catalog = this.catalogs.get(root);
      const stamp = { size: stat.size, mtimeMs: stat.mtimeMs, context: JSON.stringify(catalog?.get(relativePath) ?? catalog?.get(path.basename(file)) ?? null) };
      const cached = this.cache?.lookup(file, stamp);
      const { source, problems } = cached ?? parseSource({ id, relativePath, bytes: await fs.readFile(file) }, catalog);
      if (!cached) this.cache?.store(file, stamp, { source, problems });
      if (problems.length) this.fileProblems.set(file, problems.map((p) => p.message));
      if (source) this.index.upsert(source);
      else this.index.remove(id);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      this.fileProblems.set(file, [`${relativePath}: skipped, it cannot be read (${reason})`]);
      this.index.remove(id);
    }
  }

  /**
   * Source files under `root`, following symbolic links. A link to a folder
   * above it (a loop) or to a folder already read is reported and not
   * followed; a file reached twice through links is listed once.
   */
  private async walk(root: string, problems: string[] = [], from = root): Promise<string[]> {
    const out: string[] = [];
    const seen = new Set<string>();
    const seenFiles = new Set<string>();
    const shown = (p: string) => path.relative(root, p) || p;
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
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
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
