/**
 * The on-disk index cache, through the disk corpus as the server uses it:
 * warm starts reuse parses of unchanged files, and anything doubtful (a
 * changed file, an edited catalog, another build, a damaged cache file) is
 * parsed again rather than trusted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiskCorpus } from '../../server/src/diskCorpus';
import { createCorpusIndex } from '../../server/src/core/index/parts';
import { NEVER_CANCELLED, type Logger, type Source } from '../../server/src/core/types';
import { IndexCache } from '../../server/src/indexCache';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

interface Start {
  sources: Source[];
  cache: IndexCache;
  logs: string[];
}

/** One server start over `folder` with a cache in `cacheDir`. */
async function start(folder: string, cacheDir: string, codeVersion = 'test'): Promise<Start> {
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  const cache = new IndexCache(cacheDir, codeVersion, logger);
  const index = createCorpusIndex();
  await new DiskCorpus(index, logger, cache).load([folder], NEVER_CANCELLED);
  const sources = [...index.all()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { sources, cache, logs };
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

  it('restarts from the cache with the same sources a cold start parsed', async () => {
    const cold = await start(corpus, cacheDir);
    assert.equal(cold.cache.hits, 0);
    assert.ok(cold.sources.length >= 5);
    const warm = await start(corpus, cacheDir);
    assert.equal(warm.cache.hits, cold.sources.length);
    assert.deepEqual(warm.sources.map(essence), cold.sources.map(essence));
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
    assert.equal(warm.cache.hits, cold.sources.length - 1);
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
    assert.equal(warm.cache.hits, warm.sources.length - 1);
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
    assert.equal(damaged.cache.hits, 0);
    assert.equal(damaged.sources.length, cold.sources.length);
    assert.ok(damaged.logs.some((l) => /index cache .* unreadable/i.test(l)), damaged.logs.join('\n'));
    const repaired = await start(corpus, cacheDir);
    assert.equal(repaired.cache.hits, cold.sources.length);
  });

  it('ignores a cache file cut short (a crash or a full disk) and indexes everything', async () => {
    const cold = await start(corpus, cacheDir);
    const bytes = fs.readFileSync(cold.cache.file);
    fs.writeFileSync(cold.cache.file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const cut = await start(corpus, cacheDir);
    assert.equal(cut.cache.hits, 0);
    assert.equal(cut.sources.length, cold.sources.length);
    assert.ok(cut.logs.some((l) => /unreadable/i.test(l)), cut.logs.join('\n'));
  });

  it('does not trust a cache written by another build of the parser', async () => {
    await start(corpus, cacheDir, 'build-1');
    const other = await start(corpus, cacheDir, 'build-2');
    assert.equal(other.cache.hits, 0);
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

  it('starts cold, without complaint, when the cache folder cannot be written', async () => {
    const blocker = path.join(workspace, 'not-a-folder');
    fs.writeFileSync(blocker, 'a file where the cache folder should be');
    const { sources, logs } = await start(corpus, path.join(blocker, 'cache'));
    assert.ok(sources.length >= 5);
    assert.ok(logs.some((l) => /cannot write the index cache/i.test(l)), logs.join('\n'));
  });
});
