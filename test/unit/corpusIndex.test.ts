import * as assert from 'node:assert/strict';
import { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { parseSource } from '../../server/src/core/sources/parseSource';

const source = (id: string, outlet = 'AP', date = '2024-01-01') =>
  parseSource({ id, relativePath: `${id}.md`, bytes: Buffer.from(`---\noutlet: ${outlet}\ndate: ${date}\n---\n\nA sentence of text.\n`) }).source!;

describe('corpus index: citation keys', () => {
  it('gives sources that share outlet and date unique keys, -b, -c and on', () => {
    const index = new CorpusIndex();
    const keys = ['a', 'b', 'c', 'd'].map((id) => index.upsert(source(id)).key);
    assert.deepEqual(keys, ['ap-2024-01-01', 'ap-2024-01-01-b', 'ap-2024-01-01-c', 'ap-2024-01-01-d']);
  });

  it('keeps a source its key when the file is read again', () => {
    const index = new CorpusIndex();
    for (const id of ['a', 'b', 'c']) index.upsert(source(id));
    assert.equal(index.upsert(source('b')).key, 'ap-2024-01-01-b');
    assert.equal(index.upsert(source('c')).key, 'ap-2024-01-01-c');
  });

  it('hands a freed key to the next source that needs one', () => {
    const index = new CorpusIndex();
    for (const id of ['a', 'b', 'c']) index.upsert(source(id));
    index.remove('b');
    assert.equal(index.upsert(source('d')).key, 'ap-2024-01-01-b');
    assert.equal(index.upsert(source('e')).key, 'ap-2024-01-01-d');
    assert.equal(index.getByKey('ap-2024-01-01-c')?.id, 'c');
  });

  it('stays unique past z', () => {
    const index = new CorpusIndex();
    const keys = Array.from({ length: 60 }, (_, i) => index.upsert(source(`s${i}`)).key);
    assert.equal(new Set(keys).size, 60);
  });
});
