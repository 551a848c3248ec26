/**
 * One server start, measured in a process of its own so that its time and
 * peak memory are not mixed with the rest of the benchmark:
 *
 *   tsx bench/startup.ts <cold|warm|fuse> <corpus folder> <cache folder>
 *
 * `cold` builds the full index from disk with no snapshot (and writes one,
 * timed apart: the index answers while it is written), `warm` starts from
 * that snapshot, `fuse` is the baseline: the
 * same files parsed into a bare index, then one fuse.js index over every
 * sentence. Prints one line of JSON.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rmSync, statSync } from 'node:fs';
import Fuse from 'fuse.js';
import { DiskCorpus } from '../server/src/diskCorpus';
import { createCorpusIndex } from '../server/src/core/index/parts';
import { CorpusIndex } from '../server/src/core/index/corpusIndex';
import { NEVER_CANCELLED, type Logger } from '../server/src/core/types';
import { IndexCache } from '../server/src/indexCache';
import { BENCH_CODE_VERSION, type StartupResult } from './startResult';

async function main(): Promise<void> {
  const [mode, folder, cacheDir] = process.argv.slice(2) as [StartupResult['mode'], string, string];
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  if (mode === 'cold') rmSync(cacheDir, { recursive: true, force: true });
  const cache = mode === 'fuse' ? undefined : new IndexCache(cacheDir, BENCH_CODE_VERSION, logger);
  const index = mode === 'fuse' ? new CorpusIndex() : createCorpusIndex();
  const corpus = new DiskCorpus(index, logger, cache);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await corpus.load([folder], NEVER_CANCELLED);
  if (mode === 'fuse') {
    const sentences: string[] = [];
    for (const source of index.all()) for (const s of source.sentences) sentences.push(source.text.slice(s.start, s.end));
    const fuse = new Fuse(sentences, { ignoreLocation: true, threshold: 0.4, includeScore: true });
    if (!fuse) throw new Error('unreachable');
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const writing = performance.now();
  await corpus.idle();
  const snapshotWriteMs = mode === 'cold' ? performance.now() - writing : 0;
  delay.disable();
  let snapshotMB = 0;
  try {
    if (cache) snapshotMB = statSync(cache.file).size / 1e6;
  } catch {
    // No snapshot was written.
  }
  const result: StartupResult = {
    mode,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    sources: report.indexed,
    longestPauseMs: delay.max / 1e6,
    cacheHits: report.restored,
    filesRead: report.read,
    snapshotWriteMs,
    snapshotMB,
    logs: logs.filter((l) => !/looks like a binary file/.test(l)).slice(0, 5),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
