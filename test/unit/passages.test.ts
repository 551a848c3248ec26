/** The passage index: finding a quotation's words among many sources, and staying right as sources come and go. */
import * as assert from 'node:assert/strict';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { createCorpusIndex } from '../../server/src/core/index/parts';
import { PassageIndex } from '../../server/src/core/index/passages';
import { readPattern } from '../../server/src/core/match/pattern';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';

function addSource(index: CorpusIndex, name: string, text: string): string {
  const id = `file:///corpus/${name}`;
  const { source } = parseSource({ id, relativePath: name, bytes: new TextEncoder().encode(text) });
  index.upsert(source!);
  return id;
}

function find(index: CorpusIndex, quote: string, maxCost = 0) {
  return index.part(PassageIndex)!.find(readPattern(quote), maxCost);
}

// A deterministic stream of plausible words, so distractor sources share the vocabulary of the real ones.
const VOCABULARY = 'the government said that forces coalition will end presence of international iraq security talks minister prime in on and to a for with its has been said'.split(' ');
function distractor(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x ^ (x >>> 13), 1103515245) + 12345) >>> 0;
    out.push(VOCABULARY[x % VOCABULARY.length]);
  }
  return out.join(' ') + '.';
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
