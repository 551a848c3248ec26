/**
 * The snapshot file's writer and reader, value by value: what a part hands
 * over (arrays, strings, either in pieces, text columns) is what a warm start
 * reads back, however the values fall in the chunks the file is written in.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexSnapshot, PartSnapshot, TextColumn } from '../../server/src/core/index/corpusIndex';
import { Int32Pieces, LazyBytes, StringPieces } from '../../server/src/core/index/snapshotPieces';
import { IndexCache } from '../../server/src/indexCache';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

/** Bytes the writer gathers before each write, and UTF-16 units of a string that always fit them (see indexCache.ts). */
const CHUNK = 1 << 20;
const PART_UNITS = Math.floor(CHUNK / 3);

const ROOTS = ['/nowhere/corpus'];

function column(values: Array<string | undefined>): TextColumn {
  return { length: values.length, at: (i) => values[i] };
}

/** A snapshot of no sources whose one part is `part`. */
function snapshotOf(part: PartSnapshot): IndexSnapshot {
  return {
    sources: { records: '[]', bodies: new Int32Array(0), bodyOffsets: new Int32Array(1), texts: column([]), fileTexts: column([]), keyHints: '[]' },
    parts: { Probe: part },
  };
}

describe('index snapshot file: values written and read back', () => {
  let dir: string;
  let logs: string[];
  let cache: IndexCache;

  beforeEach(() => {
    dir = tempWorkspace(false);
    logs = [];
    const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    cache = new IndexCache(dir, 'test', logger);
  });
  afterEach(() => removeWorkspace(dir));

  async function roundTrip(part: PartSnapshot): Promise<PartSnapshot> {
    await cache.write(ROOTS, [], snapshotOf(part));
    assert.deepEqual(logs, []);
    const stored = await cache.read(ROOTS);
    assert.ok(stored, 'the snapshot reads back');
    return stored.index.parts.Probe;
  }

  it('reads arrays handed over in pieces back as one array: views, empty pieces, pieces small and large', async () => {
    const big = Int32Array.from({ length: 40_000 }, (_, i) => i * 7 - 3);
    const backing = Int32Array.from({ length: 100 }, (_, i) => -i);
    const tiny = Array.from({ length: 3000 }, (_, k) => Int32Array.from({ length: k % 5 }, (_, i) => k * 10 + i));
    const pieces = new Int32Pieces([new Int32Array(0), backing.subarray(3, 17), big, ...tiny, big.subarray(39_990), new Int32Array(0)]);
    const back = await roundTrip({ pieces, none: new Int32Pieces([]), onlyEmpty: new Int32Pieces([new Int32Array(0)]), after: Int32Array.of(1, 2, 3) });
    assert.ok(back.pieces instanceof Int32Array);
    assert.deepEqual(back.pieces, pieces.join());
    assert.deepEqual(back.none, new Int32Array(0));
    assert.deepEqual(back.onlyEmpty, new Int32Array(0));
    // What follows the pieces still stands where the header says.
    assert.deepEqual(back.after, Int32Array.of(1, 2, 3));
  });

  it('reads bytes made as they are written back as one array: chunks in one reused buffer, none, and more than the chunk', async () => {
    /** `count` bytes (byte k is `k * 31 % 251`) in chunks of `size`, each made in the same buffer. */
    const lazy = (count: number, size: number) =>
      new LazyBytes(count, function* () {
        const buffer = new Uint8Array(size);
        for (let from = 0; from < count; from += size) {
          const n = Math.min(size, count - from);
          for (let k = 0; k < n; k++) buffer[k] = ((from + k) * 31) % 251;
          yield buffer.subarray(0, n);
        }
      });
    const parts = { small: lazy(1000, 7), large: lazy(CHUNK * 2 + 13, 1 << 16), huge: lazy(CHUNK + 5, CHUNK + 5), none: lazy(0, 8) };
    const back = await roundTrip({ ...parts, after: Int32Array.of(-1) });
    for (const [name, bytes] of Object.entries(parts)) {
      assert.ok(back[name] instanceof Uint8Array, name);
      assert.deepEqual(back[name], bytes.join(), name);
    }
    assert.deepEqual(back.after, Int32Array.of(-1));
  });

  it('writes no snapshot when bytes made as they are written are not as many as they said', async () => {
    await cache.write(ROOTS, [], snapshotOf({ short: new LazyBytes(10, () => [new Uint8Array(9)]) }));
    assert.match(logs.join('\n'), /Cannot write the index snapshot .*changed while it was written/);
    assert.equal(await cache.read(ROOTS), undefined);
  });

  it('reads strings handed over in pieces back as one string, beyond ASCII and past the chunk', async () => {
    const words = ['caf\u00e9', '\u201cquoted\u201d', '', '\u6771\u4eac', 'emoji \u{1f600}', '\u2014', 'plain'];
    const many = Array.from({ length: 300_000 }, (_, i) => words[i % words.length]);
    // One piece larger than the chunk (three bytes a unit), a pair of surrogates across where it is cut.
    const huge = `${'\u20ac'.repeat(PART_UNITS - 1)}\u{1f600}${'\u20ac'.repeat(PART_UNITS)}`;
    const parts = {
      many: StringPieces.of(many),
      short: StringPieces.of(words),
      none: StringPieces.of([]),
      blanks: StringPieces.of(['', '', '']),
      huge: StringPieces.of(['x', huge, '\u{1f600}', huge]),
    };
    const back = await roundTrip(parts);
    for (const [name, pieces] of Object.entries(parts)) assert.equal(back[name], pieces.join(), name);
    assert.ok(Buffer.byteLength(back.many as string) > CHUNK);
  });

  it('reads a long string back whole, a pair of surrogates on the cut between parts or not', async () => {
    const onCut = `${'a'.repeat(PART_UNITS - 1)}\u{1f600}${'\u00e9'.repeat(PART_UNITS)}`;
    const afterCut = `${'a'.repeat(PART_UNITS - 2)}\u{1f600}${'b'.repeat(PART_UNITS)}`;
    const back = await roundTrip({ onCut, afterCut, list: [onCut.slice(0, 10), ''] });
    assert.equal(back.onCut, onCut);
    assert.equal(back.afterCut, afterCut);
    assert.deepEqual(back.list, [onCut.slice(0, 10), '']);
  });

  it('reads source bodies and records handed over in pieces, and texts read when asked', async () => {
    const texts = ['A first \u201ctext\u201d.', '', 'Caf\u00e9 \u{1f600} '.repeat(50_000)];
    const snapshot: IndexSnapshot = {
      sources: {
        records: new StringPieces(5, (i) => ['[', '{"id":"a"}', ',{"id":"\u00e9"}', ',{"id":"c"}', ']'][i]),
        bodies: new Int32Pieces([Int32Array.of(1, 2), new Int32Array(0), Int32Array.of(3)]),
        bodyOffsets: Int32Array.of(0, 2, 2, 3),
        texts: column(texts),
        fileTexts: column([undefined, '<p>x</p>', undefined]),
        keyHints: '[]',
      },
      parts: {},
    };
    await cache.write(ROOTS, [], snapshot);
    const stored = await cache.read(ROOTS);
    assert.ok(stored);
    const sources = stored.index.sources;
    assert.equal(sources.records, '[{"id":"a"},{"id":"\u00e9"},{"id":"c"}]');
    assert.deepEqual(sources.bodies, Int32Array.of(1, 2, 3));
    assert.deepEqual([0, 1, 2].map((i) => sources.texts.at(i)), texts);
    assert.deepEqual([0, 1, 2].map((i) => sources.fileTexts.at(i)), [undefined, '<p>x</p>', undefined]);
  });

  it('asks for the texts of a source side by side across columns, and never again for a text that is missing', async () => {
    const asked: string[] = [];
    const logged = (name: string, values: Array<string | undefined>): TextColumn => ({
      length: values.length,
      at: (i) => {
        asked.push(`${name}${i}`);
        return values[i];
      },
    });
    const snapshot = snapshotOf({});
    snapshot.sources = { ...snapshot.sources, bodyOffsets: new Int32Array(4), texts: logged('t', ['a', 'b', 'c']), fileTexts: logged('f', [undefined, '<b>b</b>', undefined]) };
    await cache.write(ROOTS, [], snapshot);
    // Measured side by side (a host reading a source's texts from disk reads them once), then written column by column.
    assert.deepEqual(asked, ['t0', 'f0', 't1', 'f1', 't2', 'f2', 't0', 't1', 't2', 'f1']);
    const stored = await cache.read(ROOTS);
    assert.deepEqual([0, 1, 2].map((i) => stored!.index.sources.fileTexts.at(i)), [undefined, '<b>b</b>', undefined]);
  });

  it('writes no snapshot when a value made again while written is not what was measured', async () => {
    let calls = 0;
    // Measured as ASCII, written with an accent: the header would point at the wrong bytes.
    const changing = new StringPieces(1, () => (calls++ === 0 ? 'a'.repeat(70_000) : '\u00e9'.repeat(70_000)));
    await cache.write(ROOTS, [], snapshotOf({ changing }));
    assert.equal(logs.length, 1);
    assert.match(logs[0], /Cannot write the index snapshot .*changed while it was written/);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.bin') || f.endsWith('.tmp')), []);
    assert.equal(await cache.read(ROOTS), undefined);
    assert.ok(!fs.existsSync(path.join(dir, path.basename(cache.file))));
  });
});
