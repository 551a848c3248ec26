/** The server over stdio: indexing, the sources list, corpus edits without a restart, bad input. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../helpers/lspClient';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';
import type { SourcesResult } from '../../server/src/lsp/protocol';

type SourceSummary = SourcesResult[number];


describe('server: the source index', () => {
  let ws: string;
  let client: TestClient;

  beforeEach(async () => {
    ws = tempWorkspace();
    client = new TestClient(ws);
    await client.start();
  });
  afterEach(async () => {
    await client.stop();
    removeWorkspace(ws);
  });

  it('indexes the sample corpus from the default corpus/ folder', async () => {
    assert.equal(client.status?.sources, 5);
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    assert.equal(sources.length, 5);
    const xinhua = sources.find((s) => s.id.endsWith('000_0a6316ea67d87268.txt'));
    assert.equal(xinhua?.key, 'xinhua-2023-12-29');
    assert.equal(xinhua?.outlet, 'Xinhua');
    assert.equal(new Set(sources.map((s) => s.key)).size, 5, 'keys are unique');
  });

  it('lists each sample source with the title, outlet, date and key its text shows', async () => {
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    const rows = sources
      .map((s) => [s.id.slice(s.id.lastIndexOf('/') + 1, s.id.lastIndexOf('/') + 4), s.key, s.outlet ?? null, s.date ?? null, s.title ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(rows, [
      ['000', 'xinhua-2023-12-29', 'Xinhua', '2023-12-29', "Iraqi gov't moving to end U.S.-led coalition presence: PM"],
      ['001', 'iraqinews-nd', 'IraqiNews.com', null, 'Baghdad to end international coalition’s presence in Iraq'],
      ['002', 'al-sudani-iraqi-government-nd', null, null, 'Al-Sudani: The Iraqi government is moving toward ending the presence of the international coalition'],
      ['003', 'al-sudani-davos-nd', null, null, null],
      ['004', 'iraq-plans-end-2023-12-28', null, '2023-12-28', "Iraq plans to 'end presence' of US-led coalition forces, PM says"],
    ]);
  });

  it('indexes an HTML article added to the corpus, with its page metadata, and Go to Definition lands in the page', async () => {
    const file = path.join(ws, 'corpus', 'web', 'article.html');
    fs.mkdirSync(path.dirname(file));
    fs.copyFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'article.html'), file);
    await client.fileEvent(path.dirname(file), 1);
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    const html = sources.find((s) => s.id.endsWith('/web/article.html'));
    assert.equal(html?.key, 'the-daily-example-2023-12-28');
    assert.equal(html?.title, 'Iraq moves to end coalition presence');

    // Go to Definition on a quotation from the page lands on its line in the HTML file.
    const text = 'He said Spain showed "our solid commitment to something that seems to have been questioned in recent years: multilateralism."\n';
    const uri = client.open('draft.md', text);
    await client.diagnosticsFor(uri);
    const locations = await client.request<Array<{ uri: string; range: { start: { line: number; character: number } } }>>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 0, character: text.indexOf('solid') },
    });
    const inPage = locations.find((l) => l.uri.endsWith('/web/article.html'));
    assert.ok(inPage, JSON.stringify(locations));
    const line = fs.readFileSync(file, 'utf8').split('\n')[inPage.range.start.line];
    assert.match(line, /our solid commitment/);
  });

  it('picks up a new, changed and deleted corpus file without a restart', async () => {
    const file = path.join(ws, 'corpus', 'new-article.md');
    fs.writeFileSync(file, '---\ntitle: A new report\noutlet: Reuters\ndate: 2024-01-05\n---\n\nThe minister said "we will stay the course" on Friday.\n');
    await client.fileEvent(file, 1);
    assert.equal(client.status?.sources, 6);
    let sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    assert.ok(sources.some((s) => s.key === 'reuters-2024-01-05' && s.title === 'A new report'));

    fs.writeFileSync(file, '---\ntitle: A corrected report\noutlet: Reuters\ndate: 2024-01-05\n---\n\nText.\n');
    await client.fileEvent(file, 2);
    sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    assert.equal(sources.find((s) => s.key === 'reuters-2024-01-05')?.title, 'A corrected report');

    fs.rmSync(file);
    await client.fileEvent(file, 3);
    assert.equal(client.status?.sources, 5);
  });

  it('flags an unknown citation key and keeps answering after a malformed request', async () => {
    const uri = client.open('draft.md', 'As reported [@no-such-key], the talks went on.\n');
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(diagnostics[0].code, 'citation-unknown');
    assert.equal(diagnostics[0].source, 'corroborate');
    assert.equal(await client.request('textDocument/hover', { textDocument: 42 }), null);
    const sources = await client.request<SourceSummary[]>('corroborate/sources', {});
    assert.equal(sources.length, 5, 'the server still answers');
  });

  it('never treats a corpus file as a draft', async () => {
    const uri = pathToFileURL(path.join(ws, 'corpus', '000_0a6316ea67d87268.txt')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text: 'See [@no-such-key].' } });
    await client.until(() => client.diagnostics.has(uri), 'diagnostics for the corpus file');
    assert.deepEqual(client.diagnostics.get(uri)!.diagnostics, []);
  });
});

describe('server: a missing corpus folder', () => {
  it('says so once and keeps running with no sources', async () => {
    const ws = tempWorkspace(false);
    const client = new TestClient(ws);
    try {
      await client.start();
      assert.equal(client.status?.sources, 0);
      assert.deepEqual(client.status?.missingFolders, [path.join(ws, 'corpus')]);
      await client.until(() => client.messages.some((m) => /does not exist/.test(m.message)), 'a warning');
    } finally {
      await client.stop();
      removeWorkspace(ws);
    }
  });
});
