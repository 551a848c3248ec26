/**
 * The lexicon reads a source's words once for every index part. The parts
 * rely on three things tested here: its words are the word scanner's, with
 * the normal forms `normalizeWord` gives; one spelling always gets one number
 * and one word one form, whatever else was read; and a scan begun at an offset
 * that does not split a word reads exactly the source's words from there on
 * (the passages of the completion index and the windows of the figure index
 * are read that way).
 */
import * as assert from 'node:assert/strict';
import { Lexicon } from '../../server/src/core/index/lexicon';
import { normalizeWord, WordScanner } from '../../server/src/core/text';
import { mulberry32 } from '../../bench/random';
import { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { PassageIndex } from '../../server/src/core/index/passages';
import { readPattern } from '../../server/src/core/match/pattern';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';

/** Edge characters of the word rules (see text.test.ts), mixed with plain words as real text has them. */
const PIECES = ['Iraq', 'iraq', 'IRAQ', "'s", '\u2019s', 'é', 'e\u0301', '2', '500', ',', '.', ' ', ' ', ' ', '\n', '"', '\u201c', '-', 'U.S.', '٣', '𝐀', '\ud800', 'ß', 'said', 'Said'];

function randomText(random: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(random() * PIECES.length)];
  return text;
}

function scan(text: string, from = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const scanner = new WordScanner(text, from);
  while (scanner.next()) out.push([scanner.start, scanner.end]);
  return out;
}

describe('the lexicon', () => {
  it('reads the word scanner\u2019s words, each with the normal form normalizeWord gives it', () => {
    const random = mulberry32(11);
    const lexicon = new Lexicon();
    for (let round = 0; round < 500; round++) {
      const text = randomText(random, 1 + (round % 40));
      const from = round % 3;
      const words = lexicon.read(text, from);
      const expected = scan(text, from);
      assert.equal(words.count, expected.length, JSON.stringify(text));
      expected.forEach(([start, end], i) => {
        assert.equal(words.starts[i], start);
        assert.equal(words.ends[i], end);
        assert.equal(lexicon.form(words.forms[i]), normalizeWord(text.slice(start, end)), JSON.stringify(text.slice(start, end)));
        assert.equal(words.forms[i], lexicon.formOf(words.spellings[i]));
      });
    }
  });

  it('numbers each spelling once and each word once: "Iraq\u2019s", "IRAQ\u2019S" and "iraqs" are three spellings of one word', () => {
    const lexicon = new Lexicon();
    const first = lexicon.read('Iraq\u2019s IRAQ\u2019S iraqs Iraq\u2019s', 0);
    const spellings = Array.from(first.spellings.subarray(0, first.count));
    const forms = Array.from(first.forms.subarray(0, first.count));
    assert.equal(new Set(spellings.slice(0, 3)).size, 3);
    assert.equal(spellings[3], spellings[0]);
    assert.equal(new Set(forms).size, 1);
    assert.equal(lexicon.form(forms[0]), 'iraqs');
    // Read again after other text, the same spellings keep their numbers.
    lexicon.read('Baghdad said 2,500 troops', 0);
    const again = lexicon.read('iraqs Iraq\u2019s', 0);
    assert.deepEqual(Array.from(again.spellings.subarray(0, 2)), [spellings[2], spellings[0]]);
  });

  it('looks spellings up without numbering them', () => {
    const lexicon = new Lexicon();
    lexicon.read('The attacks on Ain al-Asad', 0);
    const before = [lexicon.spellingCount, lexicon.formCount];
    assert.equal(lexicon.findSpelling('Zorblatt', 0, 8), -1);
    assert.equal(lexicon.findForm('zorblatt'), -1);
    assert.deepEqual([lexicon.spellingCount, lexicon.formCount], before);
    const attacks = lexicon.findSpelling('attacks', 0, 7);
    assert.ok(attacks >= 0);
    assert.equal(lexicon.form(lexicon.formOf(attacks)), 'attacks');
    assert.equal(lexicon.findForm('asad'), lexicon.formOf(lexicon.findSpelling('Asad', 0, 4)));
  });

  it('reads from any offset that splits no word exactly the words a scan from there reads', () => {
    const random = mulberry32(5);
    const lexicon = new Lexicon();
    for (let round = 0; round < 300; round++) {
      const text = randomText(random, 5 + (round % 30));
      const words = lexicon.read(text, 0);
      for (let offset = 0; offset <= text.length; offset++) {
        const fromHere = scan(text, offset);
        let i = words.firstAt(offset);
        if (words.splitAt(offset)) {
          // The scan reads what is left of the split word first (or, from inside a surrogate pair, what follows it);
          // after that word, the source's words again.
          assert.ok(i > 0 && words.starts[i - 1] < offset && words.ends[i - 1] > offset);
          const first = fromHere.shift();
          i = first ? words.firstAt(first[1]) : words.count;
        }
        const ours: Array<[number, number]> = [];
        for (let k = i; k < words.count; k++) ours.push([words.starts[k], words.ends[k]]);
        assert.deepEqual(fromHere, ours, JSON.stringify([text, offset]));
      }
    }
  });

  it('hands every part the same words, so an index built through the lexicon answers as parts that read for themselves', async function () {
    this.timeout(20000);
    const shared = await sampleIndex();
    const alone = new PassageIndex();
    for (const source of shared.all()) alone.add(source);
    const sharedPart = shared.part(PassageIndex)!;
    assert.ok(shared instanceof CorpusIndex);
    for (const source of [...shared.all()].slice(0, 5)) {
      for (const quote of source.quotes.slice(0, 4)) {
        const pattern = readPattern(source.text, quote.start, quote.end);
        const a = sharedPart.find(pattern, 6).map((m) => [m.source.id, m.start, m.end, m.alignment.cost]);
        const b = alone.find(pattern, 6).map((m) => [m.source.id, m.start, m.end, m.alignment.cost]);
        assert.deepEqual(a, b);
        assert.ok(a.length > 0);
      }
    }
  });
});
