/**
 * What every end-to-end run needs before an editor starts: the packaged .vsix
 * (so packaging and .vscodeignore are under test) and the extension-host suite
 * bundled to one CommonJS file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPO } from './provision';

export const VSIX = path.join(REPO, 'corroborate.vsix');
/** The bundled suite's entry point, handed to VS Code as `extensionTestsPath`. */
export const SUITE_ENTRY = path.join(REPO, 'test', 'e2e', 'out', 'suite', 'index.js');

/**
 * Builds the extension and packages it with `npm run package`; returns the .vsix path.
 * CORROBORATE_E2E_VSIX names an already packaged .vsix to test instead.
 */
export function packageExtension(log: (line: string) => void = console.log): string {
  const given = process.env.CORROBORATE_E2E_VSIX;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`CORROBORATE_E2E_VSIX names ${given}, which does not exist`);
    log(`testing the given package ${given}`);
    return path.resolve(given);
  }
  log('packaging the extension (npm run package) …');
  const result = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0 || !fs.existsSync(VSIX)) {
    throw new Error(`npm run package failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return VSIX;
}

/**
 * Bundles the suite with esbuild. `vscode` is the host's; mocha stays external
 * and is resolved from the repo's node_modules next to the bundle.
 */
export async function bundleSuite(): Promise<string> {
  await build({
    entryPoints: [path.join(REPO, 'test', 'e2e', 'suite', 'index.ts')],
    outfile: SUITE_ENTRY,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return SUITE_ENTRY;
}
