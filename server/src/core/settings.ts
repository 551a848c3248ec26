/**
 * Corroborate's settings (`corroborate.*`), typed, with defaults and a
 * validator that keeps the last good value of any field a client sends wrong.
 * Pure: the LSP layer fetches raw values, this module decides what they mean.
 */
import type { FindingCode, Severity } from './types';

export type CitationStyle = 'pandoc' | 'footnote' | 'inline' | 'apa';
export type SeveritySetting = Severity | 'off';

export interface Settings {
  corpus: { paths: string[] };
  validate: 'onType' | 'onSave';
  validateDelay: number;
  languages: string[];
  citation: { style: CitationStyle; cslFile: string };
  severity: Partial<Record<FindingCode, SeveritySetting>>;
  quotes: { shortQuotes: 'information' | 'off' };
  figures: { hintUnsourced: boolean };
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  corpus: { paths: ['corpus'] },
  validate: 'onType',
  validateDelay: 300,
  languages: ['markdown', 'plaintext'],
  citation: { style: 'pandoc', cslFile: '' },
  severity: {},
  quotes: { shortQuotes: 'information' },
  figures: { hintUnsourced: false },
}) as Settings;

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const STYLES: readonly CitationStyle[] = ['pandoc', 'footnote', 'inline', 'apa'];

export interface SettingsResult {
  settings: Settings;
  /** One line per rejected value, to show the user. */
  problems: string[];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Reads a raw `corroborate` configuration object (as `workspace/configuration`
 * returns it, or a `corroborate.json`). A missing field takes the value of
 * `previous` (the last good settings); a wrong one too, with a problem reported.
 * Accepts both nested (`{corpus: {paths}}`) and dotted (`{"corpus.paths": …}`) keys.
 */
export function readSettings(raw: unknown, previous: Settings = DEFAULT_SETTINGS): SettingsResult {
  const problems: string[] = [];
  const source = unflatten(raw);
  const get = (path: string): unknown => {
    let value: unknown = source;
    for (const part of path.split('.')) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
  const pick = <T>(path: string, ok: (v: unknown) => boolean, fallback: T): T => {
    const value = get(path);
    if (value === undefined || value === null) return fallback;
    if (ok(value)) return value as T;
    problems.push(`corroborate.${path}: ignored ${JSON.stringify(value)}; kept ${JSON.stringify(fallback)}`);
    return fallback;
  };

  const severity: Settings['severity'] = {};
  const rawSeverity = get('severity');
  if (rawSeverity && typeof rawSeverity === 'object' && !Array.isArray(rawSeverity)) {
    for (const [code, level] of Object.entries(rawSeverity as Record<string, unknown>)) {
      if (typeof level === 'string' && (SEVERITIES as readonly string[]).includes(level)) {
        severity[code as FindingCode] = level as SeveritySetting;
      } else {
        problems.push(`corroborate.severity.${code}: ignored ${JSON.stringify(level)}; expected one of ${SEVERITIES.join(', ')}`);
      }
    }
  } else if (rawSeverity !== undefined && rawSeverity !== null) {
    problems.push(`corroborate.severity: ignored ${JSON.stringify(rawSeverity)}; expected an object`);
    Object.assign(severity, previous.severity);
  } else {
    Object.assign(severity, previous.severity);
  }

  const settings: Settings = {
    corpus: {
      paths: pick('corpus.paths', (v) => isStringArray(v) && v.length > 0, previous.corpus.paths),
    },
    validate: pick('validate', (v) => v === 'onType' || v === 'onSave', previous.validate),
    validateDelay: pick('validateDelay', (v) => typeof v === 'number' && v >= 0 && v <= 10_000, previous.validateDelay),
    languages: pick('languages', isStringArray, previous.languages),
    citation: {
      style: pick('citation.style', (v) => (STYLES as readonly unknown[]).includes(v), previous.citation.style),
      cslFile: pick('citation.cslFile', (v) => typeof v === 'string', previous.citation.cslFile),
    },
    severity,
    quotes: {
      shortQuotes: pick('quotes.shortQuotes', (v) => v === 'information' || v === 'off', previous.quotes.shortQuotes),
    },
    figures: {
      hintUnsourced: pick('figures.hintUnsourced', (v) => typeof v === 'boolean', previous.figures.hintUnsourced),
    },
  };
  return { settings, problems };
}

/** Turns `{"corpus.paths": x}` into `{corpus: {paths: x}}`; nested objects pass through. */
function unflatten(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const parts = key.replace(/^corroborate\./, '').split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) {
      if (!target[part] || typeof target[part] !== 'object') target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    const existing = target[last];
    if (existing && typeof existing === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(existing as object, value);
    } else {
      target[last] = value;
    }
  }
  return out;
}

/** The severity a finding is shown with, after the user's overrides; `off` hides it. */
export function effectiveSeverity(code: FindingCode, natural: Severity, settings: Settings): SeveritySetting {
  return settings.severity[code] ?? natural;
}
