/**
 * Bad input over stdio: a corpus full of trouble (binary, empty, huge, Latin-1,
 * UTF-16, broken front matter, a broken catalog, symbolic link loops, a dangling
 * link, a missing folder). The server keeps answering, says what it skipped
 * once in a window and in its log, indexes the rest, and never writes to the corpus.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient } from '../helpers/lspClient';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';
import type { SourcesResult } from '../../server/src/lsp/protocol';

type SourceSummary = SourcesResult[number];

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'sources');
const MB = 1024 * 1024;


/** Every file under `dir` (links not followed) with its size, time and bytes: to prove nothing was written. */
function snapshot(dir: string): string {
  const lines: string[] = [];
  const visit = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      const st = fs.lstatSync(full);
      if (st.isDirectory()) visit(full);
      else lines.push(`${path.relative(dir, full)} ${st.size} ${st.mtimeMs} ${st.isFile() && st.size < MB ? createHash('sha1').update(fs.readFileSync(full)).digest('hex') : ''}`);
    }
  };
  visit(dir);
  return lines.join('\n');
}

describe('server: bad input', function () {
  let ws: string;
  let client: TestClient;
  let untouched: string;

  before(async () => {
    ws = tempWorkspace();
    const corpus = path.join(ws, 'corpus');
    const more = path.join(ws, 'more');
    fs.mkdirSync(more);
    for (const name of ['binary.txt', 'empty.txt', 'windows-1252.txt', 'utf16le-bom.txt', 'broken-front-matter.md', 'article.html']) {
      fs.copyFileSync(path.join(FIXTURES, name), path.join(more, name));
    }
    fs.writeFileSync(path.join(more, 'sources.json'), '{ "windows-1252.txt": { "outlet": "Le Devoir", }');
    // A sparse file: over 5 MB on disk, never read.
    fs.writeFileSync(path.join(more, 'huge.txt'), '');
    fs.truncateSync(path.join(more, 'huge.txt'), 5 * MB + 1);
    // Links that loop: a folder that points back at its parent, a file that points at itself, and one that points nowhere.
    fs.symlinkSync('..', path.join(more, 'loop'));
    fs.symlinkSync('self.txt', path.join(more, 'self.txt'));
    fs.symlinkSync('nowhere.txt', path.join(more, 'dangling.txt'));
    // A named pipe that looks like an article: reading it would block forever.
    execFileSync('mkfifo', [path.join(more, 'pipe.txt')]);
    untouched = snapshot(ws);
    client = new TestClient(ws, { corpus: { paths: ['corpus', 'more', 'missing-folder'] } });
    await client.start();
    await client.until(() => client.messages.length > 0, 'the warning about skipped files');
    void corpus;
  });

  after(async () => {
    await client?.stop();
    if (ws) removeWorkspace(ws);
  });

  it('indexes every readable source and skips the rest', async () => {
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    const files = sources.map((s) => s.relativePath).sort();
    assert.deepEqual(files, [
      '000_0a6316ea67d87268.txt',
      '001_4088df7950ed3181.txt',
      '002_1d7b1556ae453f1b.txt',
      '003_ab0a295c0ca72cec.txt',
      '004_bb8dced5199b2cb5.txt',
      'article.html',
      'broken-front-matter.md',
      'utf16le-bom.txt',
      'windows-1252.txt',
    ]);
    assert.equal(client.status?.sources, 9);
    assert.deepEqual(client.status?.missingFolders, [path.join(ws, 'missing-folder')]);
  });

  it('indexes non-UTF-8 and HTML files so their words can be quoted', async () => {
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    const latin = sources.find((s) => s.relativePath === 'windows-1252.txt');
    assert.ok(latin?.problems.some((p) => /read as windows-1252/.test(p)), 'the guess is reported on the source');
    // A quotation from the Windows-1252 file is found (accents and curly quotes read right); a made-up one is not.
    const uri = client.open('draft.md', 'René Lévesque said “We will not pay.” He added “we never agreed to any of these absurd terms at all”.\n');
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const quoted = diagnostics.filter((d) => String(d.code).startsWith('quote-'));
    assert.equal(quoted.length, 1, JSON.stringify(diagnostics));
    assert.equal(quoted[0].code, 'quote-unsourced');
    assert.ok(quoted[0].range.start.character > 40, 'the made-up quotation is the one flagged');
    const html = sources.find((s) => s.relativePath === 'article.html');
    assert.equal(html?.outlet, 'The Daily Example');
  });

  it('logs a clear line for each problem', () => {
    const log = client.logs.join('\n');
    const expected = [
      /binary\.txt: skipped, it looks like a binary file, not text/,
      /empty\.txt: skipped, the file is empty/,
      /huge\.txt: skipped, 5\.0 MB is over the 5 MB limit for a source/,
      /loop: skipped, a symbolic link loop \(it points back to a folder above it\)/,
      /self\.txt: skipped, a symbolic link loop \(it points back to itself\)/,
      /dangling\.txt: skipped, a broken symbolic link/,
      /pipe\.txt: skipped, it is not a regular file/,
      /sources\.json: ignored, it cannot be parsed/,
      /broken-front-matter\.md: front matter ignored, it is not valid YAML/,
      /missing-folder does not exist; create it or change corroborate\.corpus\.paths/,
    ];
    for (const re of expected) assert.match(log, re);
  });

  it('shows the problems once in a window, naming the first and counting the rest', async () => {
    const warnings = client.messages.filter((m) => m.type === 2 && /^Corroborate:/.test(m.message));
    assert.equal(warnings.length, 1, JSON.stringify(client.messages));
    assert.match(warnings[0].message, /and \d+ more; see the Corroborate output/);
    // A rebuild with the same problems does not show them again.
    const count = client.statusCount;
    await client.request('workspace/executeCommand', { command: 'corroborate.server.reindex', arguments: [] });
    await client.until(() => client.statusCount > count && client.status?.state === 'ready', 'the rebuilt index');
    assert.equal(client.messages.filter((m) => m.type === 2).length, 1);
  });

  it('skips a huge file added while running, and keeps answering', async () => {
    const file = path.join(ws, 'more', 'dump.txt');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 6 * MB);
    await client.fileEvent(file, 1);
    assert.equal(client.status?.sources, 9);
    await client.until(() => client.logs.some((l) => /dump\.txt: skipped, 6\.0 MB is over the 5 MB limit/.test(l)), 'the log line');
    fs.rmSync(file);
    await client.fileEvent(file, 3);
    // A change event for the pipe must not hang the server on reading it.
    await client.fileEvent(path.join(ws, 'more', 'pipe.txt'), 2);
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    assert.equal(sources.length, 9);
  });

  it('never writes to the corpus', () => {
    assert.equal(snapshot(ws), untouched);
  });
});

describe('server: a catalog fixed while running', () => {
  it('re-reads the sources when a broken sources.json is repaired', async () => {
    const ws = tempWorkspace();
    const catalog = path.join(ws, 'corpus', 'sources.json');
    fs.writeFileSync(catalog, '{ not json');
    const client = new TestClient(ws);
    try {
      await client.start();
      await client.until(() => client.messages.some((m) => /sources\.json: ignored, it cannot be parsed/.test(m.message)), 'the catalog warning');
      let sources = await client.request<SourceSummary[]>('corroborate/sources', {});
      assert.equal(sources.find((s) => s.relativePath.startsWith('001'))?.key, 'iraqinews-2024-11-22', 'without the catalog the header date is guessed');
      fs.copyFileSync(path.resolve(__dirname, '..', '..', 'corpus', 'sources.json'), catalog);
      await client.fileEvent(catalog, 2);
      sources = await client.request<SourceSummary[]>('corroborate/sources', {});
      assert.equal(sources.find((s) => s.relativePath.startsWith('001'))?.key, 'iraqinews-nd');
    } finally {
      await client.stop();
      removeWorkspace(ws);
    }
  });
});

describe('server: warnings the user can act on', () => {
  it('offers to open corroborate.corpus.paths when a corpus folder is missing, and tells the client when chosen', async () => {
    const ws = tempWorkspace(false);
    const client = new TestClient(ws);
    const offered: string[][] = [];
    let opened: { setting?: string } | undefined;
    let openedNow!: () => void;
    const openedSignal = new Promise<void>((resolve) => (openedNow = resolve));
    // Answer the warning as a user would: choose "Open Settings".
    client.connection.onRequest('window/showMessageRequest', (m: { type: number; message: string; actions?: Array<{ title: string }> }) => {
      client.messages.push(m);
      offered.push((m.actions ?? []).map((a) => a.title));
      return m.actions?.find((a) => a.title === 'Open Settings') ?? null;
    });
    client.connection.onNotification('corroborate/openSettings', (p: { setting?: string }) => {
      opened = p;
      openedNow();
    });
    try {
      await client.start();
      await openedSignal;
      assert.deepEqual(offered[0], ['Show Output', 'Open Settings']);
      assert.equal(opened?.setting, 'corroborate.corpus.paths');
    } finally {
      await client.stop();
      removeWorkspace(ws);
    }
  });
});
