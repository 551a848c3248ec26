/** Words and their normal forms: the word scanner and the shortcut for plain ASCII must treat exactly the same words as equal as the full Unicode steps. */
import * as assert from 'node:assert/strict';
import { normalizeWord, tokenize, WordScanner } from '../../server/src/core/text';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';

/** The normal form by the full Unicode steps, for any word (what `normalizeWord` did before it had a shortcut). */
function byUnicodeSteps(word: string): string {
  const lower = word.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/['\u2019\u02bc]/g, '');
  return /^\p{N}/u.test(lower) ? lower.replace(/,(?=\p{N}{3})/gu, '') : lower;
}

describe('normal forms of words', () => {
  it('gives every word of the sample sources the same normal form as the full Unicode steps', async () => {
    const sample = await sampleIndex();
    let compared = 0;
    for (const source of sample.all()) {
      for (const m of source.text.matchAll(/\S+/g)) {
        assert.equal(normalizeWord(m[0]), byUnicodeSteps(m[0]), JSON.stringify(m[0]));
        compared++;
      }
    }
    assert.ok(compared > 1000, `compared ${compared} words`);
  });

  it('gives curly and straight apostrophes, diacritics and numbers with separators the same forms as before', () => {
    const words = [
      "Iraq's", 'Iraq\u2019s', 'IRAQ\u02bcS', 'iraqs', "'90s", "rock'n'roll", "O'Neil", "'", "''", '',
      'naïve', 'nai\u0308ve', 'NAÏVE', 'Ünïcödé', 'café', 'İstanbul', 'ß', 'ǅ', '日本語', 'x\u0301',
      '2,500', '2.500', '2,5', '1,000,000', '1,00', '12,3456', '2,500th', ',500', '0,123', '٣,٥٠٠', '²,000', '𝟗,999',
      "2,500's", "'2,500", 'A,123', 'US-led', 'U.S.', '3rd', 'ABC,123', '7\u2019000', 'Ⅻ,000',
    ];
    for (const word of words) assert.equal(normalizeWord(word), byUnicodeSteps(word), JSON.stringify(word));
  });

  it('gives random mixes of ASCII and non-ASCII characters the same forms as the full Unicode steps', () => {
    const pieces = ['a', 'Z', 'q', '0', '5', '9', ',', '.', "'", '-', ' ', '"', '\u2019', '\u02bc', 'é', 'e\u0301', 'İ', '٣', '²', 'Σ'];
    let x = 987654321;
    for (let round = 0; round < 5000; round++) {
      let word = '';
      for (let i = 0; i < round % 12; i++) {
        x = (Math.imul(x ^ (x >>> 13), 1103515245) + 12345) >>> 0;
        // Mostly ASCII, as in real text, so that the shortcut is exercised on digits, commas and apostrophes.
        word += pieces[x % (x % 4 === 0 ? pieces.length : 13)];
      }
      assert.equal(normalizeWord(word), byUnicodeSteps(word), JSON.stringify(word));
    }
  });
});

/** Words by the regular expression that defined them before the scanner: the specification the scanner keeps to. */
const REFERENCE_WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;

describe('splitting text into words', () => {
  // Characters at the edges of the rules: separators and apostrophes at word ends or doubled, a modifier-letter
  // apostrophe, combining marks alone, digits of other scripts, astral letters and digits, lone surrogates.
  const pieces = ['a', 'Z', 'é', 'e\u0301', '\u0301', 'ß', 'İ', '0', '9', '٣', '²', 'Ⅻ', '.', ',', "'", '\u2019', '\u02bc', ' ', '-', '"', '\n', '𝐀', '𝟗', '😀', '\ud800', '\udc00', '日', 'ǅ'];
  function randomText(seed: number, length: number): string {
    let x = seed * 2654435761 + 1;
    let text = '';
    for (let i = 0; i < length; i++) {
      x = (Math.imul(x ^ (x >>> 13), 1103515245) + 12345) >>> 0;
      text += pieces[x % pieces.length];
    }
    return text;
  }

  it('finds the same words at the same places as the reference expression in random mixes of tricky characters', () => {
    for (let round = 0; round < 3000; round++) {
      const text = randomText(round, round % 24);
      const byScanner: Array<[number, number]> = [];
      const scanner = new WordScanner(text);
      while (scanner.next()) byScanner.push([scanner.start, scanner.end]);
      const byReference = [...text.matchAll(REFERENCE_WORD)].map((m) => [m.index, m.index + m[0].length]);
      assert.deepEqual(byScanner, byReference, JSON.stringify(text));
    }
  });

  it('tokenizes a range of a text with offsets into the whole text and the reference normal forms', () => {
    for (let round = 0; round < 1000; round++) {
      const text = randomText(round + 7, 30);
      const from = round % 7;
      const to = text.length - (round % 5);
      const expected = [...text.slice(from, to).matchAll(REFERENCE_WORD)].map((m) => ({ norm: byUnicodeSteps(m[0]), start: from + m.index, end: from + m.index + m[0].length }));
      assert.deepEqual(tokenize(text, from, to), expected, JSON.stringify([text, from, to]));
    }
  });

  it('reads "Iraq\u2019s", "2,500.5" and "U.S.-led" as the words a writer sees', () => {
    assert.deepEqual(tokenize('Iraq\u2019s 2,500.5 U.S.-led').map((t) => t.norm), ['iraqs', '2500.5', 'u', 's', 'led']);
  });
});
