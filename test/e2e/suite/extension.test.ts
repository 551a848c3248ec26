/**
 * What a writer sees in VS Code, asserted through the `vscode` API inside a real
 * extension host: the extension is the one installed from the packaged .vsix and
 * the workspace is a copy of the sample corpus (see scripts/e2e/). Every wait is
 * for an event (diagnostics, status, editor change) with a deadline, never a sleep.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CorroborateApi } from '../../../client/src/extension';

const EXTENSION_ID = 'corroborate.corroborate';
/** How long to wait for an event before failing with what was seen instead. */
const DEADLINE_MS = 20_000;

interface SourceSummary {
  id: string;
  key: string;
  outlet?: string;
}

let api: CorroborateApi;
const root = () => vscode.workspace.workspaceFolders![0].uri;

async function activated(): Promise<CorroborateApi> {
  const extension = vscode.extensions.getExtension<CorroborateApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Resolves once `condition` holds, checking now and on every `event`; rejects with `describe()` at the deadline. */
function when<T>(event: vscode.Event<unknown>, condition: () => T | undefined | false, describe: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = condition();
      if (value) {
        subscription.dispose();
        clearTimeout(deadline);
        resolve(value);
      }
    };
    const subscription = event(check);
    const deadline = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`gave up after ${DEADLINE_MS / 1000} s: ${describe()}`));
    }, DEADLINE_MS);
    check();
  });
}

const corroborateDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'corroborate');

function showDiagnostics(doc: vscode.TextDocument): string {
  const seen = corroborateDiagnostics(doc.uri).map((d) => `${d.code} on "${doc.getText(d.range)}"`);
  return `diagnostics now: ${seen.length ? seen.join('; ') : 'none'}`;
}

/** Waits until the draft's Corroborate diagnostics satisfy `condition`. */
function diagnosticsWhere(doc: vscode.TextDocument, what: string, condition: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return when(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const diagnostics = corroborateDiagnostics(doc.uri);
      return condition(diagnostics) && diagnostics;
    },
    () => `expected ${what}; ${showDiagnostics(doc)}`,
  );
}

/** Waits for a diagnostic with `code` and returns it. */
async function diagnostic(doc: vscode.TextDocument, code: string, on?: string): Promise<vscode.Diagnostic> {
  const matches = (d: vscode.Diagnostic) => d.code === code && (!on || doc.getText(d.range).includes(on));
  const all = await diagnosticsWhere(doc, `${code}${on ? ` on "${on}"` : ''}`, (ds) => ds.some(matches));
  return all.find(matches)!;
}

/** Writes a draft into the workspace and opens it in an editor, as a writer would. */
async function openDraft(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(root(), 'drafts', name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

function positionAfter(doc: vscode.TextDocument, text: string, delta = 0): vscode.Position {
  const offset = doc.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" is not in the draft`);
  return doc.positionAt(offset + text.length + delta);
}

async function hoverText(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function sourceOutlet(fileName: string): Promise<string> {
  const sources = await api.client.sendRequest<SourceSummary[]>('corroborate/sources');
  const source = sources.find((s) => s.id.endsWith(fileName));
  assert.ok(source?.outlet, `the index has no outlet for ${fileName}`);
  return source.outlet;
}

/** Waits until the index reports `sources` articles. */
function indexedSources(sources: number) {
  return when(
    api.onStatus,
    () => api.status()?.state === 'ready' && api.status()!.sources === sources && api.status(),
    () => `expected ${sources} sources indexed; status now ${JSON.stringify(api.status())}`,
  );
}

describe('Corroborate in VS Code, installed from the packaged .vsix', () => {
  before(async () => {
    api = await activated();
  });
  afterEach(async () => {
    // A test that failed half-way may leave a draft unsaved; revert it so closing asks nothing.
    const drafts = vscode.Uri.joinPath(root(), 'drafts').path + '/';
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.path.startsWith(drafts))) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs the packaged extension: bundles present, sources left out', () => {
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    assert.ok(fs.existsSync(path.join(extensionPath, 'server', 'out', 'server.js')), 'the server bundle is packaged');
    assert.ok(fs.existsSync(path.join(extensionPath, 'client', 'out', 'extension.js')), 'the client bundle is packaged');
    assert.ok(!fs.existsSync(path.join(extensionPath, 'client', 'src')), '.vscodeignore keeps TypeScript sources out');
    assert.ok(!fs.existsSync(path.join(extensionPath, 'node_modules')), 'the bundles need no node_modules');
  });

  it('indexes the five sample articles and reports them in the status', async () => {
    const status = await indexedSources(5);
    assert.deepEqual(status.missingFolders, []);
  });

  it('starts its server with huge pages for the index, keeping the glibc tunables it was given (Linux)', function () {
    if (process.platform !== 'linux') this.skip();
    const serverScript = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'server', 'out', 'server.js');
    const servers = fs.readdirSync('/proc').filter((pid) => {
      try {
        return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(serverScript);
      } catch {
        return false; // A process that ended meanwhile, or another user's.
      }
    });
    assert.equal(servers.length, 1, `one server process runs ${serverScript}`);
    // The editor was given a tunable of its own (scripts/e2e/codeServer.ts). The environment a process started with
    // shows it; glibc cuts what follows from that copy as it reads the tunables, so huge pages are seen in memory.
    const environment = fs.readFileSync(`/proc/${servers[0]}/environ`, 'utf8').split('\0');
    for (const tunable of (process.env.GLIBC_TUNABLES ?? '').split(':').filter((t) => t.length > 0)) {
      assert.ok(environment.some((v) => v.startsWith('GLIBC_TUNABLES=') && v.includes(tunable)), `the server was started with ${tunable}`);
    }
    if (!/\[(madvise|always)\]/.test(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))) this.skip();
    const huge = Number(/AnonHugePages:\s+(\d+)/.exec(fs.readFileSync(`/proc/${servers[0]}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    assert.ok(huge >= 2048, `the server holds ${huge} kB in huge pages`);
  });

  it('Show Sources lists the indexed articles and opens the one picked', async () => {
    const shown = vscode.commands.executeCommand('corroborate.showSources');
    let settled = false;
    void shown.then(() => (settled = true), () => (settled = true));
    const opened = when(
      vscode.window.onDidChangeActiveTextEditor,
      () => vscode.window.activeTextEditor?.document.uri.path.includes('/corpus/') && vscode.window.activeTextEditor,
      () => `expected a corpus article to open; active editor: ${vscode.window.activeTextEditor?.document.uri.path ?? 'none'}`,
    );
    // The quick pick appears once the server has answered; accept its first item as soon as it is there.
    while (!settled) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await Promise.race([shown, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    const editor = await opened;
    assert.match(editor.document.getText(), /Sudani/);
  });

  it('flags an unknown citation key with a warning on the key', async () => {
    const { document } = await openDraft('unknown-key.md', 'As the agency reported [@no-such-key], the talks went on.\n');
    const warning = await diagnostic(document, 'citation-unknown');
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(document.getText(warning.range), /no-such-key/);
  });

  it('the hover on a citation key names the source and its outlet', async () => {
    const { document } = await openDraft('known-key.md', 'As Xinhua reported [@xinhua-2023-12-29], the talks went on.\n');
    const text = await hoverText(document, positionAfter(document, '[@xinhua', -2));
    assert.match(text, /Xinhua/);
  });

  it('a misquote and a wrong figure get their warnings when the draft is saved', async () => {
    const editor = await openDraft('on-save.md', '# Notes\n\n');
    const { document } = editor;
    await editor.edit((edit) =>
      edit.insert(
        document.positionAt(document.getText().length),
        'Al Sudani said: "We are in the process of reorganising this partnership," in Baghdad.\n\n' +
          'US air strikes have so far killed 61 militiamen.\n',
      ),
    );
    assert.ok(await document.save(), 'the draft was saved');
    await diagnosticsWhere(document, 'quote-mismatch and figure-mismatch', (ds) =>
      ['quote-mismatch', 'figure-mismatch'].every((code) => ds.some((d) => d.code === code)),
    );
    const quote = corroborateDiagnostics(document.uri).find((d) => d.code === 'quote-mismatch')!;
    const figure = corroborateDiagnostics(document.uri).find((d) => d.code === 'figure-mismatch')!;
    assert.match(document.getText(quote.range), /reorganising this partnership/);
    assert.match(document.getText(figure.range), /61/);
    assert.equal(figure.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('the hover on a verified quotation names the outlet that carries it', async () => {
    const { document } = await openDraft(
      'verified.md',
      'Al-Sudani said: "We appreciate the role of the coalition in supporting Iraq\'s efforts to confront the Islamic State militants."\n',
    );
    const outlet = await sourceOutlet('000_0a6316ea67d87268.txt');
    const text = await hoverText(document, positionAfter(document, 'We appreciate the role'));
    assert.ok(text.includes(outlet), `the hover names ${outlet}: ${text}`);
  });

  it('completion inside an open quotation offers the exact source wording', async () => {
    const { document } = await openDraft('complete.md', 'Al-Sudani said: "We appreciate the ro');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      document.positionAt(document.getText().length),
    );
    const inserted = list.items.map((item) => {
      const edit = item.textEdit ?? item.insertText ?? item.label;
      if (typeof edit === 'string') return edit;
      if ('newText' in edit) return edit.newText;
      if ('value' in edit) return edit.value;
      return edit.label;
    });
    assert.ok(
      inserted.some((text) => text.includes("role of the coalition in supporting Iraq's efforts to confront the Islamic State militants")),
      `no completion carries the source wording; offered: ${inserted.slice(0, 5).join(' | ') || 'nothing'}`,
    );
  });

  it('the quick fix replaces a misquotation with the source wording', async () => {
    const { document } = await openDraft('fix.md', 'Al Sudani said: "We are in the process of reorganising this partnership," in Baghdad.\n');
    const warning = await diagnostic(document, 'quote-mismatch');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, warning.range);
    const fix = actions.find((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.edit);
    assert.ok(fix?.edit, `no quick fix offered; actions: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applied');
    assert.match(document.getText(), /"We are in the process of reorganising this relationship,?"/);
    assert.doesNotMatch(document.getText(), /partnership/);
    await document.save();
    await diagnosticsWhere(document, 'the mismatch to clear after the fix', (ds) => !ds.some((d) => d.code === 'quote-mismatch'));
  });

  it('a new corpus article makes its citation key known without a restart', async () => {
    const { document } = await openDraft('new-source.md', 'Reuters reported the talks [@reuters-2024-01-05].\n');
    await diagnostic(document, 'citation-unknown');
    const article = vscode.Uri.joinPath(root(), 'corpus', 'e2e-reuters.md');
    const text = '---\ntitle: Talks on the coalition\noutlet: Reuters\ndate: 2024-01-05\n---\n\nThe talks went on in Baghdad.\n';
    await vscode.workspace.fs.writeFile(article, Buffer.from(text, 'utf8'));
    try {
      await indexedSources(6);
      await diagnosticsWhere(document, 'the unknown-key warning to clear', (ds) => !ds.some((d) => d.code === 'citation-unknown'));
    } finally {
      await vscode.workspace.fs.delete(article);
    }
    await indexedSources(5);
  });

  it('editing a corpus article changes a quotation verdict without a restart', async () => {
    const quote = 'The coalition will be gone from Iraq before the summer is out';
    const { document } = await openDraft('corpus-edit.md', `The minister said: "${quote}," on Friday.\n`);
    await diagnostic(document, 'quote-unsourced', 'summer');
    const article = vscode.Uri.joinPath(root(), 'corpus', '004_bb8dced5199b2cb5.txt');
    const original = await vscode.workspace.fs.readFile(article);
    const added = `\n\n\u201c${quote},\u201d Mr Al Sudani told reporters on Friday.\n`;
    await vscode.workspace.fs.writeFile(article, Buffer.concat([Buffer.from(original), Buffer.from(added, 'utf8')]));
    try {
      await diagnosticsWhere(document, 'the quotation to be verified by the edited article', (ds) =>
        !ds.some((d) => d.code === 'quote-unsourced' || d.code === 'quote-mismatch'),
      );
    } finally {
      await vscode.workspace.fs.writeFile(article, original);
    }
    await diagnostic(document, 'quote-unsourced', 'summer');
  });
});
