/**
 * Speaks LSP to the real server over stdio, as another editor would, with
 * vscode-jsonrpc. Tests wait for events (diagnostics, status), never for a fixed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { TEST_INDEX_CACHE } from './workspace';

export const SERVER = path.resolve(__dirname, '..', '..', 'server', 'out', 'server.js');

export interface WorkDoneProgress {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  percentage?: number;
}

export interface Status {
  state: 'indexing' | 'ready';
  sources: number;
  problems: number;
  missingFolders: string[];
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly messages: Array<{ type: number; message: string }> = [];
  readonly logs: string[] = [];
  readonly applied: unknown[] = [];
  status: Status | undefined;
  /** Work-done progress the server reported (`begin`, `report`s, `end`), in order. */
  readonly progress: WorkDoneProgress[] = [];
  /** How many status notifications have arrived: the server sends one after every index change. */
  statusCount = 0;
  private waiters: Array<() => void> = [];
  private versions = new Map<string, number>();
  stderr = '';

  /**
   * @param env variables added to the server's environment (`CORROBORATE_INDEX_CACHE` names where its index snapshot goes;
   *   by default a folder of this test run's own)
   */
  constructor(
    readonly workspace: string,
    public settings: Record<string, unknown> = {},
    env: Record<string, string> = {},
  ) {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CORROBORATE_INDEX_CACHE: TEST_INDEX_CACHE, ...env } });
    this.process.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.wake();
    });
    this.connection.onNotification('corroborate/status', (s: Status) => {
      this.status = s;
      this.statusCount++;
      this.wake();
    });
    this.connection.onNotification('window/showMessage', (m: { type: number; message: string }) => {
      this.messages.push(m);
      this.wake();
    });
    this.connection.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
      this.messages.push(m);
      this.wake();
      return null;
    });
    this.connection.onNotification('window/logMessage', (m: { message: string }) => {
      this.logs.push(m.message);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (p: { value: WorkDoneProgress }) => {
      this.progress.push(p.value);
    });
    this.connection.onRequest('workspace/applyEdit', (p: unknown) => {
      this.applied.push(p);
      this.wake();
      return { applied: true };
    });
    this.connection.listen();
  }

  /** Starts the session and waits until the first index is ready. */
  async start(): Promise<void> {
    await this.connect();
    await this.until(() => this.status?.state === 'ready', 'the first index');
  }

  /** Starts the session, without waiting for the first index (it is built behind the `initialized` notification). */
  async connect(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(this.workspace).href, name: 'ws' }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, applyEdit: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] } },
      },
    });
    this.connection.sendNotification('initialized', {});
  }

  uri(relative: string): string {
    return pathToFileURL(path.join(this.workspace, relative)).href;
  }

  open(relative: string, text: string, languageId = 'markdown'): string {
    const uri = this.uri(relative);
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Waits for diagnostics of `uri` at its latest version (or matching `accept`). */
  async diagnosticsFor(uri: string, accept: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    await this.until(() => {
      const p = this.diagnostics.get(uri);
      return !!p && (p.version === undefined || p.version === version) && accept(p.diagnostics);
    }, `diagnostics for ${uri}`);
    return this.diagnostics.get(uri)!.diagnostics;
  }

  /** Sends a corpus file event and waits for the index to report back. */
  async fileEvent(file: string, type: 1 | 2 | 3): Promise<void> {
    const { pathToFileURL: toUrl } = await import('node:url');
    const before = this.statusCount;
    this.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: toUrl(file).href, type }] });
    await this.until(() => this.statusCount > before && this.status?.state === 'ready', `the index after ${file}`);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params);
  }

  /** Resolves when `condition` holds, checking after every message from the server. */
  until(condition: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      const check = () => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    this.process.kill();
  }
}

/** Applies LSP text edits (for one document) to a string, as an editor would. */
export function applyEdits(text: string, edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
