/**
 * The parsing workers: the same results as parsing on the main thread, and
 * when a worker cannot start or dies, its files are still read, with one log line.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ParsePool } from '../../server/src/parsePool';
import { readSourceFile, type FileJob } from '../../server/src/sourceFile';
import type { Logger } from '../../server/src/core/types';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

describe('parsing workers', () => {
  let workspace: string;
  let jobs: FileJob[];
  let logs: string[];
  let logger: Logger;

  beforeEach(() => {
    workspace = tempWorkspace();
    const corpus = path.join(workspace, 'corpus');
    jobs = fs
      .readdirSync(corpus)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => ({ file: path.join(corpus, f), id: pathToFileURL(path.join(corpus, f)).href, relativePath: f }));
    jobs.push({ file: path.join(corpus, 'missing.txt'), id: 'file:///missing.txt', relativePath: 'missing.txt' });
    logs = [];
    logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  });
  afterEach(() => removeWorkspace(workspace));

  it('gives the results parsing on the main thread gives, in the order asked', async () => {
    const pool = new ParsePool(logger, 2);
    try {
      const [first, second] = await Promise.all([pool.parse(jobs.slice(0, 3)), pool.parse(jobs.slice(3))]);
      assert.deepEqual([...first, ...second], jobs.map(readSourceFile));
      assert.match(second[second.length - 1].problems[0], /missing\.txt: skipped, it cannot be read \(ENOENT\)/);
      assert.deepEqual(logs, []);
    } finally {
      await pool.close();
    }
  });

  it('reads every file on the main thread when its worker dies, and says so once', async () => {
    const broken = path.join(workspace, 'broken-worker.js');
    fs.writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const pool = new ParsePool(logger, 1, { file: broken });
    try {
      const results = await pool.parse(jobs);
      assert.deepEqual(results, jobs.map(readSourceFile));
      const again = await pool.parse(jobs.slice(0, 1));
      assert.equal(again[0].source?.id, jobs[0].id);
      assert.equal(logs.filter((l) => /parsing worker could not run \(.*this worker cannot start/.test(l)).length, 1, logs.join('\n'));
    } finally {
      await pool.close();
    }
  });
});
