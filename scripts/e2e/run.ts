/**
 * `npm run test:e2e`: the end-to-end tests in a real VS Code (code-server),
 * offline, driven by Debian's Chromium.
 *
 * 1. provisions code-server into the ignored cache (first run only);
 * 2. packages the extension and installs the .vsix with `--install-extension`;
 * 3. runs the extension-host suite (test/e2e/suite) inside the workbench, the way
 *    @vscode/test-electron does, on a copy of the sample workspace;
 * 4. runs the workbench test (test/e2e/workbench.test.ts), which clicks through the
 *    editor in Chromium and saves screenshots under test-output/e2e/.
 *
 * Exits 0 when both pass, 1 when a test fails, 2 when the run could not start.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import { launchChromium } from './chromium';
import { installExtension, makeRunFolders, makeSampleWorkspace, startCodeServer, type RunningCodeServer } from './codeServer';
import { bundleSuite, packageExtension } from './prepare';
import { MissingPrerequisite, provisionCodeServer, REPO } from './provision';

export const OUTPUT_DIR = path.join(REPO, 'test-output', 'e2e');
const SUITE_DEADLINE_MS = 5 * 60_000;
/** Workbench console lines that are expected noise offline (gallery look-ups, auth providers, …). */
const NOISE = /ENOTFOUND|EAI_AGAIN|authentication provider|AccountPolicyGate|connection token|Creating a socket|grace time|Service Worker|builtin extensions cache|AgentHost|marketplace|gallery|Failed to load resource/i;

const log = (line: string) => console.log(`[e2e] ${line}`);

/** Runs the extension-host suite in a fresh workbench page; resolves with its exit code. */
async function runExtensionHostSuite(server: RunningCodeServer, extensionDir: string, suiteEntry: string, workspace: string): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let exit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    const payload: [string, string][] = [
      // The installed copy of the .vsix is the extension under test, not the source tree.
      ['extensionDevelopmentPath', server.remote(extensionDir)],
      ['extensionTestsPath', server.remote(suiteEntry)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(server.folderUrl(workspace, payload));
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), SUITE_DEADLINE_MS))),
    ]);
    clearTimeout(timer);
    if (code === -1) log(`the extension-host suite did not finish within ${SUITE_DEADLINE_MS / 60_000} minutes`);
    return code;
  } finally {
    await browser.close();
  }
}

/** Runs the Chromium-driven workbench test with mocha in this process; resolves with the failure count. */
function runWorkbenchTest(server: RunningCodeServer, workspace: string): Promise<number> {
  process.env.CORROBORATE_E2E_WORKBENCH_URL = server.folderUrl(workspace);
  process.env.CORROBORATE_E2E_OUTPUT = OUTPUT_DIR;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, reporter: 'spec' });
  mocha.addFile(path.join(REPO, 'test', 'e2e', 'workbench.test.ts'));
  return new Promise((resolve) => mocha.run(resolve));
}

async function main(): Promise<number> {
  const started = Date.now();
  let install;
  try {
    install = provisionCodeServer(log);
  } catch (error) {
    if (error instanceof MissingPrerequisite) {
      console.error(`[e2e] cannot run the end-to-end tests: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const vsix = packageExtension(log);
  const suiteEntry = await bundleSuite();
  const folders = makeRunFolders();
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  let keepFolders = false;
  try {
    const extensionDir = installExtension(install, folders, vsix);
    log(`installed ${path.basename(vsix)} as ${path.basename(extensionDir)}`);
    const server = await startCodeServer(install, folders, { testDriver: true });
    log(`code-server ${server.url} up after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    try {
      log('extension-host suite (VS Code API):');
      const suiteCode = await runExtensionHostSuite(server, extensionDir, suiteEntry, makeSampleWorkspace(folders.root, 'workspace-api'));
      log(`extension-host suite exited with ${suiteCode}`);
      log('workbench test (Chromium):');
      const workbenchFailures = await runWorkbenchTest(server, makeSampleWorkspace(folders.root, 'workspace-ui'));
      const passed = suiteCode === 0 && workbenchFailures === 0;
      log(`${passed ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(REPO, OUTPUT_DIR)}/`);
      keepFolders = !passed;
      return passed ? 0 : 1;
    } finally {
      await server.stop();
    }
  } finally {
    if (keepFolders) {
      fs.copyFileSync(folders.log, path.join(OUTPUT_DIR, 'code-server.log'));
      log(`kept the run folder for inspection: ${folders.root} (code-server log copied to ${path.relative(REPO, OUTPUT_DIR)}/)`);
    } else fs.rmSync(folders.root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    // The message says what failed (packaging, installing, starting); the stack would only bury it.
    console.error(`[e2e] could not run the end-to-end tests: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
