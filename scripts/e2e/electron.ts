/**
 * `npm run test:e2e:electron`: the same extension-host suite with
 * @vscode/test-electron, for a desktop where VS Code can be downloaded (it
 * cannot on the CI network; `npm run test:e2e` uses code-server instead).
 * Like the code-server runner, it installs the packaged .vsix and tests that copy.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { makeSampleWorkspace } from './codeServer';
import { bundleSuite, packageExtension } from './prepare';

async function main(): Promise<number> {
  const vsix = packageExtension();
  const suiteEntry = await bundleSuite();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'corroborate-electron-'));
  try {
    const vscodeExecutablePath = await downloadAndUnzipVSCode('stable').catch((error: unknown) => {
      throw new Error(`cannot download VS Code (${error instanceof Error ? error.message : error}); on this network use npm run test:e2e (code-server)`);
    });
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    const dirs = ['--user-data-dir', path.join(root, 'user-data'), '--extensions-dir', path.join(root, 'extensions')];
    const installed = spawnSync(cli, [...cliArgs, ...dirs, '--install-extension', vsix], { encoding: 'utf8', stdio: 'inherit' });
    if (installed.status !== 0) throw new Error(`installing ${vsix} failed`);
    const extensionDir = fs.readdirSync(path.join(root, 'extensions')).find((name) => name.startsWith('corroborate.corroborate-'));
    if (!extensionDir) throw new Error(`installing ${vsix} left no corroborate.corroborate-* folder`);
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: path.join(root, 'extensions', extensionDir),
      extensionTestsPath: suiteEntry,
      launchArgs: [makeSampleWorkspace(root), ...dirs, '--skip-welcome', '--disable-workspace-trust'],
    });
    return 0;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[e2e:electron] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
