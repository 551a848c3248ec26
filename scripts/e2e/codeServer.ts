/**
 * Starts code-server the way the end-to-end tests and `npm run editor` use it:
 * loopback only, no auth, no telemetry, and every folder it writes to (user
 * data, extensions, config, XDG) under one run folder, never the home folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, type CodeServerInstall } from './provision';

/** The folders of one code-server run, all under `root`. */
export interface RunFolders {
  root: string;
  userData: string;
  extensions: string;
  xdg: string;
  config: string;
  log: string;
}

/** A temporary run folder with user settings that keep the workbench quiet and offline. */
export function makeRunFolders(prefix = 'corroborate-e2e-'): RunFolders {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const folders: RunFolders = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdg: path.join(root, 'xdg'),
    config: path.join(root, 'config.yaml'),
    log: path.join(root, 'code-server.log'),
  };
  fs.mkdirSync(path.join(folders.userData, 'User'), { recursive: true });
  fs.mkdirSync(folders.extensions, { recursive: true });
  fs.mkdirSync(folders.xdg, { recursive: true });
  fs.writeFileSync(
    path.join(folders.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'security.workspace.trust.enabled': false,
      },
      null,
      2,
    ),
  );
  return folders;
}

/**
 * Copies the sample workspace: the repo's `corpus/` and the e2e fixtures
 * (a draft and workspace settings), so tests may edit sources freely.
 */
export function makeSampleWorkspace(parent: string, name = 'workspace'): string {
  const dir = path.join(parent, name);
  fs.cpSync(path.join(REPO, 'test', 'e2e', 'workspace'), dir, { recursive: true });
  fs.cpSync(path.join(REPO, 'corpus'), path.join(dir, 'corpus'), { recursive: true });
  return dir;
}

function codeServerEnv(install: CodeServerInstall, folders: RunFolders): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${install.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: folders.xdg,
    XDG_DATA_HOME: folders.xdg,
    XDG_CACHE_HOME: folders.xdg,
    // A glibc tunable of the user's own (harmless), which the extension must keep when it adds huge pages for its server.
    GLIBC_TUNABLES: process.env.GLIBC_TUNABLES || 'glibc.malloc.arena_max=8',
  };
  // An enclosing `npm run` points these at the machine's Node; code-server needs its own.
  delete env.NODE;
  delete env.npm_node_execpath;
  return env;
}

function commonArgs(folders: RunFolders): string[] {
  return ['--user-data-dir', folders.userData, '--extensions-dir', folders.extensions, '--config', folders.config];
}

/**
 * Installs a .vsix into the run's extensions folder with code-server's own
 * `--install-extension`, as a user would, and returns the installed folder.
 */
export function installExtension(install: CodeServerInstall, folders: RunFolders, vsix: string): string {
  const result = spawnSync(install.codeServer, [...commonArgs(folders), '--install-extension', vsix], {
    env: codeServerEnv(install, folders),
    encoding: 'utf8',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${output}`);
  const installed = fs.readdirSync(folders.extensions).find((name) => name.startsWith('corroborate.corroborate-'));
  if (!installed) throw new Error(`installing ${vsix} left no corroborate.corroborate-* folder in ${folders.extensions}:\n${output}`);
  return path.join(folders.extensions, installed);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  /** `127.0.0.1:PORT` */
  host: string;
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** A `vscode-remote://` URI for a path on this machine, as the workbench's `?payload=` wants. */
  remote(file: string): string;
  /** The workbench address that opens `folder`. */
  folderUrl(folder: string, payload?: [string, string][]): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Lets a page run extension tests (`?payload=` with `extensionTestsPath`) and report their exit code. */
  testDriver?: boolean;
  port?: number;
}

/** Starts code-server in its own process group and resolves once it answers `/healthz`. */
export async function startCodeServer(install: CodeServerInstall, folders: RunFolders, options: StartOptions = {}): Promise<RunningCodeServer> {
  const port = options.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  const logFd = fs.openSync(folders.log, 'a');
  const args = [
    '--auth', 'none',
    '--bind-addr', host,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    ...commonArgs(folders),
    ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(install.codeServer, args, { detached: true, stdio: ['ignore', logFd, logFd], env: codeServerEnv(install, folders) });
  fs.closeSync(logFd);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `code-server exited (${signal ?? code}); see ${folders.log}`));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', kill);

  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      if ((await fetch(`http://${host}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) {
      kill();
      throw new Error(`code-server did not answer on ${host} within 60 s; see ${folders.log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const remote = (file: string) => `vscode-remote://${host}${path.resolve(file)}`;
  return {
    host,
    url: `http://${host}/`,
    remote,
    folderUrl: (folder, payload) =>
      `http://${host}/?folder=${encodeURIComponent(remote(folder))}` + (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      kill();
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
  };
}
