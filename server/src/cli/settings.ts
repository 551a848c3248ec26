/**
 * Settings for the command line: the same `corroborate.*` settings the editor
 * reads, taken from the working folder's `.vscode/settings.json` and then
 * `corroborate.json` (which wins), both JSONC. Validation is the core's
 * (`readSettings`), so a value the editor rejects is rejected here too.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../core/settings';

export interface LoadedSettings {
  settings: Settings;
  /** The settings files that were read, in the order applied. */
  files: string[];
  /** One line per unreadable file or rejected value; the rest still applies. */
  problems: string[];
}

/** The files read, later ones winning. `corroborate.json` holds keys with or without the `corroborate.` prefix. */
export const SETTINGS_FILES = [path.join('.vscode', 'settings.json'), 'corroborate.json'];

/**
 * Reads the settings of the working folder `cwd`. A missing file is skipped
 * silently; an unparsable one is reported and skipped.
 */
export async function loadSettings(cwd: string): Promise<LoadedSettings> {
  let settings = DEFAULT_SETTINGS;
  const files: string[] = [];
  const problems: string[] = [];
  for (const name of SETTINGS_FILES) {
    const file = path.join(cwd, name);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${name}: ignored, it cannot be read (${code ?? e})`);
      continue;
    }
    const errors: ParseError[] = [];
    const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length || !raw || typeof raw !== 'object' || Array.isArray(raw)) {
      const reason = errors.length ? `${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}` : 'it is not a JSON object';
      problems.push(`${name}: ignored, ${reason}`);
      continue;
    }
    const result = readSettings(corroborateKeys(raw as Record<string, unknown>, name === 'corroborate.json'), settings);
    settings = result.settings;
    files.push(name);
    problems.push(...result.problems.map((p) => `${name}: ${p}`));
  }
  return { settings, files, problems };
}

/**
 * Only the `corroborate` settings of a file: `"corroborate.x": …` keys or a
 * `"corroborate": {…}` object. In `corroborate.json` unprefixed keys count too.
 */
function corroborateKeys(raw: Record<string, unknown>, unprefixedToo: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'corroborate' && value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
    else if (key.startsWith('corroborate.')) out[key.slice('corroborate.'.length)] = value;
    else if (unprefixedToo) out[key] = value;
  }
  return out;
}

/** Corpus folders as absolute paths: relative ones are resolved against the working folder, as the editor resolves them against the workspace. */
export function corpusFolders(settings: Settings, cwd: string): string[] {
  return [...new Set(settings.corpus.paths.map((p) => path.resolve(cwd, p)))];
}
