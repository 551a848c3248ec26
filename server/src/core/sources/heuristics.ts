/**
 * Metadata the text itself shows when no front matter or catalog says it:
 * a headline-like first line, a date near the top, a dateline outlet.
 */
import type { SourceMeta, Span } from '../types';
import { normalizeDate } from './parseSource';

export function guessMetadata(text: string, paragraphs: Span[]): SourceMeta {
  const top = paragraphs.slice(0, 8).map((p) => text.slice(p.start, p.end));
  const meta: SourceMeta = {};
  const headline = top.find((p) => p.length >= 15 && p.length <= 160 && !/[.!?]$/.test(p.trim()) && !/^\W*$/.test(p) && !normalizeDate(p));
  if (headline) meta.title = headline.trim();
  for (const p of top) {
    const date = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}\b/.exec(p);
    if (date) {
      meta.date = normalizeDate(date[0]);
      break;
    }
  }
  const dateline = /\(([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\)/.exec(top.join('\n'));
  if (dateline) meta.outlet = dateline[1];
  return meta;
}
