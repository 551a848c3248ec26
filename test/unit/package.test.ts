/**
 * The .vsix holds what runs and nothing else. vsce itself decides what goes in
 * (from `.vscodeignore` and `package.json`); these tests run it on a copy of the
 * repository's tracked files plus the built bundles, with decoys a working copy
 * may hold (sources, tests, sourcemaps, node_modules), and read the real .vsix.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yauzl from 'yauzl';

const REPO = path.resolve(__dirname, '..', '..');
const BUNDLES = ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'server/out/parseWorker.js'];
const SHIPPED = ['LICENSE', 'README.md', 'bin/corroborate.js', 'client/out/extension.js', 'package.json', 'server/out/cli.js', 'server/out/parseWorker.js', 'server/out/server.js'];

// vsce's programmatic API (the same code `vsce ls` and `vsce package` run).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vsce = require('@vscode/vsce') as {
  listFiles(options: { cwd: string; packageManager: number }): Promise<string[]>;
  createVSIX(options: { cwd: string; packagePath: string; dependencies: boolean; rewriteRelativeLinks: boolean; allowMissingRepository: boolean }): Promise<unknown>;
  PackageManager: { None: number };
};

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('package: the .vsix', function () {
  this.timeout(180000);
  let dir: string;

  before(() => {
    if (BUNDLES.some((b) => !fs.existsSync(path.join(REPO, b)))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corroborate-vsix-'));
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO }).toString().split('\0').filter(Boolean);
    for (const file of [...tracked, ...BUNDLES]) {
      const from = path.join(REPO, file);
      if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue;
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(from, path.join(dir, file));
    }
    const decoys: Record<string, string> = {
      'node_modules/left-pad/index.js': 'module.exports = 1;',
      'server/out/server.js.map': '{}',
      'client/out/extension.js.map': '{}',
      'server/src/extra.ts': 'export {};',
      'test/unit/extra.test.ts': 'export {};',
      'test-output/report.txt': 'x',
      'corroborate.vsix': 'old package',
    };
    for (const [file, text] of Object.entries(decoys)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists only the bundles, the manifest, README and LICENSE (vsce ls)', async () => {
    const files = (await vsce.listFiles({ cwd: dir, packageManager: vsce.PackageManager.None })).map((f) => f.split(path.sep).join('/')).sort();
    assert.deepEqual(files, SHIPPED);
  });

  it('packages a .vsix whose extension folder holds exactly those files, the entry point among them', async () => {
    const vsix = path.join(dir, 'out.vsix');
    await vsce.createVSIX({ cwd: dir, packagePath: vsix, dependencies: false, rewriteRelativeLinks: false, allowMissingRepository: true });
    const entries = await zipEntries(vsix);
    const shipped = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length)).sort();
    // vsce renames LICENSE to LICENSE.txt and README.md to readme.md inside the package.
    assert.deepEqual(shipped, ['LICENSE.txt', 'bin/corroborate.js', 'client/out/extension.js', 'package.json', 'readme.md', 'server/out/cli.js', 'server/out/parseWorker.js', 'server/out/server.js']);
    assert.ok(entries.every((e) => !/node_modules|\.map$|\/src\/|\.test\.ts$|^extension\/test\/|corpus\//.test(e)), entries.join('\n'));
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { main: string; activationEvents: string[] };
    assert.ok(shipped.includes(manifest.main.replace(/^\.\//, '')), `main (${manifest.main}) is in the package`);
    assert.ok(manifest.activationEvents.includes('onLanguage:markdown') && manifest.activationEvents.includes('onLanguage:plaintext'));
  });
});
