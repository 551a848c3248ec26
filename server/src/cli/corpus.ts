/**
 * Indexes the corpus for a command-line run: the disk corpus and index the
 * editor's server uses, with a progress bar on standard error when it is a
 * terminal, and the language service over them.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from '../core/types';
import { NEVER_CANCELLED } from '../core/types';
import type { Settings } from '../core/settings';
import { createService, type CorroborateService } from '../core/service';
import { createCorpusIndex } from '../core/index/parts';
import { DiskCorpus, type LoadReport } from '../diskCorpus';

export interface LoadedCorpus {
  service: CorroborateService;
  corpus: DiskCorpus;
  report: LoadReport;
}

/** Below this many files indexing is too quick for a progress bar to be more than a flicker. */
const PROGRESS_MIN_FILES = 50;

/**
 * Reads every source under `folders` into a fresh index. Problems (missing
 * folders, unreadable files) are in the returned report, never thrown.
 */
export async function loadCorpus(folders: string[], settings: Settings, logger: Logger, showProgress: boolean): Promise<LoadedCorpus> {
  const index = createCorpusIndex();
  const corpus = new DiskCorpus(index, logger);
  let bar: SingleBar | undefined;
  const report = await corpus.load(folders, NEVER_CANCELLED, (done, total) => {
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
  return { service, corpus, report };
}
