/**
 * Paragraphs and sentences of a source, with offsets. Sentence splitting
 * survives abbreviations ("Mr", "U.S.", "Dec."), initials, and quotations that
 * run across sentences with straight or curly marks.
 */
import type { Sentence, Span } from '../types';
import * as chars from './chars';

// Bound once: under tsx (tests, benchmark) a call through the import reads a getter every time, which showed in profiles.
const isSpaceAt = chars.isSpaceAt;

/**
 * Paragraphs: runs of text separated by blank lines. A run whose lines are
 * long (over 120 characters: not hard-wrapped prose but one paragraph per
 * line, as text saved from web pages often is) is split at every line break.
 */
export function splitParagraphs(text: string, from = 0): Span[] {
  const paragraphs: Span[] = [];
  const re = /[^\r\n]+(?:\r?\n(?![ \t]*\r?\n)[^\r\n]+)*/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (hasLongLine(m[0])) for (const line of lineSpans(m[0], m.index)) pushTrimmedSpan(text, paragraphs, line.start, line.end);
    else pushTrimmedSpan(text, paragraphs, m.index, m.index + m[0].length);
  }
  return paragraphs;
}

/** Whether a line of `run` (lines end at \n or \r\n) is over 120 characters long. */
function hasLongLine(run: string): boolean {
  let from = 0;
  for (let newline = run.indexOf('\n'); newline >= 0; newline = run.indexOf('\n', from)) {
    const end = newline > from && run.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
    if (end - from > 120) return true;
    from = newline + 1;
  }
  // A run of one line is one paragraph, however long.
  return from > 0 && run.length - from > 120;
}

function pushTrimmedSpan(text: string, out: Span[], start: number, end: number): void {
  while (start < end && isSpaceAt(text, start)) start++;
  while (end > start && isSpaceAt(text, end - 1)) end--;
  if (end > start) out.push({ start, end });
}

function lineSpans(run: string, offset: number): Span[] {
  const spans: Span[] = [];
  const re = /[^\r\n]+/g;
  for (let m = re.exec(run); m; m = re.exec(run)) spans.push({ start: offset + m.index, end: offset + m.index + m[0].length });
  return spans;
}

const ABBREVIATIONS = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'col', 'lt', 'sgt', 'capt', 'st', 'jr', 'sr', 'rev', 'hon',
    'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
    'no', 'vs', 'etc', 'inc', 'ltd', 'co', 'corp', 'dept', 'est', 'approx', 'fig', 'e.g', 'i.e', 'u.s', 'u.k', 'u.n', 'a.m', 'p.m',
  ],
);

/**
 * A sentence ends at . ! ? … (plus closing quotes/brackets) followed by space and an upper-case letter, digit or opening quote.
 * Global: it runs over one paragraph's text at a time.
 */
const SENTENCE_END = /[.!?\u2026]+["'\u201d\u2019\u00bb)\]]*(?=\s+["'\u201c\u2018\u00ab(\[]?[\p{Lu}\p{N}])/gu;

/** Splits each paragraph into sentences. */
export function splitSentences(text: string, paragraphs: Span[]): Sentence[] {
  const sentences: Sentence[] = [];
  paragraphs.forEach((p, paragraph) => {
    let start = p.start;
    // The paragraph's own text: SENTENCE_END looks ahead, and must not see past the paragraph's end.
    const chunk = text.slice(p.start, p.end);
    SENTENCE_END.lastIndex = 0;
    for (let m = SENTENCE_END.exec(chunk); m; m = SENTENCE_END.exec(chunk)) {
      const endInChunk = m.index + m[0].length;
      if (m[0].length === 1 && m[0].charCodeAt(0) === 0x2e && isAbbreviation(chunk, m.index)) continue;
      const end = p.start + endInChunk;
      pushTrimmed(text, sentences, start, end, paragraph);
      start = end;
    }
    pushTrimmed(text, sentences, start, p.end, paragraph);
  });
  return sentences;
}

/** Whether the full stop at `dot` ends an abbreviation ("Mr.", "U.S.", "et al.") or an initial ("J. Biden") rather than a sentence. */
function isAbbreviation(chunk: string, dot: number): boolean {
  // The letters and dots just before the full stop (at most 12 characters back). In ASCII, read here; otherwise by the regular expression, which knows every letter.
  const from = Math.max(0, dot - 12);
  let wordStart = dot;
  while (wordStart > from && isAsciiLetterOrDot(chunk.charCodeAt(wordStart - 1))) wordStart--;
  if (wordStart > from && chunk.charCodeAt(wordStart - 1) >= 0x80) return isAbbreviationBy(/([\p{L}.]+)$/u.exec(chunk.slice(from, dot))?.[1], chunk, dot);
  if (wordStart === dot) return false;
  const word = chunk.slice(wordStart, dot);
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  if (word.length === 2 && (word === 'al' || word === 'Al' || word === 'aL' || word === 'AL') && /\bet\s+al$/i.test(chunk.slice(Math.max(0, dot - 6), dot))) return true; // "et al." (but "Al." alone ends a sentence)
  return isInitials(word); // "J" of "J. Biden"; "U.S", "e.g"
}

const isAsciiLetterOrDot = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e;

/** An ASCII word of letters and dots that is one letter, or letters with a dot between each two ("U.S", "e.g"). */
function isInitials(word: string): boolean {
  if (word.length % 2 === 0) return false;
  for (let i = 0; i < word.length; i++) if ((word.charCodeAt(i) === 0x2e) !== (i % 2 === 1)) return false;
  return true;
}

/** isAbbreviation() for a word with letters outside ASCII, as `/([\p{L}.]+)$/u` reads it (`word`). */
function isAbbreviationBy(word: string | undefined, chunk: string, dot: number): boolean {
  if (!word) return false;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  if (lower === 'al' && /\bet\s+al$/i.test(chunk.slice(Math.max(0, dot - 6), dot))) return true; // "et al." (but "Al." alone ends a sentence)
  if (/^\p{L}$/u.test(word)) return true; // an initial: "J. Biden"
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) return true; // "U.S", "e.g"
  return false;
}

function pushTrimmed(text: string, out: Sentence[], start: number, end: number, paragraph: number): void {
  while (start < end && isSpaceAt(text, start)) start++;
  while (end > start && isSpaceAt(text, end - 1)) end--;
  if (end > start) out.push({ start, end, paragraph });
}
