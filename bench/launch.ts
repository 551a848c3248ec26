/**
 * `npm run bench`: bundles the benchmark (bench/run.ts), the start it runs in
 * processes of their own (bench/startup.ts) and the parsing worker with
 * esbuild, as the server and the command line are bundled, and runs the
 * benchmark's bundle with node, in the environment the extension starts the
 * server with (see client/src/serverEnvironment.ts). Everything is then
 * timed on the code as it ships: under tsx every call from one module into
 * another goes through the module's export getters, and its loader adds
 * source maps, a compiler thread and tens of MB (on the re-index sample,
 * about a sixth of the time).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';
import { serverTunables } from '../client/src/serverEnvironment';
import bundleOptions from '../scripts/bundleOptions.json';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.cache', 'bench-code');

// The options the server, the command line and the parsing worker are bundled with (scripts/build.mjs).
const common = bundleOptions as BuildOptions;
buildSync({ ...common, entryPoints: [path.join(__dirname, 'run.ts')], outfile: path.join(OUT, 'run.js') });
buildSync({ ...common, entryPoints: [path.join(__dirname, 'startup.ts')], outfile: path.join(OUT, 'startup.js') });
// parsePool.ts finds the worker beside the bundle that starts it: the starts, and a load of the benchmark's own that misses the snapshot.
buildSync({ ...common, entryPoints: [path.join(ROOT, 'server', 'src', 'parseWorker.ts')], outfile: path.join(OUT, 'parseWorker.js') });
const run = spawnSync(process.execPath, [path.join(OUT, 'run.js'), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  // The environment the extension starts the server with (the starts, spawned by run.js, inherit it).
  env: { ...process.env, GLIBC_TUNABLES: serverTunables(process.env.GLIBC_TUNABLES), CORROBORATE_BENCH_ROOT: ROOT },
});
if (run.error) throw run.error;
process.exitCode = run.status ?? 1;
