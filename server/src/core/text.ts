/**
 * Words and their normal forms: the one place that decides when two pieces of
 * text are "the same words". Matching ignores case, diacritics, punctuation,
 * straight versus curly marks, whitespace and line breaks.
 */
import { lastAtOrBelow } from './sorted';

/** A word of some text: its normal form and where it stands. */
export interface Token {
  norm: string;
  start: number;
  end: number;
}

const DIACRITICS = /\p{M}+/gu;
const APOSTROPHES = /['\u2019\u02bc]/g;
const ASCII_APOSTROPHES = /'/g;
const ASCII_THOUSANDS = /,(?=[0-9]{3})/g;

/** Character classes of the word reader: not part of a word, a number (`\p{N}`), a letter or mark (`[\p{L}\p{M}]`). */
const OTHER = 0;
const DIGIT = 1;
const LETTER = 2;
const UNKNOWN_CLASS = 255;
const IS_NUMBER = /^\p{N}$/u;
const IS_LETTER = /^[\p{L}\p{M}]$/u;
/** Class by UTF-16 unit for the Basic Multilingual Plane, filled in as characters are first met. */
const bmpClass = new Uint8Array(65536).fill(UNKNOWN_CLASS);
const astralClass = new Map<number, number>();
for (let u = 0; u < 128; u++) bmpClass[u] = (u >= 48 && u <= 57) ? DIGIT : ((u | 32) >= 97 && (u | 32) <= 122) ? LETTER : OTHER;

function classifyCodePoint(cp: number): number {
  const c = String.fromCodePoint(cp);
  return IS_NUMBER.test(c) ? DIGIT : IS_LETTER.test(c) ? LETTER : OTHER;
}

/**
 * Reads the words of a text where they stand: a run of numerals with inner "." or "," separators ("2,500", "2.5"),
 * or a run of letters and marks with inner apostrophes ("Iraq's" is one word, "U.S.-led" three). The same words as
 * the expression `\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*` (with the `u` flag) finds,
 * which a test keeps in step, without a regular expression or a string per word.
 */
export class WordScanner {
  /** Offsets of the last word read. */
  start = 0;
  end = 0;
  /** `wordHash` of the last word read. */
  hash = 0;
  private at: number;
  constructor(
    private readonly text: string,
    from = 0,
  ) {
    this.at = from;
  }

  /**
   * Class of the character at `i` and its width in UTF-16 units (2 for a surrogate pair), as `class | width << 8`:
   * the slow path of `next` for characters not yet in `bmpClass` and for surrogates (never cached there).
   */
  private classAt(i: number): number {
    const text = this.text;
    const u = text.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdfff) {
      if (u <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          const cp = (u - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          let cls = astralClass.get(cp);
          if (cls === undefined) astralClass.set(cp, (cls = classifyCodePoint(cp)));
          return cls | 512;
        }
      }
      return OTHER | 256;
    }
    let cls = bmpClass[u];
    if (cls === UNKNOWN_CLASS) bmpClass[u] = cls = classifyCodePoint(u);
    return cls | 256;
  }

  /** Reads the next word into `start`/`end` (and its `wordHash` into `hash`); false when there is none. */
  next(): boolean {
    // The hot loops read one table entry per UTF-16 unit; a character not met before or a surrogate (its table entry
    // stays unknown) takes `classAt`. The hash is taken on the way, so a caller looking the word up reads it once.
    const text = this.text;
    const length = text.length;
    let i = this.at;
    let cls = OTHER;
    let hash = FNV_OFFSET;
    for (;;) {
      if (i >= length) {
        this.at = length;
        return false;
      }
      const u = text.charCodeAt(i);
      cls = bmpClass[u];
      if (cls === OTHER) {
        i++;
        continue;
      }
      if (cls !== UNKNOWN_CLASS) {
        this.start = i;
        hash = Math.imul(hash ^ u, FNV_PRIME);
        i++;
        break;
      }
      const info = this.classAt(i);
      cls = info & 255;
      if (cls !== OTHER) {
        this.start = i;
        hash = Math.imul(hash ^ u, FNV_PRIME);
        if (info >> 8 === 2) hash = Math.imul(hash ^ text.charCodeAt(i + 1), FNV_PRIME);
        i += info >> 8;
        break;
      }
      i += info >> 8;
    }
    // The word's own class runs on; a separator (number) or apostrophe (word) joins it only if its class follows.
    for (;;) {
      while (i < length) {
        const u = text.charCodeAt(i);
        const c = bmpClass[u];
        if (c === cls) {
          hash = Math.imul(hash ^ u, FNV_PRIME);
          i++;
        } else if (c !== UNKNOWN_CLASS) break;
        else {
          const info = this.classAt(i);
          if ((info & 255) !== cls) break;
          hash = Math.imul(hash ^ u, FNV_PRIME);
          if (info >> 8 === 2) hash = Math.imul(hash ^ text.charCodeAt(i + 1), FNV_PRIME);
          i += info >> 8;
        }
      }
      if (i + 1 >= length) break;
      const c = text.charCodeAt(i);
      const joins = cls === DIGIT ? c === 46 || c === 44 : c === 39 || c === 0x2019 || c === 0x02bc;
      if (!joins || (this.classAt(i + 1) & 255) !== cls) break;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      i += 1;
    }
    this.end = i;
    this.at = i;
    this.hash = hash;
    return true;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A 32-bit FNV-1a hash of the UTF-16 units of `text[start, end)`: the hash `WordScanner` gives each word it reads. */
export function wordHash(text: string, start = 0, end = text.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The normal form of one word: lower case, no diacritics, no apostrophes, no separators in numbers. */
export function normalizeWord(word: string): string {
  // Plain ASCII (most words of English sources) has no decompositions, no marks and only "'" of the apostrophes, and
  // its only numerals are 0-9: the same steps without Unicode normalisation or Unicode classes give the same form.
  let ascii = true;
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let plain = word.toLowerCase();
    if (plain.includes("'")) plain = plain.replace(ASCII_APOSTROPHES, '');
    const first = plain.charCodeAt(0);
    return first >= 48 && first <= 57 && plain.includes(',') ? plain.replace(ASCII_THOUSANDS, '') : plain;
  }
  const lower = word.normalize('NFD').replace(DIACRITICS, '').toLowerCase().replace(APOSTROPHES, '');
  return /^\p{N}/u.test(lower) ? lower.replace(/,(?=\p{N}{3})/gu, '') : lower;
}

/** Splits `text[from, to)` into words with offsets into `text`. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  const scanner = new WordScanner(slice);
  while (scanner.next()) {
    tokens.push({ norm: normalizeWord(slice.slice(scanner.start, scanner.end)), start: from + scanner.start, end: from + scanner.end });
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
  const line = lastAtOrBelow(starts.length, (i) => starts[i], offset);
  return { line, character: offset - starts[line] };
}

/**
 * A copy of `s` that does not share memory with the string it was cut from.
 * V8 makes a slice of 13 or more characters a view of its parent, so a word
 * or name kept in a long-lived table would otherwise keep a whole source text
 * in memory after the source has let it go. Shorter strings are copies already.
 */
export function ownCopy(s: string): string {
  return s.length > 12 ? (' ' + s).slice(1) : s;
}

/** Whether a UTF-16 code unit is the first (high) half of a surrogate pair. */
export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** Whether a UTF-16 code unit is the second (low) half of a surrogate pair. */
export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
