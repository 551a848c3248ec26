/**
 * The on-disk index snapshot, through the disk corpus as the server uses it:
 * warm starts restore the whole index for unchanged files, and anything
 * doubtful (a changed file, an edited catalog, another build, a damaged
 * snapshot) is read again rather than trusted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiskCorpus } from '../../server/src/diskCorpus';
import { createCorpusIndex } from '../../server/src/core/index/parts';
import { NEVER_CANCELLED, type Logger, type Source } from '../../server/src/core/types';
import { createService } from '../../server/src/core/service';
import { IndexCache } from '../../server/src/indexCache';
import { readSourceFile } from '../../server/src/sourceFile';
import type { StoredSource } from '../../server/src/core/index/storedSource';
import { joinPieces } from '../../server/src/core/index/snapshotPieces';
import { pathToFileURL } from 'node:url';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

interface Start {
  sources: Source[];
  cache: IndexCache;
  logs: string[];
  /** Files read and parsed in this start, and files restored from the snapshot. */
  read: number;
  restored: number;
  index: ReturnType<typeof createCorpusIndex>;
}

/** One server start over `folder` with a cache in `cacheDir`. */
async function start(folder: string, cacheDir: string, codeVersion = 'test'): Promise<Start> {
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  const cache = new IndexCache(cacheDir, codeVersion, logger);
  const index = createCorpusIndex();
  const corpus = new DiskCorpus(index, logger, cache);
  const report = await corpus.load([folder], NEVER_CANCELLED);
  // The snapshot is written behind the load; a real server keeps running meanwhile.
  await corpus.idle();
  const sources = [...index.all()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { sources, cache, logs, read: report.read, restored: report.restored, index };
}

/** What a feature reads from a source; equal parses must agree on all of it. */
function essence(s: Source) {
  return { id: s.id, key: s.key, meta: s.meta, text: s.text, bodyStart: s.bodyStart, paragraphs: s.paragraphs, sentences: s.sentences, quotes: s.quotes, names: s.names, problems: s.problems };
}

describe('index cache for warm starts', () => {
  let workspace: string;
  let corpus: string;
  let cacheDir: string;

  beforeEach(() => {
    workspace = tempWorkspace();
    corpus = path.join(workspace, 'corpus');
    cacheDir = path.join(workspace, 'cache');
  });
  afterEach(() => removeWorkspace(workspace));

  it('restarts from the snapshot with the same sources a cold start parsed, reading no file', async () => {
    const cold = await start(corpus, cacheDir);
    assert.equal(cold.restored, 0);
    assert.ok(cold.sources.length >= 5);
    const warm = await start(corpus, cacheDir);
    assert.equal(warm.restored, cold.sources.length);
    assert.equal(warm.read, 0);
    assert.deepEqual(warm.sources.map(essence), cold.sources.map(essence));
  });

  it('gives a draft the same findings, hovers and completions after a warm start as after a cold one', async () => {
    const draftText = fs.readFileSync(path.join(__dirname, '../../drafts/sample.md'), 'utf8');
    const draft = { id: 'file:///draft.md', version: 1, text: draftText, languageId: 'markdown' };
    const answers = (s: Start) => {
      const service = createService({ index: s.index });
      const findings = service.diagnostics(draft);
      const hovers = findings.map((f) => service.hover(draft, f.start + 2)?.markdown);
      const typed = `${draftText}\n\nThe prime minister said "the coalition`;
      const completions = service.completions({ ...draft, version: 2, text: typed }, typed.length).map((c) => c.label);
      const names = service.completions({ ...draft, version: 3, text: `${draftText}\n\nAccording to Sud` }, draftText.length + 17).map((c) => c.label);
      return { findings, hovers, completions, names };
    };
    const cold = answers(await start(corpus, cacheDir));
    assert.ok(cold.findings.length >= 4, 'the sample draft has deliberate errors');
    assert.ok(cold.completions.length > 0 && cold.names.length > 0);
    const warm = answers(await start(corpus, cacheDir));
    assert.deepEqual(warm, cold);
  });

  it('finds a file added after the snapshot was written, and forgets one removed', async () => {
    await start(corpus, cacheDir);
    fs.writeFileSync(path.join(corpus, 'later.txt'), 'Reuters\n\nThe minister said "we will open the bridge to traffic on Monday" in Basra.\n');
    fs.rmSync(path.join(corpus, '001_4088df7950ed3181.txt'));
    const warm = await start(corpus, cacheDir);
    assert.equal(warm.read, 1);
    assert.ok(warm.sources.some((s) => s.relativePath === 'later.txt'));
    assert.ok(!warm.sources.some((s) => s.relativePath === '001_4088df7950ed3181.txt'));
    const service = createService({ index: warm.index });
    const text = 'He said "we will open the bridge to traffic on Monday".';
    const analysis = service.analyze({ id: 'file:///d.md', version: 1, text, languageId: 'markdown' });
    assert.equal(analysis.quotes[0]?.verdict, 'verified');
  });

  it('reads every file again when asked for a fresh build (the Reindex command), snapshot or not', async () => {
    const cold = await start(corpus, cacheDir);
    const quiet = { info() {}, warn() {}, error() {} };
    const disk = new DiskCorpus(createCorpusIndex(), quiet, new IndexCache(cacheDir, 'test', quiet));
    const report = await disk.load([corpus], NEVER_CANCELLED, undefined, { fresh: true });
    await disk.idle();
    assert.equal(report.restored, 0);
    assert.equal(report.read, cold.sources.length);
  });

  it('reads a restored source\'s text when first used, even after a newer snapshot replaced the file', async () => {
    const cold = await start(corpus, cacheDir);
    const quiet = { info() {}, warn() {}, error() {} };
    const index = createCorpusIndex();
    const disk = new DiskCorpus(index, quiet, new IndexCache(cacheDir, 'test', quiet));
    await disk.load([corpus], NEVER_CANCELLED);
    const restored = [...index.all()].find((s) => s.relativePath === '002_1d7b1556ae453f1b.txt') as StoredSource;
    assert.equal(restored.textLoaded, false);
    // A change, and the snapshot written again, before the restored text is ever read.
    fs.appendFileSync(path.join(corpus, '000_0a6316ea67d87268.txt'), '\n\nA later paragraph.\n');
    await disk.changed(path.join(corpus, '000_0a6316ea67d87268.txt'));
    await disk.idle();
    assert.equal(restored.text, cold.sources.find((s) => s.relativePath === '002_1d7b1556ae453f1b.txt')!.text);
  });

  it('restores long texts and texts beyond ASCII byte for byte, however they fall in the chunks the snapshot is written in', async () => {
    // A text larger than the writer's chunk, one just under a third of it (three bytes a unit at most), and curly marks and accents around them.
    const paragraph = 'The minister said \u201cwe will rebuild\u201d, and the caf\u00e9 owners \u2014 all 2,500 of them \u2014 agreed. ';
    fs.writeFileSync(path.join(corpus, 'long-1.txt'), `title: Long\n\n${paragraph.repeat(Math.ceil((1.5 * (1 << 20)) / paragraph.length))}\n`);
    fs.writeFileSync(path.join(corpus, 'long-2.txt'), `${'\u00e9\u2019'.repeat(Math.floor((1 << 20) / 6) - 40)}\n\nA last \u201cquoted\u201d line.\n`);
    const cold = await start(corpus, cacheDir);
    const warm = await start(corpus, cacheDir);
    assert.equal(warm.read, 0);
    assert.deepEqual(warm.sources.map((s) => s.text), cold.sources.map((s) => s.text));
    assert.ok(cold.sources.some((s) => s.text.length > 1 << 20));
  });

  it('restores a snapshot whose arrays are read in parallel parts (over 16 MB) exactly as it was written', async function () {
    this.timeout(60000);
    // About 6 MB of varied words over 48 files: the passage index alone then holds more than 16 MB of arrays.
    let seed = 7;
    const word = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return `w${(seed >>> 8) % 50000}`;
    };
    for (let f = 0; f < 48; f++) {
      const sentences: string[] = [];
      for (let k = 0; k < 2000; k++) sentences.push(`The ${Array.from({ length: 12 }, word).join(' ')}.`);
      fs.writeFileSync(path.join(corpus, `bulk-${f}.txt`), `title: Bulk ${f}\n\n${sentences.join(' ')}\n`);
    }
    const cold = await start(corpus, cacheDir);
    const warm = await start(corpus, cacheDir);
    const arraysMB = (fs.statSync(cold.cache.file).size - cold.sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0)) / 2 ** 20;
    assert.ok(arraysMB > 16, `${arraysMB.toFixed(1)} MB of arrays`);
    assert.equal(warm.read, 0);
    assert.deepEqual(warm.sources.map(essence), cold.sources.map(essence));
    // Every array of every part, byte for byte, wherever it fell in the parts read.
    assert.deepEqual(joinPieces(warm.index.snapshot().parts), joinPieces(cold.index.snapshot().parts));
    // The restored passage index finds a sentence where the built one does.
    const probe = cold.sources.find((s) => s.relativePath === 'bulk-40.txt')!;
    const sentence = probe.text.slice(probe.sentences[500].start, probe.sentences[500].end);
    const draft = { id: 'file:///d.md', version: 1, text: `He said "${sentence.slice(0, -1)}".`, languageId: 'markdown' };
    const found = (index: Start['index']) => createService({ index }).analyze(draft).quotes.map((q) => [q.verdict, q.evidence[0]?.sourceId, q.evidence[0]?.start]);
    assert.deepEqual(found(warm.index), found(cold.index));
    assert.equal(found(warm.index)[0][1], probe.id);
  });

  it('keeps its file outside the corpus folder', async () => {
    const before = fs.readdirSync(corpus).sort();
    const { cache } = await start(corpus, cacheDir);
    assert.deepEqual(fs.readdirSync(corpus).sort(), before);
    assert.ok(fs.existsSync(cache.file));
    assert.ok(!path.resolve(cache.file).startsWith(path.resolve(corpus) + path.sep));
  });

  it('parses a file again when it changed since the cache was written', async () => {
    const cold = await start(corpus, cacheDir);
    const file = path.join(corpus, '003_ab0a295c0ca72cec.txt');
    fs.appendFileSync(file, '\n\nA paragraph added after the first start, with a "fresh quotation" in it.\n');
    const warm = await start(corpus, cacheDir);
    assert.equal(warm.restored, cold.sources.length - 1);
    const changed = warm.sources.find((s) => s.relativePath === '003_ab0a295c0ca72cec.txt');
    assert.ok(changed?.text.includes('A paragraph added after the first start'));
  });

  it('parses a file again when its catalog entry changed', async () => {
    await start(corpus, cacheDir);
    const catalogFile = path.join(corpus, 'sources.json');
    const catalog = JSON.parse(fs.readFileSync(catalogFile, 'utf8'));
    catalog['000_0a6316ea67d87268.txt'].title = 'A title the catalog gained later';
    fs.writeFileSync(catalogFile, JSON.stringify(catalog, null, 2));
    const warm = await start(corpus, cacheDir);
    const retitled = warm.sources.find((s) => s.relativePath === '000_0a6316ea67d87268.txt');
    assert.equal(retitled?.meta.title, 'A title the catalog gained later');
    assert.equal(warm.restored, warm.sources.length - 1);
  });

  it('forgets a file that was deleted', async () => {
    const cold = await start(corpus, cacheDir);
    fs.rmSync(path.join(corpus, '004_bb8dced5199b2cb5.txt'));
    const warm = await start(corpus, cacheDir);
    assert.equal(warm.sources.length, cold.sources.length - 1);
    assert.ok(!warm.sources.some((s) => s.relativePath === '004_bb8dced5199b2cb5.txt'));
  });

  it('ignores a damaged cache file with a log line, indexes everything, and rewrites it', async () => {
    const cold = await start(corpus, cacheDir);
    fs.writeFileSync(cold.cache.file, 'this is not a cache');
    const damaged = await start(corpus, cacheDir);
    assert.equal(damaged.restored, 0);
    assert.equal(damaged.sources.length, cold.sources.length);
    assert.ok(damaged.logs.some((l) => /index snapshot .* unreadable/i.test(l)), damaged.logs.join('\n'));
    const repaired = await start(corpus, cacheDir);
    assert.equal(repaired.restored, cold.sources.length);
  });

  it('ignores a cache file cut short (a crash or a full disk) and indexes everything', async () => {
    const cold = await start(corpus, cacheDir);
    const bytes = fs.readFileSync(cold.cache.file);
    fs.writeFileSync(cold.cache.file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const cut = await start(corpus, cacheDir);
    assert.equal(cut.restored, 0);
    assert.equal(cut.sources.length, cold.sources.length);
    assert.ok(cut.logs.some((l) => /unreadable/i.test(l)), cut.logs.join('\n'));
  });

  it('does not trust a cache written by another build of the parser', async () => {
    await start(corpus, cacheDir, 'build-1');
    const other = await start(corpus, cacheDir, 'build-2');
    assert.equal(other.restored, 0);
    assert.ok(other.logs.some((l) => /another version/i.test(l)), other.logs.join('\n'));
  });

  it('keeps a bounded number of cache files, dropping those of corpora not opened for longest', async () => {
    let last: Start | undefined;
    for (let i = 0; i < 20; i++) {
      const folder = path.join(workspace, `corpus-${i}`);
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'story.txt'), `Story ${i}.\n\nThe council said "it will vote on the plan ${i}" on Monday.\n`);
      last = await start(folder, cacheDir);
    }
    const files = fs.readdirSync(cacheDir).filter((n) => n.endsWith('.bin'));
    assert.ok(files.length <= 16, `${files.length} cache files`);
    assert.ok(files.includes(path.basename(last!.cache.file)));
  });

  it('removes the half-written snapshots of servers that stopped mid-write, and leaves those still being written', async () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    // A process number that cannot be running (above the kernel's limit), a live one (this process's parent), and a
    // live number whose file has not been touched for a day (its writer long gone, the number reused).
    const gone = path.join(cacheDir, 'index-0123456789abcdef.bin.99999999.tmp');
    const writing = path.join(cacheDir, `index-fedcba9876543210.bin.${process.ppid}.tmp`);
    const old = path.join(cacheDir, `index-00112233445566aa.bin.${process.ppid}.tmp`);
    for (const file of [gone, writing, old]) fs.writeFileSync(file, Buffer.alloc(4096));
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    fs.utimesSync(old, dayAgo, dayAgo);
    await start(corpus, cacheDir);
    const left = fs.readdirSync(cacheDir);
    assert.ok(!left.includes(path.basename(gone)), left.join(', '));
    assert.ok(!left.includes(path.basename(old)), left.join(', '));
    assert.ok(left.includes(path.basename(writing)), left.join(', '));
  });

  it('starts cold, without complaint, when the cache folder cannot be written', async () => {
    const blocker = path.join(workspace, 'not-a-folder');
    fs.writeFileSync(blocker, 'a file where the cache folder should be');
    const { sources, logs } = await start(corpus, path.join(blocker, 'cache'));
    assert.ok(sources.length >= 5);
    assert.ok(logs.some((l) => /cannot write the index snapshot/i.test(l)), logs.join('\n'));
  });
});

describe('reading a large corpus in parsing workers', () => {
  let workspace: string;
  afterEach(() => removeWorkspace(workspace));

  it('indexes the same sources, with the same keys, through workers as one file at a time', async () => {
    workspace = tempWorkspace();
    const folder = path.join(workspace, 'many');
    fs.mkdirSync(folder);
    const samples = fs.readdirSync(path.join(workspace, 'corpus')).filter((f) => f.endsWith('.txt'));
    // Enough files for the worker pool; many share outlet and date, so key suffixes depend on order.
    for (let i = 0; i < 90; i++) {
      const sample = fs.readFileSync(path.join(workspace, 'corpus', samples[i % samples.length]));
      fs.writeFileSync(path.join(folder, `${String(i).padStart(3, '0')}-${samples[i % samples.length]}`), Buffer.concat([sample, Buffer.from(`\n\nCopy ${i}.\n`)]));
    }
    fs.writeFileSync(path.join(folder, 'zz-binary.txt'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254]));
    const logs: string[] = [];
    const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
    const pooled = createCorpusIndex();
    const report = await new DiskCorpus(pooled, logger).load([folder], NEVER_CANCELLED);
    assert.equal(report.read, 91);
    assert.ok(!logs.some((l) => /worker could not run/.test(l)), logs.join('\n'));
    assert.ok(report.problems.some((p) => /zz-binary\.txt: skipped, it looks like a binary file/.test(p)), report.problems.join('\n'));
    // The same files, one at a time on this thread, in the order the corpus is walked.
    const single = createCorpusIndex();
    for (const name of fs.readdirSync(folder).sort((a, b) => a.localeCompare(b))) {
      const file = path.join(folder, name);
      const read = readSourceFile({ file, id: pathToFileURL(file).href, relativePath: name });
      if (read.source) single.upsert(read.source);
    }
    const byId = (index: typeof pooled) => [...index.all()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(essence);
    assert.deepEqual(byId(pooled), byId(single));
  });

  it('answers requests between any two files while it indexes, and while it writes the snapshot, not only between batches', async () => {
    workspace = tempWorkspace();
    const folder = path.join(workspace, 'many');
    fs.mkdirSync(folder);
    const samples = fs.readdirSync(path.join(workspace, 'corpus')).filter((f) => f.endsWith('.txt'));
    // 70 files: read in workers, in batches of 4, 8, 16 and 32 (and the 10 left).
    for (let i = 0; i < 70; i++) fs.copyFileSync(path.join(workspace, 'corpus', samples[i % samples.length]), path.join(folder, `${String(i).padStart(3, '0')}.txt`));
    const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const index = createCorpusIndex();
    // A slice of 0 ms: the loader lets what waits be answered after every step of its work, as it does after 15 ms of it.
    const corpus = new DiskCorpus(index, logger, new IndexCache(path.join(workspace, 'cache'), 'test', logger), { sliceMs: 0 });
    // A request on every turn of the event loop, noting how many sources it could find.
    const seen = new Set<number>();
    let turnsWhileWriting = 0;
    let phase: 'loading' | 'writing' | 'done' = 'loading';
    const ask = () => {
      if (phase === 'done') return;
      if (phase === 'loading') seen.add(index.size);
      else turnsWhileWriting++;
      setImmediate(ask);
    };
    setImmediate(ask);
    await corpus.load([folder], NEVER_CANCELLED);
    phase = 'writing';
    await corpus.idle();
    phase = 'done';
    assert.equal(index.size, 70);
    // Between batches only, a request would have seen 0, 4, 12, 28, 60 and 70 sources.
    const between = [...seen].filter((n) => n > 0 && n < 70);
    assert.ok(between.length >= 60, `requests saw ${between.length} sizes of a partly built index: ${[...seen].sort((a, b) => a - b).join(', ')}`);
    // Measuring the snapshot's texts, one each, is done in turns too.
    assert.ok(turnsWhileWriting >= 70, `${turnsWhileWriting} turns while the snapshot was written`);
    assert.ok(fs.readdirSync(path.join(workspace, 'cache')).some((f) => f.endsWith('.bin')), 'the snapshot was written');
  });

  it('keeps the texts of a large corpus out of memory once indexed, reads each back when used, and leaves no scratch file', async () => {
    workspace = tempWorkspace();
    const folder = path.join(workspace, 'many');
    const cacheDir = path.join(workspace, 'cache');
    fs.mkdirSync(folder);
    const samples = fs.readdirSync(path.join(workspace, 'corpus')).filter((f) => f.endsWith('.txt'));
    for (let i = 0; i < 80; i++) {
      const sample = fs.readFileSync(path.join(workspace, 'corpus', samples[i % samples.length]));
      fs.writeFileSync(path.join(folder, `${String(i).padStart(3, '0')}-${samples[i % samples.length]}`), Buffer.concat([sample, Buffer.from(`\n\nCopy ${i}, “quoted” — é.\n`)]));
    }
    const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const index = createCorpusIndex();
    const corpus = new DiskCorpus(index, logger, new IndexCache(cacheDir, 'test', logger));
    await corpus.load([folder], NEVER_CANCELLED);
    const stored = () => [...index.all()] as StoredSource[];
    assert.equal(stored().length, 80);
    assert.ok(
      stored().every((s) => !s.textLoaded),
      'every text left memory once indexed',
    );
    // Read back as the file says, through the source (and its sentences, which hovers quote).
    for (const source of stored()) {
      const copy = Number(path.basename(new URL(source.id).pathname).slice(0, 3));
      assert.ok(source.text.includes(`Copy ${copy}, “quoted” — é.`), source.relativePath);
      assert.ok(source.textLoaded);
    }
    await corpus.idle();
    // The snapshot holds the texts too: a warm start restores them from it.
    const warm = await start(folder, cacheDir);
    assert.equal(warm.restored, 80);
    assert.deepEqual(
      warm.sources.map((s) => s.text),
      [...index.all()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => s.text),
    );
    // A fresh build (the Reindex command) spools again and lets the earlier spool go; its sources read as before.
    await corpus.load([folder], NEVER_CANCELLED, undefined, { fresh: true });
    assert.ok(stored().every((s) => !s.textLoaded));
    assert.ok(stored().every((s) => s.text.includes('“quoted” — é.')));
    if (process.platform !== 'win32') assert.deepEqual(fs.readdirSync(cacheDir).filter((f) => /texts/.test(f)), []);
  });
});
