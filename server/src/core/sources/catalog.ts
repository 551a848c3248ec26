/**
 * The corpus catalog (`sources.json` / `sources.yaml` in a corpus folder):
 * metadata for files that carry none themselves. Its text is handed in by the
 * host; this module only parses it. A field set to `null` means "known to be
 * unknown": the heuristics do not guess it (a page's printed date that is only
 * the day it was saved, an outlet the text never names).
 */
import { parse as parseYaml } from 'yaml';
import type { SourceMeta } from '../types';
import { metaFromRecord } from './metadata';

/** What the catalog says about one file. */
export interface CatalogEntry {
  meta: SourceMeta;
  /** Fields the catalog marks unknown (`null`): heuristics leave them empty. */
  unknown: Array<keyof SourceMeta>;
}

/** Catalog entries by relative path (or base name) of the file. */
export type Catalog = Map<string, CatalogEntry>;

export const CATALOG_NAMES = ['sources.json', 'sources.yaml', 'sources.yml'];

const FIELD_ALIASES: Record<string, keyof SourceMeta> = {
  title: 'title', headline: 'title',
  outlet: 'outlet', publisher: 'outlet', site: 'outlet', source: 'outlet',
  author: 'author', byline: 'author',
  date: 'date', published: 'date', published_time: 'date',
  url: 'url', link: 'url',
  language: 'language', lang: 'language',
  type: 'type', speaker: 'speaker',
  key: 'key', citekey: 'key',
};

/**
 * Parses a catalog. Accepts a mapping `{ "file.txt": { title, outlet, … } }`
 * or a list of records with a `file` field. Never throws: a broken catalog
 * gives an empty one and a `problem` that says why.
 */
export function parseCatalog(text: string, fileName: string): { catalog: Catalog; problem?: string; ignored: string[] } {
  const catalog: Catalog = new Map();
  const ignored: string[] = [];
  let data: unknown;
  try {
    data = fileName.toLowerCase().endsWith('.json') ? JSON.parse(text.replace(/^\ufeff/, '')) : parseYaml(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { catalog, ignored, problem: `${fileName}: ignored, it cannot be parsed (${reason}); sources fall back to their own metadata` };
  }
  if (data === null || data === undefined) return { catalog, ignored };
  if (typeof data !== 'object') {
    return { catalog, ignored, problem: `${fileName}: ignored, it should map file names to metadata` };
  }
  const entries: Array<[string, unknown]> = Array.isArray(data)
    ? data.map((d, i) => [typeof (d as Record<string, unknown>)?.file === 'string' ? String((d as Record<string, unknown>).file) : `#${i + 1}`, d])
    : Object.entries(data as Record<string, unknown>);
  for (const [file, record] of entries) {
    if (!record || typeof record !== 'object' || Array.isArray(record) || file.startsWith('#')) {
      if (!file.startsWith('$') && !file.startsWith('_')) ignored.push(file);
      continue;
    }
    const fields = record as Record<string, unknown>;
    const unknown = Object.entries(fields)
      .filter(([k, v]) => v === null && FIELD_ALIASES[k])
      .map(([k]) => FIELD_ALIASES[k]);
    catalog.set(file.replace(/\\/g, '/').replace(/^\.\//, ''), { meta: metaFromRecord(fields), unknown });
  }
  const problem = ignored.length ? `${fileName}: entries without metadata were ignored (${ignored.slice(0, 3).join(', ')})` : undefined;
  return { catalog, ignored, problem };
}
