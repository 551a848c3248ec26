/**
 * Metadata the text itself shows when no front matter or catalog says it:
 * a headline-like first line, a date near the top (or a "Published:" /
 * "Updated:" line at either end), a dateline outlet such as "(Xinhua)" or
 * "Baghdad (IraqiNews.com) –", a "By …" byline.
 *
 * Pages saved from the web carry debris around the article ("Home>>",
 * breadcrumbs, a lone place name, "Photos", "Also read this article"); these
 * rules skip it rather than mistake it for a headline, and they only take a
 * parenthesised name as the outlet where a dateline stands (at the start of a
 * paragraph), never from the middle of a sentence ("the Islamic State (ISIS) group").
 */
import type { SourceMeta, Span } from '../types';
import { normalizeDate } from './metadata';

/** How many paragraphs from the top are searched for a headline, a date and a dateline. */
const TOP = 8;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
const DATE_IN_TEXT = new RegExp(
  `\\b${MONTH}\\s+\\d{1,2},?\\s+\\d{4}\\b|\\b\\d{1,2}\\s+${MONTH},?\\s+\\d{4}\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b`,
);
/**
 * Four digits in a row. Every date DATE_IN_TEXT and normalizeDate() read has a
 * year: a paragraph without one is ruled out by this test, which is cheap where
 * theirs, over a long paragraph, are not.
 */
const FOUR_DIGITS = /\d{4}/;
const STAMPED_DATE = new RegExp(`^\\W*(published|posted|first published|updated|last updated|modified)\\b[^\\n]{0,20}?(${DATE_IN_TEXT.source})`, 'i');

/** Guesses title, date, outlet and author from the first (and, for dates, last) paragraphs. */
export function guessMetadata(text: string, paragraphs: Span[]): SourceMeta {
  const top = paragraphs.slice(0, TOP).map((p) => text.slice(p.start, p.end).trim());
  const bottom = paragraphs.slice(Math.max(TOP, paragraphs.length - 5)).map((p) => text.slice(p.start, p.end).trim());
  return {
    title: guessTitle(top),
    date: guessDate(top, bottom),
    outlet: guessOutlet(top),
    author: guessAuthor(top),
  };
}

/** Lines that are page furniture, not the article: breadcrumbs, a bare date, a lone word, link labels. */
export function isDebris(paragraph: string): boolean {
  const p = paragraph.trim();
  if (p.length === 0) return true;
  if (/>>|»\s*$|^\W*home\W*$/i.test(p) || /^[\p{L} ]{1,20}(\s*[>›»/|]\s*[\p{L} ]{1,20})+\s*[>›»/|]?$/u.test(p)) return true; // breadcrumbs
  if (/^\W*$/.test(p)) return true;
  if (!/\s/.test(p)) return true; // a lone word: "Baghdad", "Photos", "Advertisement"
  if (FOUR_DIGITS.test(p) && stripDate(p).replace(/[\W\d_]+/g, '').length <= 3 && normalizeDate(p)) return true; // "Friday, November 22, 2024"
  if (/^(also read|read more|related( stories| articles)?|see also|share|advertisement|powered by|photo:|leave a comment|sign up|subscribe)\b/i.test(p)) return true;
  return false;
}

function stripDate(p: string): string {
  return p.replace(DATE_IN_TEXT, '').replace(/\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi, '');
}

/**
 * The headline is the first paragraph that is not debris, when it reads like
 * one: short, no closing full stop, not starting in lower case. If the first
 * real paragraph is prose, the page shows no headline and none is invented.
 */
function guessTitle(top: string[]): string | undefined {
  for (const line of top) {
    const p = line.replace(/^#{1,6}\s+/, ''); // a Markdown heading
    if (isDebris(p) || isDateline(p)) continue;
    const words = p.split(/\s+/).length;
    const headline = p.length >= 12 && p.length <= 200 && words <= 30 && !/[.;,]$/.test(p) && !/^\p{Ll}/u.test(p) && !p.includes('\n');
    return headline ? p : undefined;
  }
  return undefined;
}

/** A paragraph that opens with a dateline, e.g. "(Xinhua) 13:44, December 29, 2023". */
function isDateline(p: string): boolean {
  return datelineOutlet(p) !== undefined && p.length < 80;
}

/**
 * A date stamped "Published:"/"Updated:" at the top or bottom (published wins),
 * else the first full date in a short paragraph near the top, else in the
 * first two paragraphs. Dates inside later prose are events, not publication.
 */
function guessDate(top: string[], bottom: string[]): string | undefined {
  const stamped = [...top, ...bottom]
    .map((p) => STAMPED_DATE.exec(p))
    .filter((m): m is RegExpExecArray => !!m)
    .sort((a, b) => rank(a[1]) - rank(b[1]));
  if (stamped.length) return normalizeDate(stamped[0][2]);
  for (let i = 0; i < top.length; i++) {
    const p = top[i];
    if ((p.length > 120 && i > 1) || !FOUR_DIGITS.test(p)) continue;
    const m = DATE_IN_TEXT.exec(p);
    if (m) return normalizeDate(m[0]);
  }
  return undefined;
}

function rank(word: string): number {
  return /publish|posted/i.test(word) ? 0 : 1;
}

// An outlet in a dateline: at the start of a paragraph, optionally after a
// place and a date ("BAGHDAD, Dec. 28 (Xinhua) --", "Baghdad (IraqiNews.com) –"),
// and followed by a dash, a time or the end of the line.
const PLACE = "[\\p{Lu}][\\p{L}.'’-]*(?:[ ]+[\\p{Lu}][\\p{L}.'’-]*){0,3}";
const DATELINE = new RegExp(
  `^(?:${PLACE}(?:,\\s*${MONTH}\\s+\\d{1,2}(?:,\\s*\\d{4})?)?\\s+)?\\(([\\p{L}][\\p{L}\\p{N}.&' -]{1,40})\\)\\s*(?:[-–—]{1,2}|\\d{1,2}:\\d{2}|$)`,
  'u',
);

function datelineOutlet(p: string): string | undefined {
  const m = DATELINE.exec(p);
  if (!m) return undefined;
  const name = m[1].trim();
  // A single letter is a photo caption's "(R)" or "(L)", not an outlet.
  return name.length >= 2 ? name : undefined;
}

function guessOutlet(top: string[]): string | undefined {
  for (const p of top) {
    const outlet = datelineOutlet(p);
    if (outlet) return outlet;
  }
  return undefined;
}

function guessAuthor(top: string[]): string | undefined {
  for (const p of top) {
    const m = /^By\s+([\p{Lu}][\p{L}.'’-]+(?:\s+[\p{Lu}][\p{L}.'’-]+){1,3})\s*$/u.exec(p);
    if (m) return m[1];
  }
  return undefined;
}
