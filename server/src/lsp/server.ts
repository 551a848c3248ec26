/**
 * The LSP layer: a connection, open documents, settings and the disk corpus,
 * wired to the language service. Each handler looks up the document, returns
 * early if it is not a draft, and calls the service; errors are logged and
 * answered with an empty result, so the server stays up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  InsertTextFormat,
  MarkupKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Cancellation, Draft, Logger } from '../core/types';
import { createService, type CorroborateService } from '../core/service';
import { createCorpusIndex } from '../core/index/parts';
import { DiskCorpus } from '../diskCorpus';
import { warmUpRecognizer } from '../core/figures/recognize';
import { hostIndexCache } from '../indexCache';
import { SettingsStore } from './settings';
import { toDiagnostic, toLocation, toRange, toSpan, toTextEdit } from './convert';
import { Commands, SourcesRequest, StatusNotification, type StatusParams } from './protocol';

/** A cancellation flag we can set ourselves (a newer edit cancels older work). */
class Flag implements Cancellation {
  isCancellationRequested = false;
  cancel(): void {
    this.isCancellationRequested = true;
  }
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const logger: Logger = {
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };
  const index = createCorpusIndex();
  const corpus = new DiskCorpus(index, logger, hostIndexCache(logger));
  let settings!: SettingsStore;
  let service!: CorroborateService;
  let workspaceFolders: string[] = [];
  let canPullConfig = false;
  let canRegisterWatchers = false;
  let canShowProgress = false;
  let canWatchFolders = false;
  let loading: Flag | undefined;
  let ready: Promise<void> = Promise.resolve();
  let recognizerWarm = false;
  let citationsWarm = false;
  /** Problems already shown as a window message: each is shown once, then only logged. */
  const shownProblems = new Set<string>();
  const pending = new Map<string, { timer?: NodeJS.Timeout; flag: Flag }>();

  const safe = <A extends unknown[], R>(what: string, fallback: R, run: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } catch (e) {
        logger.error(`${what} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return fallback;
      }
    };

  const filePath = (uri: string): string | undefined => {
    try {
      return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    } catch {
      return undefined;
    }
  };

  /** Drafts are documents in a draft language that are not themselves in the corpus. */
  const asDraft = (uri: string): Draft | undefined => {
    const doc = documents.get(uri);
    if (!doc || !settings.current.languages.includes(doc.languageId)) return undefined;
    const file = filePath(uri);
    if (file && corpus.contains(file)) return undefined;
    return { id: uri, version: doc.version, text: doc.getText(), languageId: doc.languageId };
  };

  const corpusFolders = (): string[] => {
    const roots = workspaceFolders.length ? workspaceFolders : [process.cwd()];
    const out: string[] = [];
    for (const p of settings.current.corpus.paths) {
      if (path.isAbsolute(p)) out.push(p);
      else for (const root of roots) out.push(path.join(root, p));
    }
    return [...new Set(out)];
  };

  const sendStatus = (state: StatusParams['state']) => {
    const params: StatusParams = { state, sources: index.size, problems: corpus.problems().length, missingFolders: corpus.missingFolders };
    void connection.sendNotification(StatusNotification, params);
  };

  const reportProblems = (problems: string[]) => {
    const fresh = problems.filter((p) => !shownProblems.has(p));
    fresh.forEach((p) => shownProblems.add(p));
    if (fresh.length === 0) return;
    const head = fresh.slice(0, 3).join(' ');
    const more = fresh.length > 3 ? ` (and ${fresh.length - 3} more; see the Corroborate output)` : '';
    // Actions the user can take; the client carries them out (`corroborate/showOutput`, `corroborate/openSettings`).
    const actions = [{ title: 'Show Output' }, ...(fresh.some((p) => /corroborate\.corpus\.paths/.test(p)) ? [{ title: 'Open Settings' }] : [])];
    void connection.window.showWarningMessage(`Corroborate: ${head}${more}`, ...actions).then(
      (choice) => {
        if (choice?.title === 'Show Output') void connection.sendNotification('corroborate/showOutput');
        if (choice?.title === 'Open Settings') void connection.sendNotification('corroborate/openSettings', { setting: 'corroborate.corpus.paths' });
      },
      () => undefined,
    );
  };

  /**
   * Builds the index from the corpus folders, with work-done progress; a newer
   * build cancels an older one. It starts from the snapshot of the last build
   * unless `fresh` (the Reindex command: the user asked for every file to be read).
   */
  const reindex = (fresh = false): Promise<void> => {
    loading?.cancel();
    const flag = (loading = new Flag());
    ready = (async () => {
      sendStatus('indexing');
      const progress = canShowProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
      progress?.begin('Corroborate: indexing sources', 0, undefined, false);
      const started = Date.now();
      const report = await corpus.load(
        corpusFolders(),
        flag,
        (done, total) => progress?.report(Math.round((done / Math.max(1, total)) * 100), `${done} of ${total} files`),
        { fresh },
      );
      progress?.done();
      if (flag.isCancellationRequested) return;
      logger.info(
        `Indexed ${report.indexed} sources from ${corpus.folders.join(', ')} in ${Date.now() - started} ms ` +
          `(${report.restored} files from the index snapshot, ${report.read} read)`,
      );
      reportProblems(report.problems);
      sendStatus('ready');
      // The number recogniser loads its models on first use (~70 ms): pay that once here, not in the first check a writer waits for.
      if (!recognizerWarm) {
        recognizerWarm = true;
        warmUpRecognizer();
      }
      revalidateAll();
      // Styles other than pandoc format hovers through the CSL processor: start it once, after the first checks, not in the first hover.
      const style = settings.current.citation;
      if (!citationsWarm && (style.style !== 'pandoc' || style.cslFile)) {
        citationsWarm = true;
        setTimeout(() => void safe('citation styles', undefined, () => service.prepareCitations())(), 500);
      }
    })().catch((e) => logger.error(`Indexing failed: ${e instanceof Error ? e.stack : e}`));
    return ready;
  };

  const publish = async (uri: string, flag: Flag) => {
    await ready;
    const draft = asDraft(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    if (!draft) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const findings = service.diagnostics(draft, flag);
    // Stale results are never published over newer ones.
    if (flag.isCancellationRequested || documents.get(uri)?.version !== draft.version) return;
    const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(doc, index, f));
    void connection.sendDiagnostics({ uri, version: draft.version, diagnostics });
  };

  const schedule = (uri: string, delay: number) => {
    const previous = pending.get(uri);
    if (previous) {
      clearTimeout(previous.timer);
      previous.flag.cancel();
    }
    const flag = new Flag();
    const entry: { timer?: NodeJS.Timeout; flag: Flag } = { flag };
    entry.timer = setTimeout(() => {
      void safe('diagnostics', undefined, () => publish(uri, flag))();
    }, delay);
    pending.set(uri, entry);
  };

  const revalidateAll = () => {
    for (const doc of documents.all()) schedule(doc.uri, 0);
  };

  /** Reads a file named in settings (a CSL style): absolute, or relative to the first workspace folder that has it. */
  const readSettingsFile = (file: string): string => {
    const roots = workspaceFolders.length ? workspaceFolders : [process.cwd()];
    const candidates = path.isAbsolute(file) ? [file] : roots.map((root) => path.join(root, file));
    return fs.readFileSync(candidates.find((c) => fs.existsSync(c)) ?? candidates[0], 'utf8');
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPullConfig = !!caps.workspace?.configuration;
    canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canShowProgress = !!caps.window?.workDoneProgress;
    canWatchFolders = !!caps.workspace?.workspaceFolders;
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    workspaceFolders = folders.map((f) => filePath(f.uri)).filter((p): p is string => !!p);
    if (workspaceFolders.length === 0 && params.rootPath) workspaceFolders = [params.rootPath];
    settings = new SettingsStore(connection, canPullConfig, params.initializationOptions);
    service = createService({ index, settings: () => settings.current, logger, readTextFile: readSettingsFile });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ['"', '\u201c', '@', ' ', '\u2018', '\u00ab'], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor] },
        executeCommandProvider: { commands: Object.values(Commands) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'corroborate', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (canPullConfig) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'corroborate' }).catch(() => undefined);
    }
    reportProblems(await settings.refresh());
    if (canRegisterWatchers) await registerWatchers();
    if (canWatchFolders) connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => filePath(f.uri)));
      workspaceFolders = workspaceFolders.filter((f) => !removed.has(f));
      for (const f of e.added) {
        const p = filePath(f.uri);
        if (p) workspaceFolders.push(p);
      }
      void reindex();
    });
    await reindex();
  });

  /** Watches every corpus folder (absolute ones too, which a workspace-wide watcher would miss). */
  const registerWatchers = async () => {
    const { DidChangeWatchedFilesNotification } = await import('vscode-languageserver/node');
    const watchers = corpusFolders().map((folder) => ({ globPattern: { baseUri: pathToFileURL(folder).href, pattern: '**/*' } }));
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((e) => logger.warn(`Cannot watch corpus: ${e}`));
  };

  connection.onDidChangeConfiguration(
    safe('settings change', undefined, async (change) => {
      const before = JSON.stringify(settings.current.corpus.paths);
      reportProblems(await settings.refresh(change.settings));
      if (JSON.stringify(settings.current.corpus.paths) !== before) {
        if (canRegisterWatchers) await registerWatchers();
        await reindex();
      } else revalidateAll();
    }),
  );

  connection.onDidChangeWatchedFiles(
    safe('corpus change', undefined, async (change) => {
      await ready;
      let touched = false;
      for (const event of change.changes) {
        const file = filePath(event.uri);
        if (!file || !corpus.contains(file)) continue;
        touched = true;
        if (event.type === FileChangeType.Deleted) await corpus.deleted(file);
        else await corpus.changed(file);
      }
      if (!touched) return;
      reportProblems(corpus.problems());
      sendStatus('ready');
      revalidateAll();
    }),
  );

  documents.onDidChangeContent((e) => {
    if (settings.current.validate === 'onType') schedule(e.document.uri, settings.current.validateDelay);
  });
  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidSave((e) => schedule(e.document.uri, 0));
  documents.onDidClose((e) => {
    pending.get(e.document.uri)?.flag.cancel();
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(
    safe('hover', null, async (params, token) => {
      // Answer with what is indexed so far: a large corpus must not block the editor.
      const draft = asDraft(params.textDocument.uri);
      const doc = documents.get(params.textDocument.uri);
      if (!draft || !doc) return null;
      const hover = service.hover(draft, doc.offsetAt(params.position), token);
      return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: toRange(doc, hover) } : null;
    }),
  );

  connection.onDefinition(
    safe('definition', [], async (params, token) => {
      // Answer with what is indexed so far: a large corpus must not block the editor.
      const draft = asDraft(params.textDocument.uri);
      const doc = documents.get(params.textDocument.uri);
      if (!draft || !doc) return [];
      return service
        .definition(draft, doc.offsetAt(params.position), token)
        .map((ref) => toLocation(index, ref))
        .filter((l): l is NonNullable<typeof l> => !!l);
    }),
  );

  const COMPLETION_KIND = { quote: CompletionItemKind.Text, name: CompletionItemKind.Reference, figure: CompletionItemKind.Value, citation: CompletionItemKind.Reference };

  connection.onCompletion(
    safe('completion', [] as CompletionItem[] | CompletionList, async (params, token) => {
      // Answer with what is indexed so far: a large corpus must not block the editor.
      const draft = asDraft(params.textDocument.uri);
      const doc = documents.get(params.textDocument.uri);
      if (!draft || !doc) return [];
      // Incomplete: the server ranks and filters (fuzzily, from the middle of passages), so the client asks again as the writer types.
      const items: CompletionItem[] = service.completions(draft, doc.offsetAt(params.position), token).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        sortText: c.sortText,
        filterText: c.filterText,
        insertTextFormat: InsertTextFormat.PlainText,
        textEdit: toTextEdit(doc, c.edit),
      }));
      return { isIncomplete: true, items };
    }),
  );

  connection.onCodeAction(
    safe('code action', [] as CodeAction[], async (params, token) => {
      // Answer with what is indexed so far: a large corpus must not block the editor.
      const uri = params.textDocument.uri;
      const draft = asDraft(uri);
      const doc = documents.get(uri);
      if (!draft || !doc) return [];
      const actions = service.codeActions(draft, toSpan(doc, params.range), token);
      return actions.map((a) => {
        const diagnostic = a.fixes && params.context.diagnostics.find((d) => d.code === a.fixes!.code && doc.offsetAt(d.range.start) === a.fixes!.start);
        return {
          title: a.title,
          kind: a.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor,
          isPreferred: a.preferred,
          diagnostics: diagnostic ? [diagnostic] : undefined,
          edit: { changes: { [uri]: a.edits.map((e) => toTextEdit(doc, e)) } },
        };
      });
    }),
  );

  connection.onRequest(SourcesRequest, safe('sources', [], async () => {
    await ready;
    return service.sources();
  }));

  connection.onExecuteCommand(
    safe('command', undefined, async (params) => {
      await ready;
      const args = params.arguments ?? [];
      if (params.command === Commands.reindex) {
        await reindex(true);
        return index.size;
      }
      const uri = typeof args[0] === 'string' ? args[0] : undefined;
      const draft = uri && asDraft(uri);
      const doc = uri && documents.get(uri);
      if (!uri || !draft || !doc) {
        void connection.window.showWarningMessage('Corroborate: open a draft first.');
        return undefined;
      }
      let edits;
      if (params.command === Commands.insertBibliography) {
        edits = service.bibliography(draft);
        if (edits.length === 0) void connection.window.showInformationMessage('Corroborate: the draft cites no known source.');
      } else if (params.command === Commands.insertCitation) {
        edits = service.citationEdits(draft, Number(args[1]), String(args[2]));
      } else return undefined;
      if (edits.length) await connection.workspace.applyEdit({ label: 'Corroborate', edit: { changes: { [uri]: edits.map((e) => toTextEdit(doc, e)) } } });
      return undefined;
    }),
  );

  documents.listen(connection);
  connection.listen();
}
