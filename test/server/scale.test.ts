/**
 * A corpus large enough for the parsing worker, through the bundled server as
 * an editor runs it: requests are answered while it is indexed, with what is
 * indexed so far, and progress is reported; the worker runs (no fallback), and
 * a second start restores the index from its snapshot, reads no file, and
 * gives the same diagnostics; the Reindex command reads every file again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient } from '../helpers/lspClient';
import { removeWorkspace, SAMPLE_CORPUS, tempWorkspace } from '../helpers/workspace';

const COPIES = 90;
const DRAFT = fs.readFileSync(path.resolve(__dirname, '../../drafts/sample.md'), 'utf8');

describe('server: a corpus of many files, and a restart', function () {
  this.timeout(120_000);
  let ws: string;
  let cache: string;
  const clients: TestClient[] = [];

  before(() => {
    ws = tempWorkspace(false);
    cache = path.join(ws, 'snapshots');
    const corpus = path.join(ws, 'corpus');
    fs.mkdirSync(corpus);
    const samples = fs.readdirSync(SAMPLE_CORPUS).filter((f) => f.endsWith('.txt'));
    fs.copyFileSync(path.join(SAMPLE_CORPUS, 'sources.json'), path.join(corpus, 'sources.json'));
    for (const name of samples) fs.copyFileSync(path.join(SAMPLE_CORPUS, name), path.join(corpus, name));
    // Copies with a line of their own: enough files for the worker, and sources that share outlet and date.
    for (let i = 0; i < COPIES; i++) {
      const name = samples[i % samples.length];
      fs.writeFileSync(path.join(corpus, `copy-${String(i).padStart(3, '0')}-${name}`), `${fs.readFileSync(path.join(SAMPLE_CORPUS, name), 'utf8')}\n\nCopy number ${i}.\n`);
    }
  });
  after(async () => {
    for (const c of clients) await c.stop();
    removeWorkspace(ws);
  });

  /** Starts a server over the workspace with its snapshots in `cache`, and checks the sample draft. */
  async function session() {
    const client = new TestClient(ws, {}, { CORROBORATE_INDEX_CACHE: cache });
    clients.push(client);
    await client.start();
    const uri = client.open('draft.md', DRAFT);
    const diagnostics = await client.diagnosticsFor(uri);
    const indexed = client.logs.find((l) => /^Indexed \d+ sources/.test(l)) ?? '';
    return { client, uri, diagnostics, indexed };
  }

  /** The hover on the draft's misquotation: it quotes the source's sentence and links to it, both read from the source's text. */
  async function misquoteHover(s: Awaited<ReturnType<typeof session>>) {
    const misquote = s.diagnostics.find((d) => d.code === 'quote-mismatch')!;
    const hover = await s.client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: s.uri },
      position: { line: misquote.range.start.line, character: misquote.range.start.character + 2 },
    });
    return hover?.contents.value ?? '';
  }

  const snapshotFiles = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith('.bin')) : []);

  it('answers requests while the first index is built, from what is indexed so far, and reports its progress', async () => {
    // A corpus of its own, large enough that building it takes many slices, and no snapshot to restore.
    const big = tempWorkspace(false);
    try {
      fs.mkdirSync(path.join(big, 'corpus'));
      const samples = fs.readdirSync(SAMPLE_CORPUS).filter((f) => f.endsWith('.txt'));
      for (let i = 0; i < 600; i++) {
        const name = samples[i % samples.length];
        fs.writeFileSync(path.join(big, 'corpus', `${String(i).padStart(3, '0')}-${name}`), `${fs.readFileSync(path.join(SAMPLE_CORPUS, name), 'utf8')}\n\nCopy number ${i}.\n`);
      }
      const client = new TestClient(big, {}, { CORROBORATE_INDEX_CACHE: path.join(big, 'snapshots') });
      clients.push(client);
      await client.connect();
      const text = 'As the ministry said [@';
      const uri = client.open('draft.md', text);
      // Citation keys completed again and again until the index is ready: each answer offers the keys indexed then.
      const answers: Array<{ items: number; state: string | undefined }> = [];
      while (client.status?.state !== 'ready') {
        const list = await client.request<{ items: unknown[] } | unknown[] | null>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.length } });
        answers.push({ items: (Array.isArray(list) ? list : (list?.items ?? [])).length, state: client.status?.state });
        await new Promise((r) => setTimeout(r, 5));
      }
      const whileIndexing = answers.filter((a) => a.state === 'indexing');
      assert.ok(whileIndexing.length >= 2, `answers while indexing: ${JSON.stringify(answers)}`);
      assert.ok(
        whileIndexing.some((a) => a.items > 0),
        `an answer while indexing offers the keys of the sources indexed so far: ${JSON.stringify(answers)}`,
      );
      assert.ok(
        answers.every((a, i) => i === 0 || a.items >= answers[i - 1].items),
        'each answer offers what the one before did, or more',
      );
      const reports = client.progress.filter((p) => p.kind === 'report');
      assert.equal(client.progress[0]?.kind, 'begin');
      assert.ok(reports.some((p) => / of 600 files$/.test(p.message ?? '') && (p.percentage ?? 0) > 0 && (p.percentage ?? 0) < 100), JSON.stringify(reports));
      assert.equal(client.progress.at(-1)?.kind, 'end');
      assert.equal(client.status?.sources, 600);
    } finally {
      removeWorkspace(big);
    }
  });

  it('reads every file in the parsing worker on the first start, then restores them from the snapshot on the next', async () => {
    const first = await session();
    const total = COPIES + fs.readdirSync(SAMPLE_CORPUS).filter((f) => f.endsWith('.txt')).length;
    assert.equal(first.client.status?.sources, total);
    assert.match(first.indexed, new RegExp(`\\(0 files from the index snapshot, ${total} read\\)`));
    assert.ok(!first.client.logs.some((l) => /parsing worker could not run/.test(l)), first.client.logs.join('\n'));
    assert.ok(first.diagnostics.some((d) => d.code === 'quote-mismatch'), 'the sample draft has a misquotation');
    // Read in the worker, each source's text went to a scratch file once indexed: the hover reads its sentence back
    // from there, and the scratch file leaves no name behind in the cache folder.
    const firstHover = await misquoteHover(first);
    assert.match(firstHover, /\(file:[^)]*corpus\/[^)]*\.txt#L\d+,\d+\)/);
    assert.deepEqual(fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => /texts/.test(f)) : [], []);
    // The snapshot is written behind the first index; wait for it, then start again.
    // (No message says when it is written, so the folder is looked at until it is there, for 30 s at most.)
    for (let i = 0; i < 300 && snapshotFiles().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(snapshotFiles().length, 1);
    await first.client.stop();

    const second = await session();
    assert.equal(second.client.status?.sources, total);
    assert.match(second.indexed, new RegExp(`\\(${total} files from the index snapshot, 0 read\\)`));
    assert.deepEqual(second.diagnostics, first.diagnostics);

    // The same hover, its source's text now read from the snapshot.
    assert.equal(await misquoteHover(second), firstHover);

    // Reindex reads every file again, snapshot or not.
    const before = second.client.logs.length;
    await second.client.request('workspace/executeCommand', { command: 'corroborate.server.reindex', arguments: [] });
    await second.client.until(() => second.client.logs.slice(before).some((l) => /^Indexed \d+ sources/.test(l)), 'the fresh index');
    assert.match(second.client.logs.slice(before).find((l) => /^Indexed/.test(l))!, new RegExp(`\\(0 files from the index snapshot, ${total} read\\)`));
  });
});
