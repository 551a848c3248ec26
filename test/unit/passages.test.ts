/** The passage index: finding a quotation's words among many sources, and staying right as sources come and go. */
import * as assert from 'node:assert/strict';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { createCorpusIndex } from '../../server/src/core/index/parts';
import { PassageIndex } from '../../server/src/core/index/passages';
import { readPattern } from '../../server/src/core/match/pattern';
import { align, GAP } from '../../server/src/core/match/align';
import { WordScanner } from '../../server/src/core/text';
import { normalizeWord, tokenize, wordHash } from '../../server/src/core/text';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { distractor } from '../helpers/distractors';

function addSource(index: CorpusIndex, name: string, text: string): string {
  const id = `file:///corpus/${name}`;
  const { source } = parseSource({ id, relativePath: name, bytes: new TextEncoder().encode(text) });
  index.upsert(source!);
  return id;
}

function find(index: CorpusIndex, quote: string, maxCost = 0) {
  return index.part(PassageIndex)!.find(readPattern(quote), maxCost);
}


describe('the passage index', () => {
  it('finds the one source with a quotation among two thousand that share its words', () => {
    const index = createCorpusIndex();
    for (let i = 0; i < 2000; i++) addSource(index, `noise-${i}.txt`, distractor(i, 300));
    const id = addSource(index, 'real.txt', 'Officials met on Friday. "The government will end the presence of the international coalition in Iraq by September," the minister said.');
    const found = find(index, 'the government will end the presence of the international coalition in Iraq by September');
    assert.equal(found[0]?.source.id, id);
    assert.equal(found[0].alignment.cost, 0);
    const near = find(index, 'the government will end the presence of the foreign coalition in Iraq by September', 3);
    assert.equal(near[0]?.source.id, id, 'a one-word change still finds the right source first');
    assert.equal(near[0].alignment.cost, 1);
  });

  it('answers the same when its table was made ahead, in steps, before a bulk build', () => {
    const ready = createCorpusIndex();
    let steps = 0;
    for (const _ of ready.readySteps()) steps++;
    assert.ok(steps > 1, `the table is made in ${steps} steps, so a host answers requests between them`);
    const plain = createCorpusIndex();
    const ids: string[] = [];
    for (const index of [ready, plain]) {
      for (let i = 0; i < 300; i++) addSource(index, `noise-${i}.txt`, distractor(i, 200));
      ids.push(addSource(index, 'real.txt', 'Officials met on Friday. "The government will end the presence of the international coalition in Iraq by September," the minister said.'));
    }
    for (const quote of ['the government will end the presence of the international coalition in Iraq by September', 'the government will end the presence of the foreign coalition in Iraq']) {
      const answers = [ready, plain].map((index) => find(index, quote, 3).map((f) => [f.source.id, f.alignment.cost]));
      assert.deepEqual(answers[0], answers[1]);
      assert.equal(answers[0][0]?.[0], ids[0]);
    }
    // A part that has its table already makes nothing more.
    assert.equal([...ready.readySteps()].length, 0);
  });

  it('finds a short quotation of two words through its rarest word', () => {
    const index = createCorpusIndex();
    for (let i = 0; i < 200; i++) addSource(index, `noise-${i}.txt`, distractor(i, 200));
    const id = addSource(index, 'real.txt', 'He called the plan "hostile acts" against the state.');
    assert.equal(find(index, 'hostile acts')[0]?.source.id, id);
  });

  it('forgets a removed source and finds a re-added one, without rebuilding', () => {
    const index = createCorpusIndex();
    addSource(index, 'a.txt', 'The minister said "we will stay the course in Baghdad this year" on Friday.');
    const id = addSource(index, 'b.txt', 'She said "talks will begin immediately with the coalition" at the forum.');
    assert.equal(find(index, 'talks will begin immediately with the coalition')[0]?.source.id, id);
    index.remove(id);
    assert.deepEqual(find(index, 'talks will begin immediately with the coalition'), []);
    assert.equal(find(index, 'we will stay the course')[0]?.alignment.cost, 0, 'the other source is still found');
    addSource(index, 'b.txt', 'She said "talks will begin next month with the coalition" at the forum.');
    const changed = find(index, 'talks will begin immediately with the coalition', 3);
    assert.equal(changed[0]?.source.id, id);
    assert.equal(changed[0].alignment.cost, 2, 'the edited file is what is searched now');
  });

  it('stays right after many removals compact its tables', () => {
    const index = createCorpusIndex();
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push(addSource(index, `noise-${i}.txt`, distractor(i, 400)));
    const keep = addSource(index, 'keep.txt', 'He said "a timetable for the end of the mission of the advisers" on Thursday.');
    for (const id of ids.slice(0, 250)) index.remove(id);
    assert.ok(index.part(PassageIndex)!.words < 300 * 400 / 2);
    const found = find(index, 'a timetable for the end of the mission of the advisers');
    assert.equal(found[0]?.source.id, keep);
    assert.equal(found[0].start, index.get(keep)!.text.indexOf('a timetable'));
  });

  it('finds the parts of an elided quotation in order in one source, not across sources', () => {
    const index = createCorpusIndex();
    const a = addSource(index, 'a.txt', 'He said "we will rebuild the bridges and the schools of the north before winter comes" today.');
    addSource(index, 'b.txt', 'She said "nothing will stop the return of the families" then.');
    assert.equal(find(index, 'we will rebuild the bridges … before winter comes')[0]?.source.id, a);
    assert.deepEqual(find(index, 'we will rebuild the bridges … the return of the families'), [], 'parts from two sources are no quotation');
    assert.deepEqual(find(index, 'before winter comes … we will rebuild the bridges'), [], 'parts out of order are no quotation');
  });
});

describe('word alignment', () => {
  it('gives the same answer however many alignments ran before it', () => {
    const pattern = (codes: number[]) => ({ codes: Int32Array.from(codes), min: new Int32Array(codes.length), max: new Int32Array(codes.length) });
    // A long, costly alignment first leaves its numbers in the shared tables…
    align(pattern([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), Int32Array.from([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34]), 0, 15);
    // …which must not leak into the next one: an exact match anywhere in the source costs nothing.
    const found = align(pattern([5, 6, GAP, 9]), Int32Array.from([40, 41, 42, 5, 6, 7, 8, 9, 43, 44, 45, 46, 47, 48, 49, 50]), 0, 16);
    assert.equal(found.cost, 0);
    assert.equal(found.from, 3);
    assert.equal(found.to, 8);
  });

  it('counts a changed last word as changed, and restores left-out words before a matching last word', () => {
    const pattern = (codes: number[]) => ({ codes: Int32Array.from(codes), min: new Int32Array(codes.length), max: new Int32Array(codes.length) });
    const changed = align(pattern([1, 2, 3, 9]), Int32Array.from([1, 2, 3, 4, 5]), 0, 5, 3);
    assert.equal(changed.cost, 1);
    assert.deepEqual(changed.elements[3], { from: 3, to: 4, same: false });
    const elided = align(pattern([1, 2, 3, 9]), Int32Array.from([1, 2, 3, 4, 5, 9, 7]), 0, 7, 3);
    assert.equal(elided.cost, 2);
    assert.equal(elided.to, 6, 'the alignment reaches the last word, so the fix restores 4 5');
    const over = align(pattern([1, 2, 3, 9]), Int32Array.from([1, 2, 3, 4, 5, 9, 7]), 0, 7, 1);
    assert.equal(over.cost, 1, 'beyond the budget the cheaper alignment stands');
  });
});

describe('the passage index with common phrases', () => {
  it('finds the one source that puts phrases thousands of sources share in the quotation\'s order', () => {
    const index = createCorpusIndex();
    // Every source carries the same common phrases, three times over; only one carries them in this order.
    const phrases = ['one of the most', 'at the end of the day', 'in the middle of the', 'for the rest of the year'];
    const paragraph = (i: number) => `${phrases[i % 4]} ${phrases[(i + 1) % 4]} ${phrases[(i + 2) % 4]} and ${phrases[(i + 3) % 4]}, it was said.`;
    for (let i = 0; i < 1500; i++) addSource(index, `common-${i}.txt`, [paragraph(i), paragraph(i), paragraph(i)].join('\n\n'));
    const id = addSource(index, 'real.txt', 'He said "at the end of the day one of the most in the middle of the" today.');
    const found = find(index, 'at the end of the day one of the most in the middle of the');
    assert.equal(found[0]?.source.id, id);
    assert.equal(found[0].alignment.cost, 0);
  });
});

/** Words by the regular expression that defined them before the scanner: the specification the scanner keeps to. */
const REFERENCE_WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;

function viaScanner(text: string): Array<[number, number, string]> {
  const out: Array<[number, number, string]> = [];
  const scanner = new WordScanner(text);
  while (scanner.next()) out.push([scanner.start, scanner.end, normalizeWord(text.slice(scanner.start, scanner.end))]);
  return out;
}

describe('the passage index reads words as the quotations are read', () => {
  it('splits and normalises source text exactly as the reference expression and tokenize do', async () => {
    const sample = await sampleIndex();
    const tricky = "Iraq's IRAQ’S naïve Naïve 2,500 2.5 1,000,000 rock 'n' roll '90s U.S.-led al-Sudani Ünïcödé ʼokina 12\" ... — “curly” «guillemets» 日本語 ١٢٣ x\u0301";
    const texts = [...[...sample.all()].map((s) => s.text), tricky];
    for (const text of texts) {
      const viaTokenize = tokenize(text).map((t) => [t.start, t.end, t.norm]);
      const viaReference = [...text.matchAll(REFERENCE_WORD)].map((m) => [m.index, m.index + m[0].length, normalizeWord(m[0])]);
      assert.deepEqual(viaScanner(text), viaReference);
      assert.deepEqual(viaTokenize, viaReference);
    }
  });
});

describe('the word scanner hashes the words it reads', () => {
  it('gives each word the hash of its units, whatever characters it holds', async () => {
    const sample = await sampleIndex();
    const tricky = "Iraq's IRAQ’S naïve 2,500 2.5 1,000,000 rock 'n' roll U.S.-led Ünïcödé ʼokina 日本語 ١٢٣ x\u0301 𝐀𝐁c 𝟗9 a\ud800b \udc00z e\u0301\u0301";
    for (const text of [...[...sample.all()].map((s) => s.text), tricky]) {
      const scanner = new WordScanner(text);
      let words = 0;
      while (scanner.next()) {
        words++;
        if (scanner.hash !== wordHash(text, scanner.start, scanner.end)) assert.fail(`the hash of ${JSON.stringify(text.slice(scanner.start, scanner.end))} differs`);
      }
      assert.ok(words > 5);
    }
    assert.notEqual(wordHash('Iraq'), wordHash('iraq'), 'spellings differ by case');
  });
});

describe('the passage index points at the words it found', () => {
  it('gives the offsets of the found words in the source text, front matter and curly marks included', () => {
    const index = createCorpusIndex();
    const text = '---\ntitle: Talks\n---\nOn Friday, the minister said: \u201cIraq\u2019s   forces will\nleave by 2,500 days.\u201d Then he left.';
    const id = addSource(index, 'with-front-matter.md', text);
    for (let i = 0; i < 100; i++) addSource(index, `noise-${i}.txt`, distractor(i, 200));
    for (let round = 0; round < 2; round++) {
      // The second round reads the offsets again after other sources were found in between.
      const found = find(index, 'Iraq’s forces will leave by 2,500 days')[0];
      assert.equal(found?.source.id, id);
      const source = found.source;
      assert.equal(source.text.slice(found.start, found.end), 'Iraq\u2019s   forces will\nleave by 2,500 days');
      const words: string[] = [];
      for (let i = found.alignment.from; i < found.alignment.to; i++) words.push(source.text.slice(found.wordStart(i), found.wordEnd(i)));
      assert.deepEqual(words, ['Iraq\u2019s', 'forces', 'will', 'leave', 'by', '2,500', 'days']);
      find(index, 'the government said that forces', 3);
    }
  });
});

describe('the passage index through a reload', () => {
  it('empties at once when the corpus is cleared, then indexes afresh', () => {
    const index = createCorpusIndex();
    for (let i = 0; i < 400; i++) addSource(index, `noise-${i}.txt`, distractor(i, 300));
    const part = index.part(PassageIndex)!;
    index.clear();
    assert.equal(part.words, 0);
    assert.deepEqual(find(index, 'the government said that forces', 2), []);
    const id = addSource(index, 'after.txt', 'He said "the reload left nothing stale behind" today.');
    assert.equal(find(index, 'the reload left nothing stale behind')[0]?.source.id, id);
  });
});
