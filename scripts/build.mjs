// Bundles the client, the server and the command line with esbuild: one file
// each, no node_modules at run time, so the .vsix ships only what runs.
import { build } from 'esbuild';

const watch = process.argv.includes('--watch');
// tsx is named only where the parse pool runs from TypeScript sources (tests, benchmark), never in a bundle.
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', mainFields: ['module', 'main'], external: ['tsx/cjs'] };

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
