/**
 * Metadata fields from loose records (front matter, catalogs, page tags):
 * the field names people use for them, and dates in the forms pages print.
 */
import type { SourceMeta } from '../types';

/** Picks the fields Corroborate knows from a front matter or catalog record. */
export function metaFromRecord(record: Record<string, unknown>): SourceMeta {
  const str = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = record[k];
      if (typeof v === 'string' && v.trim()) return v.trim();
      if (typeof v === 'number') return String(v);
      if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
    }
    return undefined;
  };
  const type = str('type');
  return {
    title: str('title', 'headline'),
    outlet: str('outlet', 'publisher', 'site', 'source'),
    author: str('author', 'byline'),
    date: normalizeDate(str('date', 'published', 'published_time')),
    url: str('url', 'link'),
    language: str('language', 'lang'),
    type: type === 'transcript' || type === 'article' ? type : undefined,
    speaker: str('speaker'),
    key: str('key', 'id', 'citekey'),
  };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `2023-12-29`, `December 29, 2023`, `29 Dec 2023`, `2023-12-29T13:44` → `2023-12-29`; unknown forms stay undefined. */
export function normalizeDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value.trim());
  if (iso) return [iso[1], iso[2], iso[3]].filter(Boolean).join('-');
  const monthIndex = (word: string) => MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().replace('.', '')) && word.length >= 3);
  const mdy = /([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})/.exec(value);
  if (mdy && monthIndex(mdy[1]) >= 0) return `${mdy[3]}-${pad(monthIndex(mdy[1]) + 1)}-${pad(Number(mdy[2]))}`;
  const dmy = /(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})/.exec(value);
  if (dmy && monthIndex(dmy[2]) >= 0) return `${dmy[3]}-${pad(monthIndex(dmy[2]) + 1)}-${pad(Number(dmy[1]))}`;
  return undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
