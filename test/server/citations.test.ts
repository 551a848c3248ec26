/** Citations through the running server: each style on the sample corpus, Cite actions, the hover link, the bibliography command, unknown keys. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Hover, TextEdit } from 'vscode-languageserver';
import { TestClient, applyEdits } from '../helpers/lspClient';
import { REPO, removeWorkspace, tempWorkspace } from '../helpers/workspace';

const QUOTE = `He said "We appreciate the role of the coalition in supporting Iraq's efforts to confront the Islamic State militants," on Thursday.\n`;
const XINHUA_ENTRY = 'Iraqi gov’t moving to end U.S.-led coalition presence: PM. (2023, December 29). Xinhua.';

interface AppliedEdit {
  edit: { changes: Record<string, TextEdit[]> };
}

describe('server: citations', () => {
  let ws: string;
  let client: TestClient;
  let n = 0;

  before(async () => {
    ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, 'styles'));
    fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'csl', 'outlet-first.csl'), path.join(ws, 'styles', 'outlet-first.csl'));
    client = new TestClient(ws);
    await client.start();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(ws);
  });

  /** Changes the citation settings and waits until the server has re-checked the open draft with them. */
  async function useStyle(uri: string, style: string, cslFile = ''): Promise<void> {
    client.settings = { citation: { style, cslFile } };
    client.diagnostics.delete(uri);
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.diagnosticsFor(uri);
  }

  /** Runs a server command and returns the draft text after the edit it applied. */
  async function runCommand(command: string, args: unknown[], text: string, uri: string): Promise<string> {
    const before = client.applied.length;
    await client.request('workspace/executeCommand', { command, arguments: args });
    await client.until(() => client.applied.length > before, `the edit of ${command}`);
    return applyEdits(text, (client.applied[client.applied.length - 1] as AppliedEdit).edit.changes[uri]);
  }

  async function openDraft(text: string): Promise<string> {
    const uri = client.open(`cite-${++n}.md`, text);
    await client.diagnosticsFor(uri);
    return uri;
  }

  it('inserts a citation after a quotation in each style, as the hover link does', async () => {
    const uri = await openDraft(QUOTE);
    const expected: Array<[string, string, string]> = [
      ['pandoc', '', QUOTE.replace('militants,"', 'militants," [@xinhua-2023-12-29]')],
      ['inline', '', QUOTE.replace('militants,"', 'militants," (Xinhua, 29 Dec 2023)')],
      ['apa', '', QUOTE.replace('militants,"', 'militants," (“Iraqi Gov’t Moving to End U.S.-Led Coalition Presence: PM,” 2023)')],
      ['footnote', '', QUOTE.replace('militants,"', 'militants,"[^1]').trimEnd() + `\n\n[^1]: ${XINHUA_ENTRY}\n`],
      ['inline', 'styles/outlet-first.csl', QUOTE.replace('militants,"', 'militants," {XINHUA [2023]}')],
    ];
    for (const [style, cslFile, result] of expected) {
      await useStyle(uri, style, cslFile);
      assert.equal(await runCommand('corroborate.server.insertCitation', [uri, 20, 'xinhua-2023-12-29'], QUOTE, uri), result, `${style} ${cslFile}`);
    }
  });

  it('marks an unknown date n.d. instead of inventing one', async () => {
    const uri = await openDraft('IraqiNews reported it.\n');
    await useStyle(uri, 'inline');
    assert.equal(await runCommand('corroborate.server.insertCitation', [uri, 22, 'iraqinews-nd'], 'IraqiNews reported it.\n', uri), 'IraqiNews reported it. (IraqiNews.com, n.d.)\n');
  });

  it('offers "Cite Xinhua" on a verified quotation and the hover carries the Insert citation link', async () => {
    const uri = await openDraft(QUOTE);
    await useStyle(uri, 'pandoc');
    const range = { start: { line: 0, character: 20 }, end: { line: 0, character: 20 } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
    const cite = actions.find((a) => a.title.startsWith('Cite '));
    assert.equal(cite?.title, 'Cite Xinhua (29 Dec 2023)');
    assert.equal(applyEdits(QUOTE, cite!.edit!.changes![uri]), QUOTE.replace('militants,"', 'militants," [@xinhua-2023-12-29]'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: range.start });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /\[Insert citation\]\(command:corroborate\.server\.insertCitation\?/);
    const args = JSON.parse(decodeURIComponent(/insertCitation\?([^)]+)\)/.exec(markdown)![1]));
    assert.deepEqual(args.slice(0, 1).concat(args.slice(2)), [uri, 'xinhua-2023-12-29']);
  });

  it('writes a bibliography of the three sources a draft cites, undoable as one edit', async () => {
    const text = 'Xinhua [@xinhua-2023-12-29], The National [@iraq-plans-end-2023-12-28] and IraqiNews [@iraqinews-nd]; again [@xinhua-2023-12-29].\n';
    const uri = await openDraft(text);
    await useStyle(uri, 'pandoc');
    const out = await runCommand('corroborate.server.insertBibliography', [uri], text, uri);
    const refs = out.slice(out.indexOf('## References'));
    assert.ok(out.startsWith(text.trimEnd() + '\n\n<!-- corroborate:references -->\n## References\n\n'), out);
    assert.equal(refs.split('\n').filter((l) => /\((?:\d{4}|n\.d\.)/.test(l)).length, 3, refs);
    assert.ok(refs.includes(XINHUA_ENTRY));
    assert.match(refs, /Iraq plans to “end presence” of US-led coalition forces, PM says\. \(2023, December 28\)\./);
    assert.match(refs, /\(n\.d\.\)\. IraqiNews\.com\./i);
  });

  it('flags an unknown key and its quick fix changes it to the closest key', async () => {
    const text = 'As reported [@xinhau-2023-12-29].\n';
    const uri = client.open(`cite-${++n}.md`, text);
    const diagnostics: Diagnostic[] = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const unknown = diagnostics.find((d) => d.code === 'citation-unknown')!;
    assert.equal(unknown.severity, 2, 'a warning');
    assert.match(String(unknown.message), /Did you mean xinhua-2023-12-29\?/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } });
    const fix = actions[0];
    assert.equal(fix.title, 'Change to xinhua-2023-12-29');
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.diagnostics?.[0].code, 'citation-unknown');
    assert.equal(applyEdits(text, fix.edit!.changes![uri]), 'As reported [@xinhua-2023-12-29].\n');
  });
});
