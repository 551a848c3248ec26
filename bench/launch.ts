/**
 * `npm run bench`: bundles the benchmark (bench/run.ts) with esbuild, as the
 * server and the command line are bundled, and runs the bundle with node. The
 * re-index, check and completion times are taken in this process, so they are
 * times of the code as it ships: under tsx every call from one module into
 * another goes through the module's export getters, and its loader adds
 * source maps and a compiler thread (on the re-index sample, about a sixth of
 * the time).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
// Under the project, so the bundle finds the packages it leaves out (esbuild, which it runs to bundle the starts) in node_modules.
const OUT = path.join(ROOT, '.cache', 'bench-code');

const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', mainFields: ['module', 'main'] };
buildSync({ ...common, entryPoints: [path.join(__dirname, 'run.ts')], outfile: path.join(OUT, 'run.js'), external: ['esbuild', 'tsx/cjs'] });
// parsePool.ts finds the worker beside the bundle that starts it (a load that misses the snapshot parses in it).
buildSync({ ...common, entryPoints: [path.join(ROOT, 'server', 'src', 'parseWorker.ts')], outfile: path.join(OUT, 'parseWorker.js') });
const run = spawnSync(process.execPath, [path.join(OUT, 'run.js'), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, CORROBORATE_BENCH_ROOT: ROOT },
});
if (run.error) throw run.error;
process.exitCode = run.status ?? 1;
