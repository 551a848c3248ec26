/**
 * The VS Code client: starts the Corroborate language server, shows the index
 * state in the status bar, and offers the commands. All analysis is in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverTunables } from './serverEnvironment';

// Kept in step with server/src/lsp/protocol.ts (the client bundle does not import server code).
const SourcesRequest = 'corroborate/sources';
const StatusNotification = 'corroborate/status';
const ServerCommands = {
  insertBibliography: 'corroborate.server.insertBibliography',
  reindex: 'corroborate.server.reindex',
};

interface SourceSummary {
  id: string;
  key: string;
  relativePath: string;
  title?: string;
  outlet?: string;
  date?: string;
  problems: string[];
}
interface StatusParams {
  state: 'indexing' | 'ready';
  sources: number;
  problems: number;
  missingFolders: string[];
}

let client: LanguageClient | undefined;

/** What the extension exposes to other extensions and to its end-to-end tests. */
export interface CorroborateApi {
  /** Resolves when the first index is built; then with each later status. */
  status(): StatusParams | undefined;
  onStatus: vscode.Event<StatusParams>;
  client: LanguageClient;
}

export async function activate(context: vscode.ExtensionContext): Promise<CorroborateApi> {
  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  // Added to the extension host's environment (see serverEnvironment.ts).
  const env = { GLIBC_TUNABLES: serverTunables(process.env.GLIBC_TUNABLES) };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: draftSelector(),
    synchronize: { configurationSection: 'corroborate' },
    outputChannelName: 'Corroborate',
    // Hovers carry an "Insert citation" command link; VS Code runs only the commands trusted here.
    markdown: { isTrusted: { enabledCommands: ['corroborate.server.insertCitation'] } },
  };
  client = new LanguageClient('corroborate', 'Corroborate', serverOptions, clientOptions);

  const statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  statusItem.name = 'Corroborate';
  statusItem.command = 'corroborate.showSources';
  statusItem.text = '$(sync~spin) Corroborate: indexing';
  statusItem.show();
  context.subscriptions.push(statusItem);

  let lastStatus: StatusParams | undefined;
  const statusEmitter = new vscode.EventEmitter<StatusParams>();
  context.subscriptions.push(statusEmitter);

  context.subscriptions.push(
    vscode.commands.registerCommand('corroborate.showSources', async () => {
      const sources = await client!.sendRequest<SourceSummary[]>(SourcesRequest);
      if (sources.length === 0) {
        void vscode.window.showInformationMessage('Corroborate: no sources indexed. Put articles in a corpus/ folder or set corroborate.corpus.paths.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        sources.map((s) => ({
          label: s.title ?? s.relativePath,
          description: [s.outlet ?? 'unknown outlet', s.date ?? 'n.d.'].join(', '),
          detail: `$(key) ${s.key}  $(file) ${s.relativePath}${s.problems.length ? `  $(warning) ${s.problems.join('; ')}` : ''}`,
          source: s,
        })),
        { placeHolder: `${sources.length} sources: choose one to open`, matchOnDescription: true, matchOnDetail: true },
      );
      if (picked) await vscode.window.showTextDocument(vscode.Uri.parse(picked.source.id), { preview: true });
    }),
    vscode.commands.registerCommand('corroborate.reindex', async () => {
      const count = await vscode.commands.executeCommand<number | undefined>(ServerCommands.reindex);
      if (typeof count === 'number') void vscode.window.showInformationMessage(`Corroborate: reindexed ${count} source${count === 1 ? '' : 's'}.`);
    }),
    vscode.commands.registerCommand('corroborate.insertBibliography', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showWarningMessage('Corroborate: open a draft first.');
        return;
      }
      await vscode.commands.executeCommand(ServerCommands.insertBibliography, editor.document.uri.toString());
    }),
  );

  // Registered before the client starts: the first status (the first index) can arrive as soon as the server is up.
  context.subscriptions.push(
    client.onNotification(StatusNotification, (params: StatusParams) => {
      lastStatus = params;
      if (params.state === 'indexing') {
        statusItem.text = '$(sync~spin) Corroborate: indexing';
      } else {
        const warn = params.missingFolders.length || params.problems ? ' $(warning)' : '';
        statusItem.text = `$(book) Corroborate: ${params.sources} source${params.sources === 1 ? '' : 's'}${warn}`;
      }
      statusItem.tooltip = params.missingFolders.length
        ? `Missing corpus folder: ${params.missingFolders.join(', ')} (set corroborate.corpus.paths). Click to list the sources.`
        : `${params.sources} sources indexed${params.problems ? `, ${params.problems} problems (see Output › Corroborate)` : ''}. Click to list them.`;
      statusEmitter.fire(params);
    }),
  );

  // The server's warnings about the corpus offer these actions.
  context.subscriptions.push(
    client.onNotification('corroborate/showOutput', () => client?.outputChannel.show(true)),
    client.onNotification('corroborate/openSettings', (params: { setting?: string }) => {
      void vscode.commands.executeCommand('workbench.action.openSettings', params?.setting ?? 'corroborate');
    }),
  );

  // The draft languages decide which documents the client sends; a change re-registers them by restarting the client.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('corroborate.languages') || !client) return;
      client.clientOptions.documentSelector = draftSelector();
      try {
        await client.restart();
      } catch {
        const reload = 'Reload Window';
        if ((await vscode.window.showWarningMessage('Corroborate: the draft languages changed; reload the window to apply them.', reload)) === reload) {
          await vscode.commands.executeCommand('workbench.action.reloadWindow');
        }
      }
    }),
  );

  await client.start();
  context.subscriptions.push(client);
  return { status: () => lastStatus, onStatus: statusEmitter.event, client };
}

/** Documents checked as drafts: the languages of `corroborate.languages`, saved or untitled. */
function draftSelector(): Array<{ scheme: string; language: string }> {
  const configured = vscode.workspace.getConfiguration('corroborate').get<unknown>('languages');
  const languages = Array.isArray(configured) && configured.every((l) => typeof l === 'string') && configured.length ? (configured as string[]) : ['markdown', 'plaintext'];
  return languages.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
