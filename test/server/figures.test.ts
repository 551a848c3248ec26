/** Figure checking through the running server over stdio: diagnostics, quick fixes, hover, a corpus change. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver';
import { applyEdits, TestClient } from '../helpers/lspClient';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';
import { LABELLED } from '../fixtures/figures/labelled';

/** Every Markdown case as one paragraph of one draft, with where its figure stands (a sentence labelled for two figures stands once). */
function buildDraft() {
  let text = '# 5 figures to check, written from the sample corpus\n\n';
  const paragraphs = new Map<string, number>();
  const placed = LABELLED.filter((c) => c.languageId === undefined).map((c) => {
    let start = paragraphs.get(c.draft);
    if (start === undefined) {
      start = text.length;
      paragraphs.set(c.draft, start);
      text += c.draft + '\n\n';
    }
    return { ...c, at: start + c.draft.indexOf(c.figure), paragraph: start };
  });
  return { text, placed };
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('server: figures', function () {
  let ws: string;
  let client: TestClient;
  let uri: string;
  let diagnostics: Diagnostic[];
  const { text, placed } = buildDraft();
  const figureDiagnostics = () => diagnostics.filter((d) => String(d.code).startsWith('figure-'));
  const at = (offset: number) => figureDiagnostics().filter((d) => d.range.start.line === position(text, offset).line && d.range.start.character === position(text, offset).character);

  before(async () => {
    ws = tempWorkspace();
    client = new TestClient(ws);
    await client.start();
    uri = client.open('draft.md', text);
    diagnostics = await client.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'figure-mismatch'));
  });
  after(async () => {
    await client.stop();
    removeWorkspace(ws);
  });

  it('warns on every contradicted figure, over the figure as written, and on nothing else', () => {
    for (const c of placed) {
      const found = at(c.at);
      if (c.label !== 'contradicted') {
        assert.deepEqual(found, [], `${c.what}: ${JSON.stringify(found.map((d) => d.message))}`);
        continue;
      }
      assert.equal(found.length, 1, c.what);
      assert.equal(found[0].code, 'figure-mismatch');
      assert.equal(found[0].source, 'corroborate');
      assert.equal(found[0].severity, 2, 'a warning');
      assert.deepEqual(found[0].range.end, position(text, c.at + c.figure.length), c.what);
    }
    assert.equal(figureDiagnostics().length, placed.filter((c) => c.label === 'contradicted').length);
  });

  it('says what the sources say and points at the source sentence in its file', () => {
    const c = placed.find((x) => x.figure === '$88 million')!;
    const [d] = at(c.at);
    assert.equal(d.message, 'Sources say about $88 billion (iraq-plans-end-2023-12-28, in 2018); the draft says $88 million');
    const related = d.relatedInformation![0];
    assert.ok(related.location.uri.endsWith('004_bb8dced5199b2cb5.txt'));
    const line = fs.readFileSync(path.join(ws, 'corpus', '004_bb8dced5199b2cb5.txt'), 'utf8').split('\n')[related.location.range.start.line];
    assert.match(line.slice(related.location.range.start.character), /^Iraq appealed for about \$88 billion/);
  });

  it('offers a preferred quick fix that writes the source figure in the draft’s style', async () => {
    for (const c of placed.filter((x) => x.label === 'contradicted')) {
      const [d] = at(c.at);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix, c.what);
      assert.match(fix.title, /^Replace with .+ \(from .+\)$/);
      const fixed = applyEdits(text, fix.edit!.changes![uri]);
      assert.equal(fixed, text.slice(0, c.paragraph) + c.fixed + text.slice(c.paragraph + c.draft.length), c.what);
    }
  });

  it('clears the warning once the fix is applied', async () => {
    const c = placed.find((x) => x.figure === 'four')!;
    const [d] = at(c.at);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    client.change(uri, applyEdits(text, actions.find((a) => a.isPreferred)!.edit!.changes![uri]));
    const after = await client.diagnosticsFor(uri);
    assert.equal(after.filter((x) => x.code === 'figure-mismatch').length, placed.filter((x) => x.label === 'contradicted').length - 1);
    client.change(uri, text);
    diagnostics = await client.diagnosticsFor(uri);
  });

  it('hovers a figure with the verdict, the source sentences with the figure in bold, and a link', async () => {
    const c = placed.find((x) => x.figure === 'more than 100')!;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: position(text, c.at + 10) });
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /^\*\*Figure agrees with 2 sources\*\*/, 'at least 130 is also more than 100');
    assert.match(markdown, /This attack is one of \*\*more than 100\*\* attacks targeting US forces/);
    assert.match(markdown, /Sources differ:/);
    assert.match(markdown, /103 attacks \(al-sudani-iraqi-government-nd, since October 17\)/);
    assert.match(markdown, /at least 130 attacks \(al-sudani-davos-nd, between October 17 and January 11\)/);
    assert.match(markdown, /\[open passage\]\(file:\/\/.*002_1d7b1556ae453f1b\.txt#L\d+,\d+\)/);
    assert.deepEqual(hover.range!.start, position(text, c.at));
    assert.deepEqual(hover.range!.end, position(text, c.at + c.figure.length));
  });

  it('has no hover on a number that is not a figure', async () => {
    const c = placed.find((x) => x.what === 'a year in a name')!;
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: position(text, c.at + 1) });
    const markdown = hover ? (hover.contents as MarkupContent).value : '';
    assert.doesNotMatch(markdown, /Figure|No source gives this figure/);
  });

  it('flags a figure once a new source contradicts it, without a restart', async () => {
    const draftUri = client.open('spain.md', 'The Spanish contingent in Iraq numbers 300 troops.\n');
    assert.deepEqual((await client.diagnosticsFor(draftUri)).filter((d) => d.code === 'figure-mismatch'), []);
    const file = path.join(ws, 'corpus', 'spain-contingent.md');
    fs.writeFileSync(file, '---\noutlet: Wire\ndate: 2024-01-02\n---\n\nThe Spanish contingent in Iraq numbers about 150 troops, the ministry said.\n');
    await client.fileEvent(file, 1);
    client.change(draftUri, 'The Spanish contingent in Iraq numbers 300 troops.\n');
    const after = await client.diagnosticsFor(draftUri, (d) => d.some((x) => x.code === 'figure-mismatch'));
    assert.equal(after.find((d) => d.code === 'figure-mismatch')!.message, 'Sources say about 150 troops (Wire, 2024-01-02); the draft says 300');
  });

  it('checks no figure inside a bare web address, e-mail address or URL, and still checks the prose around them', async () => {
    // Each address holds a figure the sources contradict (they say about 2,500 troops), as a link's path can. (The
    // figure reader alone already passes over a number glued to "/" or "."; the draft's parse keeps the addresses out
    // of prose as well, with the autolink extension such a draft is parsed with.)
    const draft = [
      'The US keeps about 900 troops in Iraq, the draft says.',
      'Details at https://example.org/about/900 troops in Iraq [@xinhua].',
      'Details at www.example.org/about/900 troops in Iraq [@xinhua].',
      'Write to about.900@example.org troops in Iraq [@xinhua].',
    ].join('\n\n');
    const draftUri = client.open('addresses.md', draft);
    const found = await client.diagnosticsFor(draftUri, (d) => d.some((x) => x.code === 'figure-mismatch'));
    const lines = found.filter((d) => String(d.code).startsWith('figure-')).map((d) => d.range.start.line);
    assert.deepEqual(lines, [0], JSON.stringify(found.map((d) => [d.range.start.line, d.code, d.message])));
  });
});
