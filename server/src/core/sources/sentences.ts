/**
 * Paragraphs and sentences of a source, with offsets. Sentence splitting
 * survives abbreviations ("Mr", "U.S.", "Dec."), initials, and quotations that
 * run across sentences with straight or curly marks.
 */
import type { Sentence, Span } from '../types';

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
    const lines = /\r?\n/.test(m[0]) && m[0].split(/\r?\n/).some((line) => line.length > 120) ? lineSpans(m[0], m.index) : [{ start: m.index, end: m.index + m[0].length }];
    for (const line of lines) {
      let { start, end } = line;
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      if (end > start) paragraphs.push({ start, end });
    }
  }
  return paragraphs;
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

/** Splits each paragraph into sentences. */
export function splitSentences(text: string, paragraphs: Span[]): Sentence[] {
  const sentences: Sentence[] = [];
  paragraphs.forEach((p, paragraph) => {
    let start = p.start;
    // A sentence ends at . ! ? … (plus closing quotes/brackets) followed by space and an upper-case letter, digit or opening quote.
    const re = /[.!?\u2026]+["'\u201d\u2019\u00bb)\]]*(?=\s+["'\u201c\u2018\u00ab(\[]?[\p{Lu}\p{N}])/gu;
    const chunk = text.slice(p.start, p.end);
    for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
      const endInChunk = m.index + m[0].length;
      if (m[0][0] === '.' && m[0].length === 1 && isAbbreviation(chunk, m.index)) continue;
      const end = p.start + endInChunk;
      pushTrimmed(text, sentences, start, end, paragraph);
      start = end;
    }
    pushTrimmed(text, sentences, start, p.end, paragraph);
  });
  return sentences;
}

function isAbbreviation(chunk: string, dot: number): boolean {
  const before = /([\p{L}.]+)$/u.exec(chunk.slice(Math.max(0, dot - 12), dot));
  if (!before) return false;
  const word = before[1].toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  if (word === 'al' && /\bet\s+al$/i.test(chunk.slice(Math.max(0, dot - 6), dot))) return true; // "et al." (but "Al." alone ends a sentence)
  if (/^\p{L}$/u.test(before[1])) return true; // an initial: "J. Biden"
  if (/^(\p{L}\.)+\p{L}$/u.test(before[1])) return true; // "U.S", "e.g"
  return false;
}

function pushTrimmed(text: string, out: Sentence[], start: number, end: number, paragraph: number): void {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end > start) out.push({ start, end, paragraph });
}
