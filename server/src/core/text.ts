/**
 * Words and their normal forms: the one place that decides when two pieces of
 * text are "the same words". Matching ignores case, diacritics, punctuation,
 * straight versus curly marks, whitespace and line breaks.
 */

/** A word of some text: its normal form and where it stands. */
export interface Token {
  norm: string;
  start: number;
  end: number;
}

// A number keeps its thousands separators and decimals ("2,500", "2.5"); a word
// keeps inner apostrophes and hyphen-less letters ("Iraq's" is one word).
const WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;
const DIACRITICS = /\p{M}+/gu;
const APOSTROPHES = /['\u2019\u02bc]/g;

/** The normal form of one word: lower case, no diacritics, no apostrophes, no separators in numbers. */
export function normalizeWord(word: string): string {
  const lower = word.normalize('NFD').replace(DIACRITICS, '').toLowerCase().replace(APOSTROPHES, '');
  return /^\p{N}/u.test(lower) ? lower.replace(/,(?=\p{N}{3})/gu, '') : lower;
}

/** Splits `text[from, to)` into words with offsets into `text`. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(slice); m; m = WORD.exec(slice)) {
    tokens.push({ norm: normalizeWord(m[0]), start: from + m.index, end: from + m.index + m[0].length });
  }
  return tokens;
}

/** Words of a string, normal forms only. */
export function words(text: string): string[] {
  return tokenize(text).map((t) => t.norm);
}

/** Opening and closing marks of quotations, straight and typographic. */
export const OPEN_QUOTES = '"\u201c\u201e\u00ab\u2018\u201a\u2039\'';
export const CLOSE_QUOTES = '"\u201d\u00bb\u2019\u203a\'';

/** Offsets of the start of each line of `text` (for offset to line/character conversion). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Line and UTF-16 character of an offset, given the text's line starts. */
export function lineAndCharacter(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}
