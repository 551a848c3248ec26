/**
 * Finding the quotations of a draft: text between quotation marks in prose,
 * and Markdown block quotes. Straight and curly double quotes, guillemets,
 * low-high German marks and the unbalanced mixes real text has (`“…"`);
 * single quotes only where they are not apostrophes (`Iraq's`, `'90s`,
 * `rock 'n' roll` are words, not quotations). Code, URLs and front matter
 * never reach here: `parseDraft` leaves them out of `prose`.
 */
import type { Span } from '../types';
import type { ParsedDraft } from './parseDraft';

/** A quotation in a draft. `start`/`end` include the marks; `innerStart`/`innerEnd` are the quoted words. */
export interface DraftQuotation extends Span {
  innerStart: number;
  innerEnd: number;
  /** The quoted words as written (marks excluded). */
  text: string;
  /** A Markdown block quote (`> …`) rather than words between marks. */
  block: boolean;
}

/** Longest quotation looked for, in UTF-16 units (a long block quote is found as a block quote instead). */
const MAX_QUOTATION_LENGTH = 20_000;
const LETTER_OR_DIGIT = /[\p{L}\p{M}\p{N}]/u;
const OPENING_CONTEXT = /[\s([{\u2014\u2013\-/:;,]/u;

/** Closing marks that may end a quotation opened by each opening mark (mixes included, as real sources have them). */
const DOUBLE_CLOSERS: Record<string, string> = {
  '"': '"\u201d',
  '\u201c': '\u201d"',
  '\u201e': '\u201c\u201d"',
  '\u00ab': '\u00bb',
};
const SINGLE_CLOSERS: Record<string, string> = {
  "'": "'\u2019",
  '\u2018': '\u2019\'',
  '\u201a': '\u2018\u2019',
  '\u2039': '\u203a',
};

/** Every quotation in the draft's prose, in order of position. */
export function findQuotations(parsed: ParsedDraft): DraftQuotation[] {
  const text = parsed.draft.text;
  const out: DraftQuotation[] = [];
  const blockSpans: Span[] = [];
  for (const block of parsed.blockQuotes) {
    const inner = parsed.prose.filter((p) => p.start >= block.start && p.end <= block.end);
    if (inner.length === 0) continue;
    const innerStart = inner[0].start;
    const innerEnd = inner[inner.length - 1].end;
    // A block quote that is itself in quotation marks is read as inline quotations.
    if (/^[\s>]*["\u201c\u201e\u00ab]/u.test(text.slice(innerStart, innerEnd))) continue;
    blockSpans.push(block);
    out.push({ start: block.start, end: block.end, innerStart, innerEnd, text: text.slice(innerStart, innerEnd), block: true });
  }
  for (const span of parsed.prose.flatMap((p) => paragraphsOf(text, p))) {
    if (blockSpans.some((b) => b.start <= span.start && span.end <= b.end)) continue;
    const doubles = pairMarks(text, span, DOUBLE_CLOSERS, false);
    const singles = pairMarks(text, span, SINGLE_CLOSERS, true).filter((s) => !doubles.some((d) => d.start <= s.start && s.end <= d.end));
    out.push(...doubles, ...singles);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A prose span cut at blank lines (plain-text prose is one span): a quotation never runs over a paragraph break. */
function paragraphsOf(text: string, span: Span): Span[] {
  const out: Span[] = [];
  const blank = /\n[ \t]*\r?\n/g;
  blank.lastIndex = span.start;
  let from = span.start;
  for (let m = blank.exec(text); m && m.index < span.end; m = blank.exec(text)) {
    out.push({ start: from, end: m.index });
    from = m.index + m[0].length;
  }
  out.push({ start: from, end: span.end });
  return out;
}

/** Every double or single quotation mark, opening or closing: the only characters `pairMarks` looks at. */
const DOUBLE_MARKS = /["\u201c\u201d\u201e\u00ab\u00bb]/g;
const SINGLE_MARKS = /['\u2018\u2019\u201a\u2039\u203a]/g;

/** Pairs opening and closing marks inside one prose span; unmatched marks are left alone. */
function pairMarks(text: string, span: Span, closers: Record<string, string>, single: boolean): DraftQuotation[] {
  const out: DraftQuotation[] = [];
  const closing = new Set(Object.values(closers).join(''));
  // The marks of the span, found by one regular expression scan rather than a look at every character.
  const openers: number[] = [];
  // Every mark that could close something, in order: an opener looks only at these.
  const candidates: number[] = [];
  const marks = single ? SINGLE_MARKS : DOUBLE_MARKS;
  marks.lastIndex = span.start;
  for (let m = marks.exec(text); m && m.index < span.end; m = marks.exec(text)) {
    if (closers[m[0]] !== undefined) openers.push(m.index);
    if (closing.has(m[0])) candidates.push(m.index);
  }
  let next = 0; // first candidate after the current position
  let i = span.start; // nothing before this opens a quotation (it is inside the last one found)
  for (const at of openers) {
    if (at < i || !canOpen(text, at, span, single)) continue;
    const allowed = closers[text[at]];
    while (next < candidates.length && candidates[next] <= at) next++;
    let close = -1;
    // A closing mark further away than any quotation runs is not this one's.
    const limit = Math.min(span.end, at + MAX_QUOTATION_LENGTH);
    for (let k = next; k < candidates.length && candidates[k] < limit; k++) {
      const j = candidates[k];
      if (allowed.includes(text[j]) && canClose(text, j, span, single)) {
        close = j;
        break;
      }
    }
    if (close === -1) continue;
    const innerStart = at + 1;
    const innerEnd = close;
    const inner = text.slice(innerStart, innerEnd);
    // "'n'" and empty marks are not quotations: a quotation has at least one word of two letters.
    if (!/[\p{L}\p{N}]{2}/u.test(inner) || inner.trim() !== inner) continue;
    out.push({ start: at, end: close + 1, innerStart, innerEnd, text: inner, block: false });
    i = close + 1;
  }
  return out;
}

function canOpen(text: string, at: number, span: Span, single: boolean): boolean {
  const before = at > span.start ? text[at - 1] : ' ';
  const after = text[at + 1] ?? '';
  if (!after || /\s/.test(after)) return false;
  const mark = text[at];
  // A straight mark between letters or after a letter is an apostrophe or an inch sign, not an opening.
  if ((mark === '"' || single) && !(OPENING_CONTEXT.test(before) || at === span.start || '"\u201c\u2018\'*_'.includes(before))) return false;
  // '90s and 'em: an apostrophe standing for left-out letters or digits.
  if (single && (/\p{N}/u.test(after) || !LETTER_OR_DIGIT.test(after) && !'"\u201c'.includes(after))) return false;
  return true;
}

function canClose(text: string, at: number, span: Span, single: boolean): boolean {
  const before = text[at - 1] ?? '';
  const after = at + 1 < span.end ? text[at + 1] : ' ';
  if (/\s/.test(before)) return false;
  if (single) {
    // An apostrophe inside a word (Iraq's, don't) closes nothing.
    if (LETTER_OR_DIGIT.test(after)) return false;
  } else if (text[at] === '"' && LETTER_OR_DIGIT.test(after) && LETTER_OR_DIGIT.test(before)) {
    return false;
  }
  return true;
}
