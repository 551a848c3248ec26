/** Quotation checking through the running server over stdio: diagnostics, quick fixes, hover, definition. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic, Hover, Location, CodeAction } from 'vscode-languageserver';
import { applyEdits, TestClient } from '../helpers/lspClient';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

interface Case {
  name: string;
  text: string;
  quote?: string;
  verdict?: 'verified' | 'mismatch' | 'unsourced' | 'paraphrase';
  source?: string;
  fixed?: string;
}

const CASES: Case[] = parseYaml(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'quotes', 'cases.yaml'), 'utf8'));
const CODES = { mismatch: 'quote-mismatch', unsourced: 'quote-unsourced', paraphrase: 'quote-paraphrase' } as const;

/** Every case as one paragraph of one draft, with where its quotation stands. */
function buildDraft(): { text: string; placed: Array<Case & { at: number }> } {
  let text = '# A draft written from the sample corpus\n\n';
  const placed: Array<Case & { at: number }> = [];
  for (const c of CASES) {
    const start = text.length;
    text += c.text + '\n\n';
    placed.push({ ...c, at: c.quote ? start + c.text.indexOf(c.quote) : -1 });
  }
  return { text, placed };
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('server: quotations', function () {
  let ws: string;
  let client: TestClient;
  const { text, placed } = buildDraft();
  let uri: string;
  let diagnostics: Diagnostic[];
  let sources: Array<{ key: string; outlet?: string; id: string }>;

  before(async () => {
    ws = tempWorkspace();
    client = new TestClient(ws);
    await client.start();
    sources = await client.request('corroborate/sources', {});
    uri = client.open('draft.md', text);
    diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
  });
  after(async () => {
    await client.stop();
    removeWorkspace(ws);
  });

  const name = (key: string) => {
    const s = sources.find((x) => x.key === key)!;
    return s.outlet ?? s.key;
  };
  const at = (c: Case & { at: number }) => diagnostics.filter((d) => String(d.code).startsWith('quote-') && d.range.start.line === position(text, c.at).line && d.range.start.character === position(text, c.at).character);

  it('publishes one diagnostic per flagged quotation, at its range with its marks, and none for verified ones', () => {
    for (const c of placed.filter((x) => x.quote)) {
      const found = at(c);
      if (c.verdict === 'verified') {
        assert.deepEqual(found, [], c.name);
        continue;
      }
      assert.equal(found.length, 1, `${c.name}: ${JSON.stringify(found)}`);
      const d = found[0];
      assert.equal(d.code, CODES[c.verdict!], c.name);
      assert.equal(d.source, 'corroborate');
      assert.deepEqual(d.range.end, position(text, c.at + c.quote!.length), `${c.name}: the range ends after the closing mark`);
      if (c.source) assert.ok(String(d.message).includes(name(c.source)), `${c.name}: the message names ${name(c.source)}: ${String(d.message)}`);
    }
    const quoteDiagnostics = diagnostics.filter((d) => String(d.code).startsWith('quote-'));
    assert.equal(quoteDiagnostics.length, placed.filter((c) => c.quote && c.verdict !== 'verified').length, 'nothing else is flagged');
  });

  it('points a mismatch at the source passage in the source file', () => {
    const c = placed.find((x) => x.name === 'flags a quote with one word changed')!;
    const [d] = at(c);
    const related = d.relatedInformation![0];
    assert.ok(related.location.uri.endsWith('000_0a6316ea67d87268.txt'));
    const file = fs.readFileSync(path.join(ws, 'corpus', '000_0a6316ea67d87268.txt'), 'utf8').split('\n');
    const { start, end } = related.location.range;
    assert.equal(start.line, end.line);
    assert.equal(file[start.line].slice(start.character, end.character), "We appreciate the role of the coalition in supporting Iraq's efforts to confront the Islamic State militants");
  });

  it('offers a preferred quick fix that puts back the source wording and keeps the marks', async () => {
    for (const c of placed.filter((x) => x.verdict === 'mismatch')) {
      const [d] = at(c);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix, c.name);
      assert.equal(fix.title, `Replace with the wording from ${name(c.source!)}`);
      assert.deepEqual(fix.diagnostics?.[0]?.code, d.code);
      const fixed = applyEdits(text, fix.edit!.changes![uri]);
      assert.equal(fixed, text.slice(0, c.at) + c.fixed + text.slice(c.at + c.quote!.length), c.name);
    }
  });

  it('clears the warning once the fix is applied', async () => {
    const c = placed.find((x) => x.name === 'flags a quote with one word changed')!;
    const [d] = at(c);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fixed = applyEdits(text, actions.find((a) => a.isPreferred)!.edit!.changes![uri]);
    const other = client.open('fixed.md', fixed);
    const after = await client.diagnosticsFor(other, (list) => list.length > 0);
    assert.equal(after.filter((x) => x.code === 'quote-mismatch').length, placed.filter((x) => x.verdict === 'mismatch').length - 1);
  });

  it('hovers a verified quotation with its source, the words in bold and a link to the passage', async () => {
    const c = placed.find((x) => x.name === 'verifies a whole quotation word for word')!;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: position(text, c.at + 5) });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /Quotation verified/);
    assert.match(markdown, /\*\*Xinhua\*\*/);
    assert.match(markdown, /\*\*We appreciate the role of the coalition in supporting Iraq's efforts to confront the Islamic State militants\*\*/);
    assert.match(markdown, /\(file:.*000_0a6316ea67d87268\.txt#L\d+,\d+\)/);
    assert.deepEqual(hover.range?.start, position(text, c.at));
  });

  it('goes to the source passage of a verified quotation', async () => {
    const c = placed.find((x) => x.name === 'verifies a quotation from the Davos speech report')!;
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: position(text, c.at + 10) });
    assert.ok(locations[0].uri.endsWith('003_ab0a295c0ca72cec.txt'));
    const file = fs.readFileSync(path.join(ws, 'corpus', '003_ab0a295c0ca72cec.txt'), 'utf8').split('\n');
    const { start, end } = locations[0].range;
    assert.equal(file[start.line].slice(start.character, end.character), 'The end of the international coalition’s mission is a necessity for the security and stability of Iraq');
  });

  it('re-checks a draft when a source changes on disk', async () => {
    const draftUri = client.open('changing.md', 'He said "we will rebuild every bridge in the north before winter".\n');
    let list = await client.diagnosticsFor(draftUri, (d) => d.length > 0);
    assert.equal(list[0].code, 'quote-unsourced');
    const file = path.join(ws, 'corpus', 'new-report.md');
    fs.writeFileSync(file, '---\noutlet: Reuters\ndate: 2024-01-05\n---\n\nThe minister said "we will rebuild every bridge in the north before winter" on Friday.\n');
    await client.fileEvent(file, 1);
    list = await client.diagnosticsFor(draftUri, (d) => !d.some((x) => x.code === 'quote-unsourced'));
    assert.deepEqual(list.filter((d) => String(d.code).startsWith('quote-')), []);
  });
});
