import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { CorpusIndex, type IndexSnapshot } from '../../server/src/core/index/corpusIndex';
import { packSource, StoredSource } from '../../server/src/core/index/storedSource';
import { int32Of, joinPieces, stringOf } from '../../server/src/core/index/snapshotPieces';
import { parseSource, type ParsedSource } from '../../server/src/core/sources/parseSource';
import type { Source } from '../../server/src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.join(ROOT, 'corpus');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'sources');

function parsedFile(folder: string, name: string): ParsedSource {
  const parsed = parseSource({ id: `file:///${name}`, relativePath: name, bytes: fs.readFileSync(path.join(folder, name)) }).source;
  assert.ok(parsed, name);
  return parsed;
}

const sampleSources = () =>
  fs
    .readdirSync(CORPUS)
    .filter((f) => /\.(txt|md|html?)$/.test(f))
    .map((f) => parsedFile(CORPUS, f));

/** Everything a feature reads of a source, as plain data. */
function view(s: Source) {
  return {
    id: s.id,
    relativePath: s.relativePath,
    meta: s.meta,
    metaOrigin: s.metaOrigin,
    problems: s.problems,
    bodyStart: s.bodyStart,
    text: s.text,
    fileText: s.fileText,
    paragraphs: s.paragraphs.map((p) => ({ ...p })),
    sentences: s.sentences.map((p) => ({ ...p })),
    quotes: s.quotes.map((p) => ({ ...p })),
    names: s.names.map((p) => ({ ...p })),
  };
}

/** A snapshot after a trip through bytes, as the host writes and reads it. */
function roundTrip(snapshot: IndexSnapshot): IndexSnapshot {
  const texts = Array.from({ length: snapshot.sources.texts.length }, (_, i) => snapshot.sources.texts.at(i));
  const fileTexts = Array.from({ length: snapshot.sources.fileTexts.length }, (_, i) => snapshot.sources.fileTexts.at(i));
  const copy = deserialize(serialize(joinPieces({ ...snapshot, sources: { ...snapshot.sources, texts, fileTexts } }))) as IndexSnapshot & {
    sources: { texts: string[]; fileTexts: Array<string | undefined> };
  };
  const read: number[] = [];
  const column = (values: Array<string | undefined>) => ({
    length: values.length,
    at: (i: number) => {
      read.push(i);
      return values[i];
    },
  });
  return { ...copy, sources: { ...copy.sources, texts: column(copy.sources.texts), fileTexts: column(copy.sources.fileTexts) } };
}

describe('stored sources: the packed form the index keeps', () => {
  it('reads back every field of the sample articles and an HTML page exactly as parsed', () => {
    for (const parsed of [...sampleSources(), parsedFile(FIXTURES, 'article.html')]) {
      const stored = new StoredSource(packSource(parsed), parsed.key);
      assert.deepEqual(view(stored), view(parsed), parsed.relativePath);
    }
  });

  it('maps every offset of an HTML page to the same place in the file as the parse did', () => {
    const parsed = parsedFile(FIXTURES, 'article.html');
    const stored = new StoredSource(packSource(parsed), parsed.key);
    assert.ok(parsed.fileOffsetAt && stored.fileOffsetAt);
    for (let at = 0; at <= parsed.text.length; at++) assert.equal(stored.fileOffsetAt(at), parsed.fileOffsetAt(at), `offset ${at}`);
  });

  it('unpacks a body again, equal, after many other sources were used', () => {
    const parsed = sampleSources()[0];
    const first = new StoredSource(packSource(parsed), parsed.key);
    const before = first.sentences.map((s) => ({ ...s }));
    const others = Array.from({ length: 600 }, (_, i) => new StoredSource(packSource({ ...parsed, id: `other-${i}` }), `k${i}`));
    for (const other of others) assert.ok(other.sentences.length > 0);
    assert.deepEqual(first.sentences.map((s) => ({ ...s })), before);
  });
});

describe('corpus index snapshot', () => {
  const dup = (id: string) =>
    parseSource({ id, relativePath: `${id}.md`, bytes: Buffer.from(`---\noutlet: AP\ndate: 2024-01-01\n---\n\nA sentence of text about ${id}.\n`) }).source!;

  it('restores every source with its key, metadata and body, reading no text until one is used', () => {
    const index = new CorpusIndex();
    for (const parsed of [...sampleSources(), parsedFile(FIXTURES, 'article.html')]) index.upsert(parsed);
    const restored = new CorpusIndex();
    restored.restore(roundTrip(index.snapshot()));
    assert.equal(restored.size, index.size);
    assert.deepEqual(restored.keys().sort(), index.keys().sort());
    for (const source of restored.all()) assert.equal((source as StoredSource).textLoaded, false, source.relativePath);
    assert.deepEqual(restored.summaries(), index.summaries());
    for (const source of index.all()) {
      const back = restored.get(source.id)!;
      assert.equal(back.key, source.key);
      assert.deepEqual(view(back), view(source), source.relativePath);
    }
  });

  it('gives, restored, the same snapshot it was restored from, reading no text (a warm start that saves again)', () => {
    const index = new CorpusIndex();
    for (const parsed of [...sampleSources(), parsedFile(FIXTURES, 'article.html')]) index.upsert(parsed);
    const restored = new CorpusIndex();
    restored.restore(roundTrip(index.snapshot()));
    const again = restored.snapshot();
    const first = index.snapshot();
    assert.deepEqual(JSON.parse(stringOf(again.sources.records)!), JSON.parse(stringOf(first.sources.records)!));
    assert.deepEqual(int32Of(again.sources.bodies), int32Of(first.sources.bodies));
    for (const source of restored.all()) assert.equal((source as StoredSource).textLoaded, false, source.relativePath);
    for (let i = 0; i < first.sources.texts.length; i++) assert.equal(again.sources.texts.at(i), first.sources.texts.at(i));
  });

  it('hands out the same suffixed keys after a restore as before it', () => {
    const index = new CorpusIndex();
    for (const id of ['a', 'b', 'c', 'd']) index.upsert(dup(id));
    index.remove('b');
    const restored = new CorpusIndex();
    restored.restore(roundTrip(index.snapshot()));
    const next = (target: CorpusIndex) => ['e', 'c', 'f', 'g'].map((id) => target.upsert(dup(id)).key);
    const expected = next(index);
    assert.deepEqual(expected, ['ap-2024-01-01-b', 'ap-2024-01-01-c', 'ap-2024-01-01-e', 'ap-2024-01-01-f']);
    assert.deepEqual(next(restored), expected);
  });

  it('refuses a damaged snapshot and stays empty', () => {
    const index = new CorpusIndex();
    for (const parsed of sampleSources()) index.upsert(parsed);
    const snapshot = roundTrip(index.snapshot());
    const restored = new CorpusIndex();
    assert.throws(() => restored.restore({ ...snapshot, sources: { ...snapshot.sources, bodyOffsets: new Int32Array(2) } }), /inconsistent/);
    assert.equal(restored.size, 0);
  });
});
