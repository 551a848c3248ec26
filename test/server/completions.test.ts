/** Completion through the running server: quotes, names, figures and keys, their ranking and the text each inserts. `|` marks the cursor. */
import * as assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver';
import { TestClient, applyEdits } from '../helpers/lspClient';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

describe('server: completion', () => {
  let ws: string;
  let client: TestClient;
  let n = 0;

  before(async () => {
    ws = tempWorkspace();
    client = new TestClient(ws);
    await client.start();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(ws);
  });

  /** Opens a draft with a cursor marker, asks for completions there; items best first, each with the text it produces. */
  async function complete(marked: string): Promise<{ list: CompletionList; items: Array<CompletionItem & { result: string }> }> {
    const at = marked.indexOf('|');
    const text = marked.slice(0, at) + marked.slice(at + 1);
    const before = text.slice(0, at).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    const uri = client.open(`draft-${++n}.md`, text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    const items = [...list.items]
      .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
      .map((item) => ({ ...item, result: applyEdits(text, [item.textEdit as TextEdit]) }));
    return { list, items };
  }

  it('continues an open quotation with the source’s exact words and the draft’s closing mark', async () => {
    const { list, items } = await complete('The prime minister said:\n\n“We appreciate the ro|');
    assert.equal(list.isIncomplete, true, 'the server re-ranks as the writer types');
    assert.equal(items[0].result, 'The prime minister said:\n\n“We appreciate the role of the coalition in supporting Iraq\'s efforts to confront the Islamic State militants”');
    assert.match(items[0].detail!, /^Xinhua, 29 Dec 2023/);
    const doc = items[0].documentation as { kind: string; value: string };
    assert.equal(doc.kind, 'markdown');
    assert.match(doc.value, /— Al-Sudani/);
  });

  it('finds a quotation from words in its middle, after curly marks and emoji earlier on the line', async () => {
    const { items } = await complete('🙂 “Yes,” he said, "reorganising this|');
    assert.equal(items[0].result, '🙂 “Yes,” he said, "reorganising this relationship"');
    assert.match(items[0].detail!, /28 Dec 2023/);
  });

  it('offers each outlet’s spelling of a name, most common first', async () => {
    const { items } = await complete('Prime Minister Muh|');
    const labels = items.map((i) => i.label);
    for (const spelling of ["Mohammed Shia' al-Sudani", 'Muhammad Shiaa Al-Sudani', 'Mohammed Shia Al Sudani']) assert.ok(labels.includes(spelling), labels.join(', '));
    const chosen = items.find((i) => i.label === 'Muhammad Shiaa Al-Sudani')!;
    assert.equal(chosen.result, 'Prime Minister Muhammad Shiaa Al-Sudani');
    assert.match((chosen.documentation as { value: string }).value, /Mohammed Shia' al-Sudani: Xinhua/);
  });

  it('completes a figure from its first digits, with its context and source', async () => {
    const { items } = await complete('The US keeps 2,5|');
    assert.ok(items.length >= 2);
    assert.ok(items.every((i) => i.result === 'The US keeps 2,500'));
    assert.ok(items.some((i) => /^2,500 American soldiers in Iraq — /.test(i.detail ?? '')), items.map((i) => i.detail).join(' | '));
  });

  it('completes a counting word with the figures the sources give for it', async () => {
    const { items } = await complete('Washington has about troo|');
    assert.equal(items[0].result, 'Washington has about 2,500 troops');
    assert.ok(items.some((i) => i.result === 'Washington has about 2,500 American soldiers'));
  });

  it('lists citation keys after [@, the typed prefix first', async () => {
    const all = await complete('As reported [@|]');
    assert.equal(all.items.length, 5);
    const { items } = await complete('As reported [@xin|]');
    assert.equal(items[0].label, 'xinhua-2023-12-29');
    assert.equal(items[0].result, 'As reported [@xinhua-2023-12-29]');
    assert.match(items[0].detail!, /Xinhua, 29 Dec 2023/);
  });
});
