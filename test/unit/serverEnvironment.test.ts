/**
 * The environment the client starts the server with: huge pages for malloc's
 * large blocks, without losing the user's own glibc tunables, and a process
 * started with it really gets them where Linux offers them.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { HUGE_PAGES_TUNABLE, serverTunables } from '../../client/src/serverEnvironment';

/** Whether this machine gives huge pages to memory that asks for them: Linux with THP on, and glibc 2.35 or later. */
function hugePagesOffered(): boolean {
  if (process.platform !== 'linux') return false;
  let mode = '';
  try {
    mode = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    return false;
  }
  const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
  const [major, minor] = (glibc ?? '0.0').split('.').map(Number);
  return /\[(madvise|always)\]/.test(mode) && (major > 2 || (major === 2 && minor >= 35));
}

/** The kB of anonymous huge pages of a node process that fills a 64 MB typed array, started with `tunables`. */
function hugePagesOfChild(tunables: string | undefined): number {
  const script = `const a = new Int32Array(16 << 20); for (let i = 0; i < a.length; i += 1024) a[i] = i;
    const m = /AnonHugePages:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8'));
    process.stdout.write(String(m ? Number(m[1]) : 0) + ' ' + a[1024]);`;
  const env = { ...process.env };
  if (tunables === undefined) delete env.GLIBC_TUNABLES;
  else env.GLIBC_TUNABLES = tunables;
  return Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).split(' ')[0]);
}

describe('the server process environment', () => {
  it('asks for huge pages when the user set no glibc tunables', () => {
    assert.equal(serverTunables(undefined), HUGE_PAGES_TUNABLE);
    assert.equal(serverTunables(''), HUGE_PAGES_TUNABLE);
  });

  it('keeps the user\u2019s own tunables, and their choice of huge pages', () => {
    assert.equal(serverTunables('glibc.malloc.arena_max=2'), `glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`);
    assert.equal(serverTunables('glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2'), 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2');
    assert.equal(serverTunables('glibc.malloc.hugetlb=2'), 'glibc.malloc.hugetlb=2');
  });

  it('gives a process started with it huge pages for its typed arrays, where Linux offers them', function () {
    if (!hugePagesOffered()) this.skip();
    this.timeout(20_000);
    assert.ok(hugePagesOfChild(serverTunables(undefined)) >= 2048, 'no huge page was used');
  });
});
