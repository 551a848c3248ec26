/** Runs the built command line as a child process, as a user or a CI job would. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempWorkspace, TEST_INDEX_CACHE } from '../helpers/workspace';

export const BIN = path.join(REPO, 'bin', 'corroborate.js');
export const SAMPLE_DRAFTS = path.join(REPO, 'drafts');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/corroborate.js …args` in `cwd`, never on a terminal, with NO_COLOR unless `env` says otherwise. */
export function corroborate(cwd: string, args: string[], env: Record<string, string | undefined> = { NO_COLOR: '1' }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CORROBORATE_INDEX_CACHE: TEST_INDEX_CACHE, ...env }, timeout: 50_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Shell-quotes one word for `sh -c`. */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the command line on a pseudo-terminal (util-linux `script`), so both
 * standard output and standard error are terminals; they arrive merged in `stdout`.
 */
export function corroborateOnTerminal(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CORROBORATE_INDEX_CACHE: TEST_INDEX_CACHE, TERM: 'xterm', ...env }, timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** True when util-linux `script` is installed (the terminal tests need it). */
export function hasScript(): boolean {
  return ['/usr/bin/script', '/bin/script'].some((p) => fs.existsSync(p));
}

/** Fails early with a clear reason when the bundle is missing (run `npm run build` first). */
export function requireBuild(): void {
  if (!fs.existsSync(path.join(REPO, 'server', 'out', 'cli.js'))) throw new Error('server/out/cli.js is missing: run `npm run build` before the CLI tests');
}

/** A temporary working folder with a copy of the sample corpus and the sample drafts. */
export function workspaceWithDrafts(): string {
  const dir = tempWorkspace(true);
  fs.cpSync(SAMPLE_DRAFTS, path.join(dir, 'drafts'), { recursive: true });
  return dir;
}

/** 1-based line and column of the first occurrence of `needle` in `text` (columns in UTF-16 units). */
export function placeOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
