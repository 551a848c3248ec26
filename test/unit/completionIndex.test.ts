/**
 * The completion index taken to plain data and back: a restored part answers
 * every completion as the part it was taken from, and goes on adding and
 * removing sources exactly as that part does (compaction included).
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { createService } from '../../server/src/core/service';
import { CorpusIndex, type PartSnapshot } from '../../server/src/core/index/corpusIndex';
import { joinPieces, LazyBytes, StringPieces } from '../../server/src/core/index/snapshotPieces';
import { CompletionIndex, figureCandidates as figureCandidatesOf, nameSkeleton } from '../../server/src/core/index/completionIndex';
import { packSource, spansOfPacked, type StoredSource } from '../../server/src/core/index/storedSource';
import { FigureIndex, sentenceNumberWindows } from '../../server/src/core/index/figureIndex';
import { parseSource } from '../../server/src/core/sources/parseSource';
import type { Source } from '../../server/src/core/types';
import { tokenize } from '../../server/src/core/text';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';

/** A corpus index whose completion part is `part` (the sources are the index's own, so both see every change). */
function withPart(index: CorpusIndex, part: CompletionIndex): CorpusIndex {
  return Object.create(index, {
    part: { value: (kind: unknown) => (kind === CompletionIndex ? part : index.part(kind as never)) },
  }) as CorpusIndex;
}

/** `part`'s snapshot after a trip through the v8 serializer (as the on-disk index file takes it), restored into a new part. */
function roundTrip(part: CompletionIndex, index: CorpusIndex): CompletionIndex {
  const snapshot = v8.deserialize(v8.serialize(joinPieces(part.snapshot()))) as PartSnapshot;
  const restored = new CompletionIndex();
  restored.restore(snapshot, (id) => index.get(id));
  return restored;
}

let version = 0;

/** Every completion (labels, edits, details, documentation, order) for drafts typed towards what `sources` hold. */
function answers(index: CorpusIndex, sources: Source[]): string {
  const service = createService({ index });
  const drafts: string[] = [];
  for (const source of sources) {
    for (const quote of source.quotes.slice(0, 3)) {
      const words = source.text.slice(quote.start, quote.end).split(/\s+/).filter(Boolean);
      drafts.push(`He said "${words.slice(0, 2).join(' ')}`, `He said "${words.slice(1, 4).join(' ').slice(0, -1)}`);
    }
    for (const name of source.names.slice(0, 3)) drafts.push(`It came from ${name.text.slice(0, 4)}`);
    drafts.push(`As reported [@${source.key.slice(0, 3)}`);
  }
  for (const typed of ['1', '2,5', '10', '4,3', '13', 'troo', 'peop', 'pige', 'attack', 'kill']) drafts.push(`There were ${typed}`);
  const out = drafts.map((text) => service.completions({ id: 'file:///d.md', version: ++version, text, languageId: 'markdown' }, text.length));
  return JSON.stringify(out);
}

function parse(id: string, text: string): ReturnType<typeof parseSource>['source'] {
  return parseSource({ id, relativePath: id.replace('file:///', ''), bytes: new TextEncoder().encode(text) }).source;
}

/** Synthetic reports (quotations with speakers, names spelled several ways, figures) and a few transcripts. */
function synthetic(n: number, seed: number): Array<NonNullable<ReturnType<typeof parseSource>['source']>> {
  const outlets = ['Reuters', 'Xinhua', 'Al Jazeera', 'The Guardian'];
  const names = ["Mohammed Shia' al-Sudani", 'Muhammad Shiaa Al-Sudani', 'Pedro Sanchez', 'Zhang Kaiwei', 'Adrian Watson'];
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = (i * 7 + seed) % 97;
    const transcript = i % 9 === 0;
    const front = `---\ntitle: Report ${i}\noutlet: ${outlets[i % outlets.length]}\ndate: 2024-0${1 + (i % 9)}-1${i % 10}\n${transcript ? `type: transcript\nspeaker: ${names[i % names.length]}\n` : ''}---\n\n`;
    const body = [
      `${names[k % names.length]} said "the talks on troop number ${k} will continue until spring" on Tuesday.`,
      `"We appreciate the role of partner ${k % 13} in supporting the efforts," added ${names[(k + 1) % names.length]}.`,
      `About ${1000 + k * 37} American soldiers and ${k % 20} advisers remain, while ${k + 3} attacks targeted bases in ${2000 + (k % 24)}.`,
      `Officials said "${['nothing', 'everything', 'little'] [k % 3]} has changed since the ${k}th meeting" and two people were injured.`,
      `Thirty civilians left; "a second quotation ${k % 5} here" and "a third one about ${k} pigeons" followed.`,
      transcript ? `We will keep ${k} advisers in the region for now. The ministry counts ${k * 3} strikes this year.` : '',
    ].join('\n\n');
    out.push(parse(`file:///synthetic/${seed}/${i}.md`, front + body)!);
  }
  return out;
}

describe('completion index snapshot', () => {
  it('answers every completion the same after a snapshot is restored, on the sample corpus', async function () {
    this.timeout(60_000);
    const index = await sampleIndex();
    const part = index.part(CompletionIndex)!;
    const restored = roundTrip(part, index);
    restored.prepare();
    const sources = [...index.all()];
    const before = answers(index, sources);
    assert.ok(JSON.parse(before).some((items: unknown[]) => items.length > 0));
    assert.equal(answers(withPart(index, restored), sources), before);
    // The objects lookups hand out are the same too.
    for (let id = 0; part.passage(id); id++) assert.deepEqual(restored.passage(id), part.passage(id));
    assert.deepEqual([...restored.nameGroups()], [...part.nameGroups()]);
    assert.deepEqual(restored.figuresByDigits('1', 500), part.figuresByDigits('1', 500));
  });

  it('after a restore adds and removes sources as the part it came from, through compaction', function () {
    this.timeout(60_000);
    const index = new CorpusIndex();
    const part = index.addPart(new CompletionIndex());
    const first = synthetic(300, 1);
    for (const source of first) index.upsert(source);
    let restored = roundTrip(part, index);
    const view = withPart(index, restored);
    const change = (remove: string[], add: typeof first) => {
      for (const id of remove) {
        const old = index.get(id)!;
        index.remove(id);
        restored.remove(old);
      }
      for (const parsed of add) {
        const old = index.get(parsed.id);
        const source = index.upsert(parsed);
        if (old) restored.remove(old);
        restored.add(source);
      }
    };
    // Most sources removed (compaction runs in both parts), others re-read with new wording, new ones added.
    change(
      first.filter((_, i) => i % 4 !== 0).map((s) => s.id),
      [parse(first[0].id, '---\ntitle: Changed\n---\n\nZhang Kaiwei wrote that "the weather was unusually mild" and 4,321 pigeons agreed.\n')!, ...synthetic(40, 2)],
    );
    const sources = [...index.all()];
    const expected = answers(index, sources);
    assert.equal(answers(view, sources), expected);
    const after = createService({ index: view });
    const at = (text: string) => after.completions({ id: 'd', version: ++version, text, languageId: 'plaintext' }, text.length);
    assert.equal(at('"the weather was unu')[0]?.edit.newText, 'the weather was unusually mild"');
    assert.equal(at('about 4,321')[0]?.edit.newText, '4,321');
    assert.ok(!at('"the talks on troop number 5 will').some((c) => c.detail?.includes('Report 5,')), 'a removed source is forgotten');

    // A snapshot of a restored part restores again, equal.
    restored = roundTrip(restored, index);
    assert.equal(answers(withPart(index, restored), sources), expected);
  });

  it('is plain data: typed arrays, numbers, strings (whole or in pieces) and records of them', async function () {
    this.timeout(60_000); // reading the corpus is slow only on a loaded machine
    const index = await sampleIndex();
    const check = (value: unknown, path: string): void => {
      if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return;
      if (value instanceof Int32Array || value instanceof Uint32Array || value instanceof Uint16Array || value instanceof Uint8Array || value instanceof Float64Array) return;
      if (Array.isArray(value)) {
        assert.ok(value.every((v) => typeof v === 'string'), `${path} is an array of strings`);
        return;
      }
      if (value instanceof LazyBytes) {
        for (const chunk of value.chunks()) assert.ok(chunk instanceof Uint8Array, `${path} is bytes made as written`);
        return;
      }
      if (value instanceof StringPieces) {
        for (let i = 0; i < value.length; i++) assert.equal(typeof value.at(i), 'string', `${path} is a string in pieces`);
        return;
      }
      assert.equal(Object.getPrototypeOf(value), Object.prototype, `${path} is a plain record`);
      for (const [key, v] of Object.entries(value as object)) check(v, `${path}.${key}`);
    };
    check(index.part(CompletionIndex)!.snapshot(), 'snapshot');
  });

  it('refuses a snapshot of another layout', () => {
    const part = new CompletionIndex();
    const snapshot = part.snapshot();
    assert.throws(() => new CompletionIndex().restore({ ...snapshot, version: 999 }, () => undefined), /version/);
  });
});

describe('completion index, reading text that is not indexed', () => {
  it('gives the normal forms tokenize gives, and a draft\u2019s own words never join the vocabulary', async function () {
    this.timeout(20000);
    const index = await sampleIndex();
    const part = index.part(CompletionIndex)!;
    const draft = 'Zorblatt\u2019s QUIXOTIC “Protesters” said 2,500.5 U.S.-led forces — iraq’s IRAQ\u2019S zorblatts';
    const expected = tokenize(draft).map((t) => t.norm);
    const wordsBefore = (part.snapshot().words as PartSnapshot).lengths;
    for (let round = 0; round < 2; round++) {
      assert.deepEqual([...part.normalWords(draft)], [...new Set(expected)]);
      assert.deepEqual(part.tokensOf(draft, 0, draft.length), tokenize(draft).map(({ norm, start, end }) => ({ norm, start, end })));
    }
    assert.deepEqual(part.wordsStartingWith('zorblatt', 10), []);
    assert.deepEqual(part.wordsStartingWith('quixotic', 10), []);
    assert.equal(part.passagesWith('zorblatt').length, 0);
    // The index's snapshot (what a warm start reads back) holds no more words than before.
    assert.deepEqual((part.snapshot().words as PartSnapshot).lengths, wordsBefore);
  });
});

describe('completion index, figures read with the parse', () => {
  it('files the same figures from what a parsing worker read of the numbers as from the source itself (completion and figure indexes)', async function () {
    this.timeout(20000);
    const sample = await sampleIndex();
    // The sample corpus, and a source of the figures that must be told apart: spelled, scaled, dates, times, years.
    const extra = parseSource({
      id: 'file:///extra.md',
      relativePath: 'extra.md',
      bytes: Buffer.from('On Dec. 28, 2023 at 13:44, officials said twelve soldiers and 2.5 million people, 1,200 US troops in Iraq and Syria, were counted; in 1998 three were.\n\nOne said “one hundred attacks” in 2020s reports.\n'),
    }).source!;
    const packedSources = [...[...sample.all()].map((source) => (source as StoredSource).data), packSource(extra)];
    const withHints = new CorpusIndex();
    const without = new CorpusIndex();
    for (const index of [withHints, without]) {
      index.addPart(new CompletionIndex());
      index.addPart(new FigureIndex());
    }
    let candidates = 0;
    for (const packed of packedSources) {
      const spans = spansOfPacked(packed);
      const figureCandidates = figureCandidatesOf(packed.text, packed.bodyStart, spans);
      const numberWindows = sentenceNumberWindows(packed.text, spans.body, spans.sentencesAt, spans.sentenceCount);
      candidates += figureCandidates.length + numberWindows.length;
      withHints.upsert(packed, { figureCandidates, numberWindows });
      without.upsert({ ...packed, body: packed.body.slice() });
    }
    assert.ok(candidates > 0);
    assert.deepEqual(v8.serialize(joinPieces(withHints.part(CompletionIndex)!.snapshot())), v8.serialize(joinPieces(without.part(CompletionIndex)!.snapshot())));
    assert.deepEqual(joinPieces(withHints.part(FigureIndex)!.snapshot()), joinPieces(without.part(FigureIndex)!.snapshot()));
    assert.ok(without.part(CompletionIndex)!.figuresByDigits('12', 10).some((f) => f.text === 'twelve'));
  });
});

describe('name skeletons', () => {
  /** The skeleton as first written, with regular expressions over Unicode classes. */
  function reference(name: string): string {
    const letters = name.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z\p{L}]/gu, '');
    if (!letters) return '';
    return (letters[0] + letters.slice(1).replace(/[aeiouyw]/g, '')).replace(/(.)\1+/g, '$1');
  }

  it('gives every name of the sample corpus and random names the skeleton of the reference steps', async function () {
    this.timeout(60_000);
    const index = await sampleIndex();
    const names = [...index.all()].flatMap((s) => s.names.map((n) => n.text));
    let seed = 5;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pieces = ['Mo', 'ha', 'mmed', 'Shia', "'", 'al-', 'Su', 'dani', ' ', 'W', 'y', 'AA', 'Ö', 'é', 'ß', '\u0301', '1', '_', 'Ω', 'bb', 'ee'];
    for (let i = 0; i < 3000; i++) {
      let name = '';
      for (let k = 1 + Math.floor(random() * 8); k > 0; k--) name += pieces[Math.floor(random() * pieces.length)];
      names.push(name);
    }
    for (const name of names) assert.equal(nameSkeleton(name), reference(name), name);
  });
});
