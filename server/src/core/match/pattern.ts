/**
 * A quotation as a pattern to look for in the sources: its words in order,
 * with the conventions of quoting kept as pattern elements. An ellipsis
 * (`...`, `…`, `[...]`, `(…)`) becomes a gap that may skip source words; words
 * in square brackets (`[the Islamic State]`) stand in for source words and
 * match any few of them; a bracket inside a word (`[t]he`) stands for that one word.
 */
import { normalizeWord, tokenize } from '../text';

/** One element of a quotation pattern, with its offsets into the text it was read from. */
export type PatternElement =
  | { kind: 'word'; norm: string; start: number; end: number }
  | { kind: 'gap'; start: number; end: number }
  | { kind: 'stand-in'; min: number; max: number; start: number; end: number };

/** The most source words a bracketed stand-in may replace. */
export const MAX_STAND_IN_WORDS = 8;

// Ellipses first (a bracketed or parenthesised ellipsis is one gap), then bracketed text.
const MARKUP = /\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|\(\s*(?:\.\s*){3}\)|\(\s*…\s*\)|(?:\.\s?){2}\.|…|\[[^\[\]\n]{0,200}\]/gu;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/**
 * Reads `text[from, to)` (the inside of a quotation) into pattern elements.
 * Offsets of the elements are offsets into `text`.
 */
export function readPattern(text: string, from = 0, to = text.length): PatternElement[] {
  const elements: PatternElement[] = [];
  const pushWords = (a: number, b: number) => {
    for (const t of tokenize(text, a, b)) elements.push({ kind: 'word', norm: t.norm, start: t.start, end: t.end });
  };
  MARKUP.lastIndex = from;
  let cursor = from;
  const slice = text.slice(0, to);
  for (let m = MARKUP.exec(slice); m; m = MARKUP.exec(slice)) {
    const start = m.index;
    const end = start + m[0].length;
    const isEllipsis = !m[0].startsWith('[') || /^\[\s*(?:(?:\.\s*){3}|…\s*)\]$/u.test(m[0]);
    if (isEllipsis) {
      pushWords(cursor, start);
      // Two gaps in a row are one gap.
      if (elements[elements.length - 1]?.kind !== 'gap') elements.push({ kind: 'gap', start, end });
      cursor = end;
      continue;
    }
    // A bracket touching letters is an editorial change inside one word ("[t]he", "Iraq[i]").
    let wordStart = start;
    let wordEnd = end;
    while (wordStart > cursor && WORD_CHAR.test(text[wordStart - 1])) wordStart--;
    while (wordEnd < to && WORD_CHAR.test(text[wordEnd])) wordEnd++;
    pushWords(cursor, wordStart);
    if (wordStart < start || wordEnd > end) {
      elements.push({ kind: 'stand-in', min: 1, max: 1, start: wordStart, end: wordEnd });
    } else {
      const inside = tokenize(text, start + 1, end - 1).length;
      elements.push({ kind: 'stand-in', min: 0, max: Math.max(MAX_STAND_IN_WORDS, inside * 2), start, end });
    }
    cursor = wordEnd;
    MARKUP.lastIndex = wordEnd;
  }
  pushWords(cursor, to);
  // A leading or trailing gap adds nothing: a quotation may start and end anywhere in a source.
  while (elements.length && elements[0].kind === 'gap') elements.shift();
  while (elements.length && elements[elements.length - 1].kind === 'gap') elements.pop();
  return elements;
}

/** Number of plain words in a pattern (what a quotation's length is measured in). */
export function wordCount(elements: PatternElement[]): number {
  let n = 0;
  for (const e of elements) if (e.kind === 'word') n++;
  return n;
}

export { normalizeWord };
