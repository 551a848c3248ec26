/**
 * What a start measured by bench/startup.ts reports, shared with the benchmark
 * that runs it (startup.ts runs on import: it is only ever a script).
 */

/** What one start cost. */
export interface StartupResult {
  mode: 'cold' | 'warm' | 'fuse';
  ms: number;
  /** CPU time of the process (user + system) over the same span, ms: less swayed by other work on a shared machine. */
  cpuMs: number;
  /** Peak resident memory of the whole process, MB. */
  peakRssMB: number;
  sources: number;
  /** The longest the event loop was held up while indexing, ms: how long a request could wait. */
  longestPauseMs: number;
  cacheHits: number;
  /** Files read and parsed (the rest came from the snapshot). */
  filesRead: number;
  /** Writing the index snapshot after the build, behind it (the index answers meanwhile), ms. */
  snapshotWriteMs: number;
  /** Size of the snapshot file, MB. */
  snapshotMB: number;
  logs: string[];
}

/** The code version of the benchmark's index snapshots (its own cache folder, never the server's). */
export const BENCH_CODE_VERSION = 'bench';
