/**
 * Quotations inside a source and who the source says spoke them.
 * A first version: paired straight/curly double quotes within a paragraph,
 * speaker from "said X" / "X said" next to the quote.
 */
import type { Sentence, SourceMeta, SourceQuote } from '../types';

export function findSourceQuotes(text: string, sentences: Sentence[], meta: SourceMeta): SourceQuote[] {
  const quotes: SourceQuote[] = [];
  const re = /["\u201c]([^"\u201c\u201d]{2,}?)["\u201d]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + 1;
    const end = start + m[1].length;
    const after = text.slice(end + 1, end + 80);
    const before = text.slice(Math.max(0, m.index - 80), m.index);
    const speaker =
      /^[,\s]*(?:said|says|added|stated|told)\s+((?:the\s+)?[\p{Lu}][\p{L}'’-]*(?:\s+[\p{Lu}][\p{L}'’-]*)*)/u.exec(after)?.[1] ??
      /^[,\s]*((?:Mr|Ms|Mrs)\.?\s+[\p{Lu}][\p{L}'’-]*(?:\s+[\p{Lu}][\p{L}'’-]*)*)\s+(?:said|says|added)/u.exec(after)?.[1] ??
      /([\p{Lu}][\p{L}'’-]*(?:\s+[\p{Lu}][\p{L}'’-]*)*)\s+(?:said|says|added|stated)[^.]*[:,]?\s*$/u.exec(before)?.[1] ??
      (meta.type === 'transcript' ? meta.speaker : undefined);
    quotes.push({ start, end, speaker });
  }
  return quotes;
}
