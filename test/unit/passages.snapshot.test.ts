/** The passage index written out as a snapshot and read back: the same answers, no source read, and still editable. */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { PassageIndex } from '../../server/src/core/index/passages';
import { readPattern } from '../../server/src/core/match/pattern';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';
import type { PartSnapshot } from '../../server/src/core/index/corpusIndex';
import type { Source } from '../../server/src/core/types';
import { distractor } from '../helpers/distractors';

function source(name: string, text: string): Source {
  const id = `file:///corpus/${name}`;
  const { source } = parseSource({ id, relativePath: name, bytes: new TextEncoder().encode(text) });
  return { ...source!, key: name };
}


/** A copy of `part` made the way a warm start makes it: snapshot, bytes and back, restore into a new part. */
function throughSnapshot(part: PassageIndex, sources: Map<string, Source>, looked: string[] = []): PassageIndex {
  const bytes = v8.serialize(part.snapshot());
  const restored = new PassageIndex();
  restored.restore(v8.deserialize(bytes) as PartSnapshot, (id) => {
    looked.push(id);
    return sources.get(id);
  });
  return restored;
}

/** Quotations as a writer would type them: as they stand, with a word changed, a word left out, a middle elided. */
function quotations(texts: string[]): string[] {
  const out: string[] = [];
  texts.forEach((text, n) => {
    const words = text.split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    out.push(words.join(' '));
    if (words.length >= 4) {
      const changed = words.slice();
      changed[n % words.length] = 'elsewhere';
      out.push(changed.join(' '));
      out.push([...words.slice(0, 2), ...words.slice(3)].join(' '));
    }
    if (words.length >= 10) out.push([...words.slice(0, 3), '…', ...words.slice(-3)].join(' '));
  });
  return out;
}

/** What a search answers, as plain data: which source, where, and the alignment word by word. */
function answers(part: PassageIndex, queries: string[]): unknown[] {
  return queries.flatMap((quote) => {
    const pattern = readPattern(quote);
    const words = pattern.filter((e) => e.kind === 'word').length;
    return [0, 2, Math.ceil(words / 3)].map((budget) =>
      part.find(pattern, budget, 12).map((m) => ({
        source: m.source.id,
        start: m.start,
        end: m.end,
        alignment: m.alignment,
        firstWord: m.alignment.to > m.alignment.from ? [m.wordStart(m.alignment.from), m.wordEnd(m.alignment.to - 1)] : [],
      })),
    );
  });
}

describe('the passage index through a snapshot', () => {
  it('finds every quotation and sentence of the sample corpus, edited or not, exactly as before', async () => {
    const corpus = await sampleIndex();
    const sources = new Map([...corpus.all()].map((s) => [s.id, s]));
    const part = corpus.part(PassageIndex)!;
    const texts = [...corpus.all()].flatMap((s) => [...s.quotes, ...s.sentences.slice(0, 40)].map((span) => s.text.slice(span.start, span.end)));
    const queries = quotations(texts);
    assert.ok(queries.length > 200, 'the sample corpus gives hundreds of quotations');
    const before = answers(part, queries);
    assert.ok(before.filter((a) => (a as unknown[]).length > 0).length > queries.length, 'most quotations are found');
    const restored = throughSnapshot(part, sources);
    assert.deepEqual(answers(restored, queries), before);
    assert.equal(restored.words, part.words);
  });

  it('reads no source while restoring, and looks up only the sources a search returns', () => {
    const part = new PassageIndex();
    const sources = new Map<string, Source>();
    for (let i = 0; i < 200; i++) {
      const s = source(`noise-${i}.txt`, distractor(i, 300));
      sources.set(s.id, s);
      part.add(s);
    }
    const real = source('real.txt', 'Officials met on Friday. "The government will end the presence of the coalition in Iraq by September," he said.');
    sources.set(real.id, real);
    part.add(real);
    const looked: string[] = [];
    const restored = throughSnapshot(part, sources, looked);
    assert.deepEqual(looked, [], 'restoring looks up no source');
    const found = restored.find(readPattern('will end the presence of the coalition in Iraq by September'), 0);
    assert.equal(found[0]?.source, real);
    assert.equal(real.text.slice(found[0].start, found[0].end), 'will end the presence of the coalition in Iraq by September');
    assert.deepEqual(looked, [real.id], 'only the source found is looked up');
  });

  it('removes, re-adds and compacts after a restore exactly as the index it was taken from', () => {
    const part = new PassageIndex();
    const sources = new Map<string, Source>();
    const add = (s: Source, ...parts: PassageIndex[]) => {
      sources.set(s.id, s);
      for (const p of parts) p.add(s);
    };
    for (let i = 0; i < 300; i++) add(source(`noise-${i}.txt`, distractor(i, 250)), part);
    add(source('a.txt', 'The minister said "we will stay the course in Baghdad this year" on Friday.'), part);
    add(source('b.txt', 'She said "talks will begin immediately with the coalition" at the forum.'), part);
    const restored = throughSnapshot(part, sources);
    // Long and short (the short ones are found through their rarest word, by the chains of docs by word).
    const queries = ['talks will begin immediately with the coalition', 'we will stay the course in Baghdad', 'hostile acts against the state', 'the government said that forces will end', 'forces coalition will end', 'hostile acts', 'Baghdad', 'immediately with'];
    const both = [part, restored];

    // One file edited: removed and added again with other words.
    const b = sources.get('file:///corpus/b.txt')!;
    for (const p of both) p.remove(b);
    add(source('b.txt', 'She said "talks will begin next month with the coalition" at the forum. He called it "hostile acts against the state".'), ...both);
    assert.deepEqual(answers(restored, queries), answers(part, queries));
    assert.equal(restored.find(readPattern('talks will begin immediately with the coalition'), 3)[0]?.alignment.cost, 2, 'the edited file is what is searched');
    assert.equal(restored.find(readPattern('hostile acts'), 0)[0]?.source.id, 'file:///corpus/b.txt', 'a short quotation is found in the re-added file');

    // Most files deleted: the tables are compacted, and a new file is indexed after that.
    for (let i = 0; i < 250; i++) for (const p of both) p.remove(sources.get(`file:///corpus/noise-${i}.txt`)!);
    add(source('c.txt', 'A spokesman said "the advisers will leave by the end of the year" in a statement.'), ...both);
    assert.ok(restored.words < 100 * 250, 'removed files no longer count');
    assert.equal(restored.words, part.words);
    assert.deepEqual(answers(restored, [...queries, 'the advisers will leave by the end of the year']), answers(part, [...queries, 'the advisers will leave by the end of the year']));

    // And a snapshot of the restored, edited index restores again.
    const again = throughSnapshot(restored, sources);
    assert.deepEqual(answers(again, queries), answers(part, queries));
  });

  it('restores an empty index that then indexes as a new one', () => {
    const restored = throughSnapshot(new PassageIndex(), new Map());
    assert.deepEqual(restored.find(readPattern('anything at all'), 1), []);
    const s = source('new.txt', 'He said "the reload left nothing stale behind" today.');
    restored.add(s);
    assert.equal(restored.find(readPattern('the reload left nothing stale behind'), 0)[0]?.source, s);
  });

  it('keeps words of any length apart, a run of 70,000 letters (page debris) among them', () => {
    const part = new PassageIndex();
    const sources = new Map<string, Source>();
    const long = 'x'.repeat(70_000);
    const texts = [`Debris ${long} then "the convoy reached the border at dawn" he said.`, `Other ${long}y then "the convoy reached the border at dusk" she said.`, `${'y'.repeat(0xffff)} "the convoy turned back" they said.`];
    texts.forEach((text, i) => {
      const s = source(`long-${i}.txt`, text);
      sources.set(s.id, s);
      part.add(s);
    });
    const restored = throughSnapshot(part, sources);
    for (const p of [part, restored]) {
      assert.equal(p.find(readPattern(`${long} then the convoy reached the border at dawn`), 0)[0]?.source.id, 'file:///corpus/long-0.txt');
      assert.equal(p.find(readPattern(`${long}y then the convoy reached the border at dusk`), 0)[0]?.source.id, 'file:///corpus/long-1.txt', 'one letter more is another word');
      assert.equal(p.find(readPattern(`${'y'.repeat(0xffff)} the convoy turned back`), 0)[0]?.source.id, 'file:///corpus/long-2.txt');
      assert.deepEqual(p.find(readPattern(`${'y'.repeat(0xfffe)} the convoy turned back`), 0), [], 'one letter fewer is another word');
    }
  });

  it('refuses a snapshot of another layout or a damaged one with a clear message', () => {
    const part = new PassageIndex();
    part.add(source('a.txt', 'Some words to index here.'));
    const snapshot = part.snapshot();
    assert.throws(() => new PassageIndex().restore({ ...snapshot, version: 999 }, () => undefined), /passage index snapshot has version 999/);
    assert.throws(() => new PassageIndex().restore({ ...snapshot, buckets: new Int32Array(3) }, () => undefined), /passage index snapshot has tables of the wrong size/);
    assert.throws(() => new PassageIndex().restore({ ...snapshot, docSlab: 'x' }, () => undefined), /passage index snapshot has no docSlab/);
    assert.throws(() => new PassageIndex().restore({ ...snapshot, docOffset: new Int32Array([1e9]) }, () => undefined), /passage index snapshot has a malformed doc/);
    assert.throws(() => new PassageIndex().restore({ ...snapshot, vocabulary: null }, () => undefined), /table of words is missing/);
  });
});
