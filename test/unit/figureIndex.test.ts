/**
 * The figure index's columnar form: it files the same sentences under the same words as the reading it replaced
 * (kept below as the reference), answers the same after a snapshot round trip, and keeps doing so through removes,
 * adds and compactions after a restore.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { sampleIndex } from '../fixtures/figures/sampleIndex';
import { CorpusIndex, type PartSnapshot } from '../../server/src/core/index/corpusIndex';
import { Int32Pieces, joinPieces } from '../../server/src/core/index/snapshotPieces';
import { FigureIndex, type SourceFigure } from '../../server/src/core/index/figureIndex';
import { NUMBERISH } from '../../server/src/core/figures/recognize';
import { contentKeys, headVariants, readSentenceFigures } from '../../server/src/core/figures/read';
import { parseSource } from '../../server/src/core/sources/parseSource';
import type { Sentence, Source } from '../../server/src/core/types';

// ---- The reference: the figure index as it was before it became columnar (maps of objects, regular expressions). ----

const REACH = 60;
const NUMBERISH_ALL = new RegExp(NUMBERISH.source, 'gi');
const DIGIT = /\d/;
const NUMBER_WORD = new RegExp(NUMBERISH.source.replace(/^\\d\|/, ''), 'i');

function referenceWindows(text: string, start: number, end: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const sentence = text.slice(start, end);
  if (!DIGIT.test(sentence) && !NUMBER_WORD.test(sentence)) return out;
  NUMBERISH_ALL.lastIndex = 0;
  for (let m = NUMBERISH_ALL.exec(sentence); m; m = NUMBERISH_ALL.exec(sentence)) {
    let from = Math.max(0, m.index - REACH);
    let to = Math.min(sentence.length, m.index + m[0].length + REACH);
    while (from > 0 && /\S/.test(sentence[from - 1])) from--;
    while (to < sentence.length && /\S/.test(sentence[to])) to++;
    const last = out[out.length - 1];
    if (last && start + from <= last.end) last.end = start + to;
    else out.push({ start: start + from, end: start + to });
    NUMBERISH_ALL.lastIndex = Math.max(NUMBERISH_ALL.lastIndex, to);
  }
  return out;
}

class ReferenceFigureIndex {
  private readonly sentences = new Map<number, { source: Source; sentence: Sentence }>();
  private readonly bySource = new Map<string, number[]>();
  private readonly postings = new Map<string, number[]>();
  private nextId = 0;
  private stale = 0;
  private live = 0;

  add(source: Source): void {
    const ids: number[] = [];
    for (const sentence of source.sentences) {
      const spans = referenceWindows(source.text, sentence.start, sentence.end);
      if (spans.length === 0) continue;
      const id = this.nextId++;
      this.sentences.set(id, { source, sentence });
      ids.push(id);
      for (const span of spans) {
        contentKeys(source.text, span.start, span.end, (key) => {
          let list = this.postings.get(key);
          if (!list) this.postings.set(key, (list = []));
          if (list[list.length - 1] !== id) list.push(id);
        });
      }
    }
    this.bySource.set(source.id, ids);
    this.live += ids.length;
  }

  remove(source: Source): void {
    const ids = this.bySource.get(source.id);
    if (!ids) return;
    for (const id of ids) this.sentences.delete(id);
    this.bySource.delete(source.id);
    this.live -= ids.length;
    this.stale += ids.length;
    if (this.stale > Math.max(1000, this.live)) {
      for (const [word, list] of this.postings) {
        const kept = list.filter((id) => this.sentences.has(id));
        if (kept.length) this.postings.set(word, kept);
        else this.postings.delete(word);
      }
      this.stale = 0;
    }
  }

  get size(): number {
    return this.live;
  }

  candidates(words: Map<string, number>, required: string[] | undefined, limit: number): number[] {
    const allowed = required ? new Set(required.flatMap((k) => this.postings.get(k) ?? [])) : undefined;
    if (allowed && allowed.size === 0) return [];
    const common = Math.max(200, this.live * 0.005);
    const scores = new Map<number, number>();
    const vote = (list: number[], weight: number) => {
      const rarity = 1 / Math.log2(2 + list.length);
      for (const id of list) {
        if (allowed && !allowed.has(id)) continue;
        scores.set(id, (scores.get(id) ?? 0) + weight * rarity);
      }
    };
    const skipped: Array<{ list: number[]; weight: number }> = [];
    for (const [word, weight] of words) {
      const list = this.postings.get(word);
      if (!list) continue;
      if (list.length > common) skipped.push({ list, weight });
      else vote(list, weight);
    }
    // Only common words: the two least common still rank.
    if (scores.size === 0) for (const { list, weight } of skipped.sort((a, b) => a.list.length - b.list.length).slice(0, 2)) vote(list, weight);
    const ranked = [...scores.entries()].filter(([id]) => this.sentences.has(id));
    ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const out = ranked.slice(0, limit).map(([id]) => id);
    if (allowed && out.length < limit && allowed.size <= common) {
      for (const id of allowed) {
        if (out.length >= limit) break;
        if (!scores.has(id) && this.sentences.has(id)) out.push(id);
      }
    }
    return out;
  }

  figuresOf(id: number): SourceFigure[] {
    const entry = this.sentences.get(id);
    if (!entry) return [];
    return readSentenceFigures(entry.source.text, entry.sentence).map((f) => ({ ...f, source: entry.source, sentence: entry.sentence }));
  }
}

// ---- Helpers ----

interface Query {
  words: Map<string, number>;
  required?: string[];
}

/** The questions a draft would ask: each source figure's context, with and without its counted thing required, and each word alone. */
function queriesFrom(sources: Iterable<Source>): Query[] {
  const queries: Query[] = [];
  const keys = new Set<string>();
  for (const source of sources) {
    for (const sentence of source.sentences) {
      for (const figure of readSentenceFigures(source.text, sentence)) {
        queries.push({ words: figure.context });
        if (figure.head) queries.push({ words: figure.context, required: headVariants(figure.head) });
      }
      contentKeys(source.text, sentence.start, sentence.end, (key) => keys.add(key));
    }
  }
  for (const key of keys) queries.push({ words: new Map([[key, 1]]) }, { words: new Map([[key, 1]]), required: [key] });
  return queries;
}

type Answering = Pick<ReferenceFigureIndex, 'candidates' | 'figuresOf' | 'size'>;

/** A figure as a user sees it (where, what, about what, from which source), without object identities. */
function plainFigure(f: SourceFigure): unknown {
  return {
    start: f.start,
    end: f.end,
    text: f.text,
    value: f.value,
    high: f.high,
    unit: f.unit,
    qualifier: f.qualifier,
    head: f.head,
    headText: f.headText,
    context: [...f.context],
    places: f.places,
    names: f.names,
    timeFrame: f.timeFrame,
    source: f.source.id,
    sentence: { start: f.sentence.start, end: f.sentence.end, paragraph: f.sentence.paragraph },
  };
}

/** Asserts that two indexes give the same candidates (same order) and the same figures for every query. */
function assertSameAnswers(actual: Answering, expected: Answering, queries: Query[], what: string): void {
  assert.equal(actual.size, expected.size, `${what}: number of sentences with a number`);
  let answered = 0;
  for (const query of queries) {
    for (const limit of [5, 40, 100_000]) {
      const got = actual.candidates(query.words, query.required, limit);
      const want = expected.candidates(query.words, query.required, limit);
      assert.deepEqual(got, want, `${what}: candidates for ${[...query.words.keys()].join(' ')} (required ${query.required?.join('/') ?? 'none'}, limit ${limit})`);
      answered += got.length;
    }
  }
  assert.ok(answered > 0, `${what}: the queries found sentences`);
  for (let id = 0; id < expected.size + 50; id++) {
    assert.deepEqual(actual.figuresOf(id).map(plainFigure), expected.figuresOf(id).map(plainFigure), `${what}: figures of sentence ${id}`);
  }
}

function roundTrip(index: FigureIndex, sourceOf: (id: string) => Source | undefined): FigureIndex {
  const snapshot = v8.deserialize(v8.serialize(joinPieces(index.snapshot()))) as PartSnapshot;
  const restored = new FigureIndex();
  restored.restore(snapshot, sourceOf);
  return restored;
}

function parsed(id: string, text: string): Source {
  const { source } = parseSource({ id: `file:///synthetic/${id}.txt`, relativePath: `${id}.txt`, bytes: Buffer.from(text, 'utf8') });
  assert.ok(source, `${id} parses`);
  return source as Source;
}

/** Sentences that test where a number starts and ends, which words stand near it, and how "U.S." and "Washington" are filed. */
const TRICKY = [
  'Two soldiers were hurt. The attack was often described as intense; ten people fled.',
  'TWENTY-five militiamen, a dozen civilians and dozens of fighters crossed the border at dawn.',
  'The F-16 and the COVID-19 wards held 2,500 American troops in Iraq and about 900 in Syria.',
  'Washington keeps about 900 troops in Syria, the U.S. said; the United States denied it.',
  'George Washington had nothing to do with the 300 Spanish soldiers stationed near Baghdad’s airport.',
  'Nearly half of the 1.2 million residents, a third of the workers and a quarter of the pupils left.',
  'Its_two handlers and xtwo agents and twoX were counted with the other señores, éten and ten°.',
  'A very long sentence begins here and runs on and on through many words that say nothing at all about anything counted, ' +
    'until at last it mentions 130 attacks on bases, and then runs on again through many more words that describe nothing, ' +
    'before ending with another figure: 103 drone strikes since October 17.',
  'Thousands gathered;\u00a0fifteen\u00a0hundred marched, and\tsixty\tremained overnight at the square.',
  'The ministry’s spokesman, who declined to be named, said seventeen were killed and eighty-three injured.',
  'Reconstruction-related appropriations reached $30bn, internationally-recognised estimates said, with 4,000 contractors.',
  'Nothing numeric here at all, only words about the weather and the harvest.',
];

describe('figure index: the same sentences under the same words as the reference reading', () => {
  it('answers every query on the sample corpus as the reference does', () => {
    const index = sampleIndex();
    const sources = [...index.all()];
    const reference = new ReferenceFigureIndex();
    for (const source of sources) reference.add(source);
    const figures = index.part(FigureIndex)!;
    assert.ok(figures.size > 20, 'the sample corpus has sentences with numbers');
    assertSameAnswers(figures, reference, queriesFrom(sources), 'sample corpus');
  });

  it('finds numbers, words near them and the names of the US in tricky sentences as the reference does', () => {
    const sources = TRICKY.map((text, i) => parsed(`tricky-${i}`, text));
    // Also all in one source, so sentences meet their neighbours.
    sources.push(parsed('tricky-all', TRICKY.join('\n\n')));
    const index = new FigureIndex();
    const reference = new ReferenceFigureIndex();
    for (const source of sources) {
      index.add(source);
      reference.add(source);
    }
    assertSameAnswers(index, reference, queriesFrom(sources), 'tricky sentences');
    // The ones a user would look for: a spelled-out count at a sentence start, the US by three names, a word far along a long sentence.
    const find = (word: string) => index.candidates(new Map([[word, 1]]), undefined, 100).flatMap((id) => index.figuresOf(id)).map((f) => f.text);
    assert.ok(find('soldier').includes('Two'));
    assert.ok(find('us').includes('about 900'));
    assert.ok(find('drone').includes('103'));
    assert.equal(find('weather').length, 0, 'a sentence without a number is not indexed');
  });
});

describe('figure index: snapshot and restore', () => {
  it('answers every query the same after a snapshot, a v8 round trip and a restore', () => {
    const index = sampleIndex();
    const figures = index.part(FigureIndex)!;
    const restored = roundTrip(figures, (id) => index.get(id));
    assertSameAnswers(restored, figures, queriesFrom(index.all()), 'restored sample corpus');
  });

  it('is plain data: typed arrays (whole or in pieces), numbers and strings', () => {
    const snapshot = sampleIndex().part(FigureIndex)!.snapshot();
    for (const [field, value] of Object.entries(snapshot)) {
      const plain =
        typeof value === 'number' ||
        value instanceof Int32Array ||
        (value instanceof Int32Pieces && value.pieces.every((piece) => piece instanceof Int32Array)) ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string'));
      assert.ok(plain, `${field} is plain data`);
    }
  });

  it('reads no source while restoring, and only the source a query needs afterwards', () => {
    const index = sampleIndex();
    const asked: string[] = [];
    const restored = roundTrip(index.part(FigureIndex)!, (id) => {
      asked.push(id);
      return index.get(id);
    });
    assert.deepEqual(asked, []);
    const [first] = restored.candidates(new Map([['attack', 1]]), undefined, 1);
    assert.ok(first !== undefined);
    assert.ok(restored.figuresOf(first).length > 0);
    assert.equal(new Set(asked).size, 1);
  });

  it('keeps a source whatever its id, even an empty one, through a restore and its removal', () => {
    const source = { ...parsed('unnamed', TRICKY[3]), id: '' };
    const index = new FigureIndex();
    index.add(source);
    const restored = roundTrip(index, (id) => (id === '' ? source : undefined));
    for (const target of [index, restored]) {
      const found = target.candidates(new Map([['troop', 1]]), undefined, 10);
      assert.equal(found.length, 1);
      assert.equal(target.figuresOf(found[0])[0].text, 'about 900');
      target.remove(source);
      assert.deepEqual(target.candidates(new Map([['troop', 1]]), undefined, 10), []);
      assert.equal(target.size, 0);
    }
  });

  it('refuses a snapshot of another shape or a damaged one with a clear message, and stays empty', () => {
    const snapshot = sampleIndex().part(FigureIndex)!.snapshot();
    const postings = snapshot.postings as Int32Array;
    const damaged: Array<[PartSnapshot, RegExp]> = [
      [{ ...snapshot, version: 99 }, /figure index snapshot: version 99/],
      [{ ...snapshot, postings: postings.subarray(1) }, /figure index snapshot: .* postings where the words count/],
      [{ ...snapshot, postings: Int32Array.from(postings, (id, i) => (i === 0 ? 1 << 30 : id)) }, /a posting of no sentence/],
      [{ ...snapshot, sentenceEnd: new Uint32Array(1) }, /sentenceEnd is not an Int32Array/],
      [{ ...snapshot, keys: 'soldier' }, /keys is not a list of strings/],
    ];
    for (const [bad, message] of damaged) {
      const index = new FigureIndex();
      assert.throws(() => index.restore(bad, () => undefined), message);
      assert.equal(index.size, 0);
      assert.deepEqual(index.candidates(new Map([['attack', 1]]), undefined, 10), []);
    }
  });

  it('removes, re-adds and changes sources after a restore as the original index does', () => {
    const corpus = sampleIndex();
    const sources = [...corpus.all()];
    const original = new FigureIndex();
    const reference = new ReferenceFigureIndex();
    for (const source of sources) {
      original.add(source);
      reference.add(source);
    }
    const restored = roundTrip(original, (id) => corpus.get(id));
    // One source re-read with a changed figure, one removed, one new.
    const changedText = sources[1].text.replace(/\b100\b/, '140') + '\n\nA late update said 250 more troops arrived in Erbil.';
    const changed = parsed('changed', changedText);
    const extra = parsed('extra', TRICKY.join('\n\n'));
    for (const target of [original, restored, reference]) {
      target.remove(sources[1]);
      target.remove(sources[3]);
      target.add(changed);
      target.add(extra);
      target.add(sources[3]);
    }
    const queries = queriesFrom([...sources, changed, extra]);
    assertSameAnswers(restored, reference, queries, 'restored, then changed');
    assertSameAnswers(original, reference, queries, 'built, then changed');
    // And a snapshot taken after the changes restores too, with a source added and removed since the last one.
    const lookup = new Map([...sources, changed, extra].map((s) => [s.id, s]));
    for (const target of [restored, reference]) target.remove(extra);
    assertSameAnswers(roundTrip(restored, (id) => lookup.get(id)), reference, queries, 'restored twice');
  });

  it('keeps answering as the reference through compactions, before and after a restore', () => {
    const texts = Array.from({ length: 60 }, (_, i) =>
      Array.from({ length: 30 }, (_, j) => `Report ${i}: about ${100 + j * 7} soldiers and ${j + 2} tanks reached sector ${String.fromCharCode(65 + (j % 26))}lpha on day ${j + 1} of week ${i % 7}.`).join(' '),
    );
    const sources = texts.map((text, i) => parsed(`bulk-${i}`, text));
    const lookup = new Map(sources.map((s) => [s.id, s]));
    let index = new FigureIndex();
    const reference = new ReferenceFigureIndex();
    const queries = queriesFrom(sources.slice(0, 3)).slice(0, 300);
    for (const [n, source] of sources.entries()) {
      index.add(source);
      reference.add(source);
      // Queries between adds: the first ones lay the postings out compactly, later adds are chained on top.
      if (n === 30 || n === 45) assertSameAnswers(index, reference, queries.slice(0, 60), `after ${n + 1} sources`);
    }
    // 50 sources of 30 sentences removed: more dead sentences than live ones, so the postings are compacted.
    for (const [n, source] of sources.slice(0, 50).entries()) {
      index.remove(source);
      reference.remove(source);
      if (n === 20) index = roundTrip(index, (id) => lookup.get(id));
    }
    assertSameAnswers(index, reference, queries, 'after compaction');
    for (const source of sources.slice(0, 10)) {
      index.add(source);
      reference.add(source);
    }
    assertSameAnswers(roundTrip(index, (id) => lookup.get(id)), reference, queries, 're-added after compaction, restored');
  });
});

describe('figure index: the benchmark corpus (when it has been built)', () => {
  const root = path.resolve(__dirname, '..', '..', '.cache', 'bench', 'corpus-full');

  it('answers as the reference does on 200 benchmark articles, built and restored', function () {
    if (!fs.existsSync(root)) {
      this.skip(); // `npm run bench` builds it; the sample-corpus tests above cover the same ground.
    }
    this.timeout(120_000);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (files.length >= 200) return;
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else files.push(file);
      }
    };
    walk(root);
    const corpus = new CorpusIndex();
    const index = corpus.addPart(new FigureIndex());
    const reference = new ReferenceFigureIndex();
    for (const file of files) {
      const { source } = parseSource({ id: `file://${file}`, relativePath: path.relative(root, file), bytes: fs.readFileSync(file) });
      if (source) reference.add(corpus.upsert(source));
    }
    const queries = queriesFrom(corpus.all()).filter((_, i) => i % 11 === 0);
    assertSameAnswers(index, reference, queries, 'benchmark articles');
    assertSameAnswers(roundTrip(index, (id) => corpus.get(id)), reference, queries, 'benchmark articles, restored');
  });
});
