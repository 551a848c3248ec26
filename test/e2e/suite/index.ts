/**
 * The entry point VS Code's extension host loads with `extensionTestsPath`, as
 * @vscode/test-electron and the code-server runner both do. It must be
 * CommonJS (esbuild bundles it so) and use mocha 11: mocha 12 is ESM-only.
 */
import Mocha from 'mocha';

/** Runs the suite inside the extension host; rejects when any test fails. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  // The test file is bundled into this one, so instead of mocha.addFile it is
  // required here, after mocha has put `describe`/`it` on the global object.
  mocha.suite.emit('pre-require', globalThis, 'extension.test.js', mocha);
  require('./extension.test');
  mocha.suite.emit('post-require', globalThis, 'extension.test.js', mocha);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} end-to-end test(s) failed`)) : resolve()));
  });
}
