/**
 * Worker threads that read and parse corpus files while the main thread
 * builds the index and answers requests. On a machine with n cores there are
 * n - 1 workers (at least one): the main thread's share of a build, adding
 * sources to the index, is about as large as the parsing.
 *
 * Where a worker cannot start or dies, its batches are parsed on the main
 * thread instead, with one log line: slower, never wrong.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Logger } from './core/types';
import { readSourceFile, type FileJob, type FileParse } from './sourceFile';
import type { ParseRequest, ParseResponse } from './parseWorker';

/**
 * A worker's heap: a small young generation, so the garbage it makes while
 * parsing is collected early instead of growing the process's memory (a
 * source's parse is garbage once sent). A file that needs more than this
 * ends the worker; its batch is then parsed on the main thread.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

interface Pending {
  resolve(results: FileParse[]): void;
  jobs: FileJob[];
  worker: Worker;
}

/** The worker's script: the bundle beside this one, or the TypeScript source under tsx (tests, benchmark). */
function workerScript(): { file: string; execArgv?: string[] } | undefined {
  const bundled = path.join(__dirname, 'parseWorker.js');
  if (existsSync(bundled) && __filename.endsWith('.js')) return { file: bundled };
  const source = path.join(__dirname, 'parseWorker.ts');
  if (existsSync(source)) return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
  return undefined;
}

export class ParsePool {
  /** The live workers, with how many batches each has out. */
  private readonly busy = new Map<Worker, number>();
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private warned = false;

  /**
   * @param size how many workers (default: one fewer than the cores, at least one, at most four)
   * @param script the worker's script (default: `parseWorker` beside this file; tests name a broken one)
   */
  constructor(
    private readonly logger: Logger,
    size = Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1)),
    script: { file: string; execArgv?: string[] } | undefined = workerScript(),
  ) {
    if (!script) {
      this.fallBack('the worker script is missing');
      return;
    }
    for (let i = 0; i < size; i++) {
      try {
        const worker = new Worker(script.file, { execArgv: script.execArgv, resourceLimits: WORKER_LIMITS });
        worker.unref();
        worker.on('message', (response: ParseResponse) => this.settle(response.seq, response.results));
        worker.on('error', (e) => this.lose(worker, e.message));
        worker.on('exit', (code) => this.lose(worker, `it exited with code ${code}`));
        this.busy.set(worker, 0);
      } catch (e) {
        this.fallBack(e instanceof Error ? e.message : String(e));
      }
    }
  }

  /** Reads and parses a batch of files; results in the order of `jobs`. */
  parse(jobs: FileJob[]): Promise<FileParse[]> {
    const worker = [...this.busy.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
    if (!worker) return Promise.resolve(jobs.map(readSourceFile));
    const seq = ++this.seq;
    this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
    return new Promise((resolve) => {
      this.pending.set(seq, { resolve, jobs, worker });
      worker.postMessage({ seq, jobs } satisfies ParseRequest);
    });
  }

  /** Stops the workers; batches still out are parsed here. */
  async close(): Promise<void> {
    const workers = [...this.busy.keys()];
    this.busy.clear();
    for (const [seq, p] of this.pending) this.settle(seq, p.jobs.map(readSourceFile));
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  }

  private settle(seq: number, results: FileParse[]): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    if (this.busy.has(p.worker)) this.busy.set(p.worker, Math.max(0, (this.busy.get(p.worker) ?? 1) - 1));
    p.resolve(results);
  }

  /** A worker failed: its batches are parsed here, and later ones go to the others (or here). */
  private lose(worker: Worker, reason: string): void {
    if (!this.busy.has(worker)) return;
    this.busy.delete(worker);
    this.fallBack(reason);
    for (const [seq, p] of [...this.pending]) if (p.worker === worker) this.settle(seq, p.jobs.map(readSourceFile));
  }

  private fallBack(reason: string): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(`A parsing worker could not run (${reason}); sources are parsed on the main thread.`);
  }
}
