/**
 * Indexes the corpus for a command-line run: the disk corpus and index the
 * editor's server uses, with a progress bar on standard error when it is a
 * terminal, and the language service over them.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from '../core/types';
import type { Settings } from '../core/settings';
import { createService, type CorroborateService } from '../core/service';
import { createCorpusIndex } from '../core/index/parts';
import { DiskCorpus, type LoadReport } from '../diskCorpus';
import { hostIndexCache } from '../indexCache';

export interface LoadedCorpus {
  service: CorroborateService;
  corpus: DiskCorpus;
  report: LoadReport;
  /**
   * To await before the run ends: finishes writing the index snapshot when the load read files (so the next run
   * restores it), and drops the rest of the work behind the load (reading source texts ahead) that only an editor
   * waiting for requests needs.
   */
  finish(): Promise<void>;
}

/** Below this many files indexing is too quick for a progress bar to be more than a flicker. */
const PROGRESS_MIN_FILES = 50;

/**
 * Reads the sources under `folders` into a fresh index: from the editor's
 * index snapshot where files are unchanged since it was written (a run over
 * a corpus of 9,000 articles takes about 1 s instead of 6), reading the rest.
 * Problems (missing folders, unreadable files) are in the returned report,
 * never thrown.
 */
export async function loadCorpus(folders: string[], settings: Settings, logger: Logger, showProgress: boolean): Promise<LoadedCorpus> {
  const index = createCorpusIndex();
  const corpus = new DiskCorpus(index, logger, hostIndexCache(logger));
  // Cancelled once the run's answers are out: what the load started behind it for an editor then stops.
  const loading = { isCancellationRequested: false };
  let bar: SingleBar | undefined;
  const report = await corpus.load(folders, loading, (done, total) => {
    if (!showProgress || total < PROGRESS_MIN_FILES) return;
    if (!bar) {
      bar = new SingleBar(
        { format: 'Indexing sources {bar} {value}/{total} files', stream: process.stderr, clearOnComplete: true, hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(total, 0);
    }
    bar.update(done);
  });
  bar?.stop();
  const service = createService({ index, settings: () => settings, logger });
  const finish = async () => {
    loading.isCancellationRequested = true;
    await corpus.idle();
  };
  return { service, corpus, report, finish };
}
