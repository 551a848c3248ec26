/**
 * Tests on one UTF-16 code unit for the parser's loops over every character,
 * each the same as the regular expression it names on `text[i]` (a string of
 * that one code unit), with the ASCII answer first: the corpus is nearly all
 * ASCII, and a regular expression per character costs more than the loop.
 */

/** `/\s/.test(text[i])`; false outside the text. */
export function isSpaceAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return /\s/.test(text[i]);
}

/** `/[\p{L}\p{N}]/u.test(text[i])`: a letter or digit (a lone surrogate is neither); false outside the text. */
export function isLetterOrDigitAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return /[\p{L}\p{N}]/u.test(text[i]);
}
