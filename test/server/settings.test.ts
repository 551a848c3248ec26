/** Settings over the wire: defaults with none sent, changes taking effect without a restart. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient } from '../helpers/lspClient';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

describe('server: settings', () => {
  let ws: string;
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    removeWorkspace(ws);
  });

  it('switches to another corpus folder when corroborate.corpus.paths changes', async () => {
    ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, 'other'));
    fs.writeFileSync(path.join(ws, 'other', 'one.md'), '---\ntitle: Only one\noutlet: AP\ndate: 2024-02-02\n---\n\nA sentence.\n');
    client = new TestClient(ws);
    await client.start();
    assert.equal(client.status?.sources, 5);
    client.settings = { corpus: { paths: ['other'] } };
    const before = client.statusCount;
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.until(() => client!.statusCount > before && client!.status?.state === 'ready', 'the new index');
    assert.equal(client.status?.sources, 1);
  });

  it('accepts an absolute corpus path', async () => {
    ws = tempWorkspace(false);
    const elsewhere = tempWorkspace();
    try {
      client = new TestClient(ws, { corpus: { paths: [path.join(elsewhere, 'corpus')] } });
      await client.start();
      assert.equal(client.status?.sources, 5);
    } finally {
      removeWorkspace(elsewhere);
    }
  });

  it('checks only on save when corroborate.validate is onSave', async () => {
    ws = tempWorkspace();
    client = new TestClient(ws, { validate: 'onSave', validateDelay: 0 });
    await client.start();
    const uri = client.open('draft.md', 'Nothing to see.\n');
    await client.diagnosticsFor(uri);
    client.change(uri, 'See [@no-such-key] here.\n');
    // Two round trips give an as-you-type check (delay 0) every chance to publish; it must not.
    await client.request('corroborate/sources', {});
    await client.request('corroborate/sources', {});
    const publishedBefore = client.diagnostics.get(uri)!;
    client.notify('textDocument/didSave', { textDocument: { uri } });
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(publishedBefore.diagnostics.length, 0);
    assert.equal(diagnostics[0].code, 'citation-unknown');
  });

  it('silences a code set to "off" and re-checks open drafts when settings change', async () => {
    ws = tempWorkspace();
    client = new TestClient(ws);
    await client.start();
    const uri = client.open('draft.md', 'See [@no-such-key] here.\n');
    await client.diagnosticsFor(uri, (d) => d.length === 1);
    client.settings = { severity: { 'citation-unknown': 'off' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.until(() => client!.diagnostics.get(uri)?.diagnostics.length === 0, 'the warning to go');
  });

  it('warns once about a wrong setting and keeps working', async () => {
    ws = tempWorkspace();
    client = new TestClient(ws, { validate: 'sometimes' });
    await client.start();
    await client.until(() => client!.messages.some((m) => /corroborate\.validate/.test(m.message)), 'a settings warning');
    assert.equal(client.status?.sources, 5);
  });
});
