// Bundles the client, the server and the command line with esbuild: one file
// each, no node_modules at run time, so the .vsix ships only what runs.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const watch = process.argv.includes('--watch');
// The options every bundle is made with, shared with the benchmark (bench/launch.ts), which measures the code as it
// ships. tsx is external: it is named only where the parse pool runs from TypeScript sources (tests, benchmark).
const bundleOptions = JSON.parse(readFileSync(new URL('./bundleOptions.json', import.meta.url), 'utf8'));
const common = { ...bundleOptions, sourcemap: true };

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode', 'tsx/cjs'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' }),
  // The parsing worker the server and the command line start (server/src/parsePool.ts finds it beside them).
  build({ ...common, entryPoints: ['server/src/parseWorker.ts'], outfile: 'server/out/parseWorker.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js' }).catch((e) => {
    if (!String(e).includes('Could not resolve')) throw e;
  }),
]);
if (watch) console.log('watch mode is not supported; rerun npm run build');
