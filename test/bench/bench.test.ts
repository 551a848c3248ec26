/**
 * Smoke test of the benchmark: `npm run bench -- --quick` completes, prints
 * its table and writes the same figures as JSON. It checks that the
 * benchmark works, never how fast anything is (speed is the benchmark's
 * business, not a test's).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/workspace';
import { formatTable, meets, ratio } from '../../bench/table';
import { percentiles } from '../../bench/stats';

describe('benchmark', () => {
  it('completes a quick run, prints the table and writes it as JSON', function () {
    this.timeout(300_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'corroborate-bench-'));
    try {
      const printed = execFileSync('npm', ['run', '--silent', 'bench', '--', '--quick', '--out', out], {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 16 * 1024 * 1024,
      });
      assert.match(printed, /cold build/);
      assert.match(printed, /Targets met: \d+ of \d+/);
      const result = JSON.parse(fs.readFileSync(path.join(out, 'latest-quick.json'), 'utf8'));
      assert.equal(result.quick, true);
      assert.ok(result.corpus.files >= 150, `only ${result.corpus.files} files`);
      // 200 files hold about 30 sentences with a count of something in them (the full corpus, hundreds): all are planted.
      assert.ok(result.draft.quotes >= 30 && result.draft.figures >= 25, JSON.stringify(result.draft));
      for (const metric of ['cold build', 'warm start', 're-index one changed file', 'full draft check', 'completion: keys', 'right source first']) {
        const row = result.rows.find((r: { metric: string }) => r.metric.includes(metric));
        assert.ok(row && Number.isFinite(row.value), `no value for ${metric}`);
      }
      // The warm start really came from the cache.
      assert.equal(result.starts.warm.cacheHits, result.corpus.files);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('benchmark table', () => {
  it('marks a latency over its target as missed and one under it as met', () => {
    const table = formatTable([
      { metric: 'full check p95 ms', value: 80, target: 50, lowerIsBetter: true },
      { metric: 'completion p95 ms', value: 3, target: 10, lowerIsBetter: true },
    ]);
    assert.match(table, /full check p95 ms.*MISSED/);
    assert.match(table, /completion p95 ms.*met/);
    assert.match(table, /Targets met: 1 of 2; missed: full check p95 ms/);
  });

  it('treats accuracy as higher-is-better', () => {
    assert.equal(meets({ metric: 'right source first', value: 97.5, target: 98, lowerIsBetter: false }), false);
    assert.equal(meets({ metric: 'right source first', value: 100, target: 98, lowerIsBetter: false }), true);
  });

  it('gives the ratio to the baseline, and none when there is no baseline', () => {
    assert.equal(ratio({ metric: 'x', value: 1, baseline: 200, lowerIsBetter: true }), '0.0050x');
    assert.equal(ratio({ metric: 'x', value: 5, lowerIsBetter: true }), 'n/a');
  });

  it('takes the median and the 95th percentile of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual(percentiles(samples), { median: 50, p95: 95, n: 100 });
    assert.deepEqual(percentiles([7]), { median: 7, p95: 7, n: 1 });
  });
});
