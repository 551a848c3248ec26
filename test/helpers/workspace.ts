/** Temporary workspaces with a copy of the sample corpus, so tests may edit sources freely. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

/**
 * Where the servers and command-line runs a test process starts keep their index snapshots unless a test names a
 * folder: never the user's cache. Removed when the test process ends.
 */
export const TEST_INDEX_CACHE = path.join(os.tmpdir(), `corroborate-test-index-cache-${process.pid}`);
process.once('exit', () => fs.rmSync(TEST_INDEX_CACHE, { recursive: true, force: true }));

export const SAMPLE_CORPUS = path.join(REPO, 'corpus');

export function tempWorkspace(withCorpus = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corroborate-test-'));
  if (withCorpus) fs.cpSync(SAMPLE_CORPUS, path.join(dir, 'corpus'), { recursive: true });
  return dir;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
