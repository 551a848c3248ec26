/**
 * Turns the bytes of one corpus file into a `Source`: decoded text, metadata,
 * paragraphs, sentences, quotations with speakers, names and a citation key.
 * Pure: bytes in, data out. Problems become `SourceProblem`s, never exceptions.
 */
import { parse as parseYaml } from 'yaml';
import type { Source, SourceFile, SourceMeta, SourceProblem, MetaOrigin, Span } from '../types';
import { decodeBytes } from './decode';
import { splitParagraphs, splitSentences } from './sentences';
import { findSourceQuotes } from './sourceQuotes';
import { findNames } from './names';
import { guessMetadata } from './heuristics';
import { extractHtml, fileOffsetFunction } from './html';
import { metaFromRecord, normalizeDate } from './metadata';

export { metaFromRecord, normalizeDate };
import type { Catalog } from './catalog';

/** Largest file indexed; larger ones are skipped with a notice (they are rarely articles). */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

export const SOURCE_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm'];

export function isSourceFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export type { Catalog, CatalogEntry } from './catalog';

/** A parsed source before its citation key is made unique across the corpus. */
export type ParsedSource = Omit<Source, 'key'> & { key: string };

/**
 * Parses one file. Returns `undefined` with problems when the file cannot be
 * indexed at all (binary, empty, too large); otherwise a source, possibly with
 * warnings (broken front matter, guessed encoding).
 */
export function parseSource(file: SourceFile, catalog: Catalog = new Map()): { source?: ParsedSource; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  if (file.bytes.length > MAX_SOURCE_BYTES) {
    const mb = (file.bytes.length / 1024 / 1024).toFixed(1);
    return { problems: [{ severity: 'skipped', message: `${file.relativePath}: skipped, ${mb} MB is over the 5 MB limit for a source` }] };
  }
  const decoded = decodeBytes(file.bytes);
  if (decoded.kind === 'binary') {
    return { problems: [{ severity: 'skipped', message: `${file.relativePath}: skipped, it looks like a binary file, not text` }] };
  }
  if (decoded.encodingNote) problems.push({ severity: 'warning', message: `${file.relativePath}: ${decoded.encodingNote}` });
  const fileText = decoded.text;
  if (fileText.trim().length === 0) {
    return { problems: [{ severity: 'skipped', message: `${file.relativePath}: skipped, the file is empty` }] };
  }

  const lower = file.relativePath.toLowerCase();
  let text = fileText;
  let bodyStart = 0;
  let fileOffsetMap: Int32Array | undefined;
  const meta: SourceMeta = {};
  const metaOrigin: Partial<Record<keyof SourceMeta, MetaOrigin>> = {};
  /** Fields the catalog marks unknown: no heuristic may fill them. */
  const known = new Set<keyof SourceMeta>();
  const take = (fields: SourceMeta, origin: MetaOrigin) => {
    for (const [k, v] of Object.entries(fields) as [keyof SourceMeta, string][]) {
      if (origin === 'heuristic' && known.has(k)) continue;
      if (v !== undefined && v !== null && v !== '' && meta[k] === undefined) {
        (meta as Record<string, unknown>)[k] = v;
        metaOrigin[k] = origin;
      }
    }
  };

  if (lower.endsWith('.html') || lower.endsWith('.htm')) {
    const html = extractHtml(fileText);
    text = html.text;
    fileOffsetMap = html.offsetMap;
    take(html.meta, 'front-matter');
    if (html.text.trim().length === 0) return { problems: [{ severity: 'skipped', message: `${file.relativePath}: skipped, the page has no text` }] };
    if (html.problem) problems.push({ severity: 'warning', message: `${file.relativePath}: ${html.problem}` });
  } else {
    const fm = readFrontMatter(fileText);
    if (!fm && /^\ufeff?---[ \t]*\r?\n/.test(fileText)) {
      problems.push({ severity: 'warning', message: `${file.relativePath}: front matter ignored, it has no closing --- line; the whole file is read as text` });
    }
    if (fm) {
      bodyStart = fm.bodyStart;
      if (fm.error) problems.push({ severity: 'warning', message: `${file.relativePath}: front matter ignored, ${fm.error}` });
      else take(fm.meta, 'front-matter');
    }
  }

  const catalogEntry = catalog.get(file.relativePath) ?? catalog.get(baseName(file.relativePath));
  if (catalogEntry) {
    take(catalogEntry.meta, 'catalog');
    catalogEntry.unknown.forEach((k) => known.add(k));
  }

  const paragraphs = splitParagraphs(text, bodyStart);
  take(guessMetadata(text, paragraphs), 'heuristic');

  const sentences = splitSentences(text, paragraphs);
  const names = findNames(text, sentences);
  const quotes = findSourceQuotes(text, sentences, meta, names);
  const source: ParsedSource = {
    id: file.id,
    relativePath: file.relativePath,
    key: meta.key ?? baseKey(meta, file.relativePath),
    meta,
    metaOrigin,
    text,
    bodyStart,
    fileText: text === fileText ? undefined : fileText,
    fileOffsetMap,
    fileOffsetAt: fileOffsetMap && fileOffsetFunction(fileOffsetMap, text, fileText),
    paragraphs,
    sentences,
    quotes,
    names,
    problems,
  };
  return { source, problems };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface FrontMatter {
  meta: SourceMeta;
  bodyStart: number;
  error?: string;
}

const FRONT_MATTER = /^\ufeff?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** YAML front matter between `---` lines at the very top of a `.md`/`.txt` file. */
export function readFrontMatter(text: string): FrontMatter | undefined {
  const m = FRONT_MATTER.exec(text);
  if (!m) return undefined;
  const bodyStart = m[0].length;
  const simple = simpleFrontMatter(m[1]);
  if (simple) return { meta: metaFromRecord(simple), bodyStart };
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { meta: {}, bodyStart, error: `it is not valid YAML (${reason})` };
  }
  if (data === null || data === undefined) return { meta: {}, bodyStart };
  if (typeof data !== 'object' || Array.isArray(data)) return { meta: {}, bodyStart, error: 'it is not a YAML mapping' };
  return { meta: metaFromRecord(data as Record<string, unknown>), bodyStart };
}

/** `key: value` lines only, each key once: what most front matter is. */
const SIMPLE_LINE = /^([A-Za-z_][A-Za-z0-9_]*):[ ]+(.*)$/;
/** A double-quoted value with no escapes but \" and \\ (titles quote speech: `"\"No,\" he said"`), and no control or invisible characters. */
const PLAIN_QUOTED = /^"((?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|\\["\\])*)"$/;
/** Plain values whose YAML (core schema) reading is beyond doubt: a calendar date (a string), a whole number, or letters and spaces. */
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PLAIN_INTEGER = /^(?:0|[1-9]\d{0,14})$/;
const PLAIN_WORDS = /^[A-Za-z]+(?: [A-Za-z]+)*$/;
const YAML_KEYWORDS = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/**
 * Reads front matter made only of simple `key: value` lines without the YAML
 * parser, which costs about a millisecond per file on a corpus of thousands.
 * Returns `undefined` for anything else (comments, lists, escapes other than
 * \" and \\, repeated keys, …), which then goes to the YAML parser: both readings are identical
 * wherever this one answers (test/unit/sourcesFrontMatter.test.ts compares them).
 */
function simpleFrontMatter(body: string): Record<string, unknown> | undefined {
  const record: Record<string, unknown> = Object.create(null);
  for (const line of body.split(/\r?\n/)) {
    const m = SIMPLE_LINE.exec(line);
    if (!m || m[1] in record || m[1] === '__proto__') return undefined;
    const value = m[2];
    const quoted = PLAIN_QUOTED.exec(value);
    if (quoted) record[m[1]] = quoted[1].includes('\\') ? quoted[1].replace(/\\(["\\])/g, '$1') : quoted[1];
    else if (PLAIN_DATE.test(value)) record[m[1]] = value;
    else if (PLAIN_INTEGER.test(value)) record[m[1]] = Number(value);
    else if (PLAIN_WORDS.test(value) && !YAML_KEYWORDS.test(value)) record[m[1]] = value;
    else return undefined;
  }
  return record;
}

const KEY_STOPWORDS = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'for', 'and', 'or', 'is', 'are', 'as', 'by', 'with', 'from']);

/** Only ASCII: nothing for NFD to decompose, no combining marks to drop. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function slug(s: string): string {
  return (ASCII_ONLY.test(s) ? s : s.normalize('NFD').replace(/\p{M}+/gu, ''))
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A readable citation key: `outlet-date` (`xinhua-2023-12-29`). Without an
 * outlet: the author's surname, else the first three significant words of the
 * title, else the file name. An unknown date reads `nd` ("no date", as in
 * reference lists).
 */
export function baseKey(meta: SourceMeta, relativePath: string): string {
  // Each is worked out only when those before it are empty.
  const name =
    (meta.outlet ? slug(meta.outlet.replace(/\.(com|org|net|co\.uk|ae|info|news)$/i, '')) : '') ||
    (meta.author ? slug(meta.author.split(/\s+/).pop() ?? '') : '') ||
    (meta.title ? titleWords(meta.title) : '') ||
    slug(baseName(relativePath).replace(/\.[^.]+$/, '')) ||
    'source';
  return `${name}-${meta.date ?? 'nd'}`;
}

/** The first three significant words of a title, slugged and joined by hyphens (the words after them are not slugged at all). */
function titleWords(title: string): string {
  const words: string[] = [];
  for (const word of title.split(/\s+/)) {
    const w = slug(word);
    if (w && !KEY_STOPWORDS.has(w) && words.push(w) === 3) break;
  }
  return words.join('-');
}

/** Makes keys unique across a corpus: later duplicates (by id order) get `-b`, `-c`, … */
export function uniqueKeys<T extends { id: string; key: string }>(sources: T[]): Map<string, string> {
  const byKey = new Map<string, T[]>();
  for (const s of sources) {
    const list = byKey.get(s.key) ?? [];
    list.push(s);
    byKey.set(s.key, list);
  }
  const result = new Map<string, string>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    list.forEach((s, i) => result.set(s.id, i === 0 ? key : `${key}-${String.fromCharCode(97 + Math.min(i, 25))}${i > 25 ? i : ''}`));
  }
  return result;
}

export type { Span };
