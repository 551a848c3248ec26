/**
 * `npm run bench [-- --quick]` (bench/launch.ts runs this file bundled):
 * Corroborate at newsroom scale, measured through the real core (DiskCorpus,
 * parseSource, createCorpusIndex, createService) against a fuse.js-only
 * baseline measured in the same run.
 * Prints a table and writes the same figures as JSON under bench/results/.
 * It is a measurement, not a test: nothing here fails on a missed target.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import Fuse from 'fuse.js';
import { DiskCorpus } from '../server/src/diskCorpus';
import { createCorpusIndex } from '../server/src/core/index/parts';
import { parseSource } from '../server/src/core/sources/parseSource';
import { createService } from '../server/src/core/service';
import { IndexCache } from '../server/src/indexCache';
import { nextTurn } from '../server/src/turns';
import { NEVER_CANCELLED, SILENT_LOGGER, type Draft, type Source } from '../server/src/core/types';
import { buildCorpus, ensureDataPackages } from './corpus';
import { makeDraft, type BenchDraft } from './draft';
import { mulberry32, pick, shuffle } from './random';
import { BENCH_CODE_VERSION, type StartupResult } from './startResult';
import { formatTable, type Row } from './table';
import { percentiles, time } from './stats';

// Set by bench/launch.ts, which runs this file bundled from another folder.
const ROOT = process.env.CORROBORATE_BENCH_ROOT ?? path.resolve(__dirname, '..');
/** Runs of each kind of start (see step 2). */
const STARTS = 3;
/** Files changed after a warm start before the re-index percentiles are taken (see step 4). */
const REINDEX_FIRST = 60;
/**
 * Files changed for the re-index percentiles (see step 4). A p95 of 200 is the
 * 11th slowest, and turns on how many of the corpus's few long files (State of
 * the Union addresses of 20 to 300 KB) the draw holds: over four draws
 * (shuffle seeds) it ranged from 2.8 to 6.2 ms, and the p95 of 1,000 (about
 * a ninth of the corpus) from 3.2 to 4.7 ms.
 */
const REINDEX_SAMPLES = 1000;
/** Completions of each kind after a start before the completion percentiles are taken (see step 7). */
const COMPLETION_FIRST = 10;
/**
 * Completions of each kind for the completion percentiles (see step 7). A p95
 * of 30 is the second slowest: two stalls of this machine's (5 to 15 ms, with
 * no garbage collection in them) among 30 completions of 1 to 2 ms made it.
 * A p95 of 100 is the sixth slowest.
 */
const COMPLETION_SAMPLES = 100;

interface Options {
  quick: boolean;
  cacheDir: string;
  out: string;
}

/** Runs the bundled bench/startup.ts in a fresh process, so its time and peak memory are its own. */
function startup(script: string, mode: StartupResult['mode'], corpus: string, cacheDir: string): StartupResult {
  const out = execFileSync(process.execPath, [script, mode, corpus, cacheDir], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as StartupResult;
}

const normalizeSpace = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Between two measured requests, a turn of the event loop (`nextTurn`), as
 * the server has between two messages (a writer's keystrokes are tens of
 * milliseconds apart). V8 runs part of its work, garbage collection among it,
 * as tasks on the loop; with requests run back to back it ran inside them
 * instead: after the 1,000 re-indexes, eight figure completions in a row took
 * 9 to 25 ms, against a median of 1.6.
 */
const betweenRequests = nextTurn;

/** Each item's `measure(item)`, with a turn of the event loop between them (see `betweenRequests`). */
async function measureEach<T>(items: T[], measure: (item: T) => number): Promise<number[]> {
  const samples: number[] = [];
  for (const item of items) {
    samples.push(measure(item));
    await betweenRequests();
  }
  return samples;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('Corroborate at newsroom scale: index build, warm start, re-index, checks and completion, against a fuse.js baseline')
    .option('--quick', 'a small corpus (about 200 articles), for the smoke test')
    .option('--cache-dir <dir>', 'where the text packages, the corpus and the index cache are kept', path.join(ROOT, '.cache', 'bench'))
    .option('--out <dir>', 'where the JSON results are written', path.join(ROOT, 'bench', 'results'))
    .parse(process.argv);
  const options = program.opts<Options>();
  const quick = !!options.quick;
  const began = performance.now();
  const log = (line: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1)} s] ${line}\n`);
  const cacheDir = path.resolve(options.cacheDir);

  // 1. The corpus (built once, then reused) and the draft.
  const modules = ensureDataPackages(cacheDir, log);
  const built = buildCorpus(modules, path.join(cacheDir, quick ? 'corpus-quick' : 'corpus-full'), quick ? 100 : 0, log);
  log(`corpus: ${built.files} files, ${(built.bytes / 1e6).toFixed(1)} MB${built.reused ? ' (reused)' : ''}`);
  const indexCacheDir = path.join(cacheDir, quick ? 'index-cache-quick' : 'index-cache-full');

  // 2. Starts, each in a process of its own: cold (writes the cache), warm (reads it), and the fuse.js baseline. One
  // start is one sample of a noisy quantity: each kind runs `STARTS` times, and the run of median time is reported
  // (with the highest peak memory of the runs).
  // Bundled beside this file by bench/launch.ts, with the parsing worker the starts use.
  const script = path.join(__dirname, 'startup.js');
  const starts = (mode: StartupResult['mode']): StartupResult & { runsMs: number[]; runsPeakRssMB: number[] } => {
    log(`${mode} start${quick ? '' : ` × ${STARTS}`} …`);
    const runs = Array.from({ length: quick ? 1 : STARTS }, () => startup(script, mode, built.folder, indexCacheDir));
    log(`  ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms`);
    const median = [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1];
    return { ...median, peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)), runsMs: runs.map((r) => r.ms), runsPeakRssMB: runs.map((r) => r.peakRssMB) };
  };
  const cold = starts('cold');
  const warm = starts('warm');
  const fuseStart = starts('fuse');

  log('loading the index for the measurements …');
  // 3. The index the rest is measured on, restored here from the snapshot as a warm start does (which also checks the round trip).
  const index = createCorpusIndex();
  const cache = new IndexCache(indexCacheDir, BENCH_CODE_VERSION, SILENT_LOGGER);
  const corpus = new DiskCorpus(index, SILENT_LOGGER, cache);
  const loaded = await corpus.load([built.folder], NEVER_CANCELLED);
  // What a server does right after loading, before a writer types: the parts' deferred work.
  await corpus.idle();
  if (loaded.read > 0) log(`  (the snapshot was not used for ${loaded.read} files)`);
  const sources = [...index.all()];
  const service = createService({ index });
  const random = mulberry32(99);

  log('re-indexing single files …');
  // 4. Re-index of one changed file: read it, change a sentence, parse, replace in the index. The first ones after a
  // start also compile the code that parses and indexes (a warm start ran none of it): they are reported on their
  // own, and the percentiles with the target are of the files changed after them, as in a session under way.
  const reindexOne = (source: Source): number => {
    const file = new URL(source.id);
    const started = performance.now();
    const bytes = Buffer.concat([fs.readFileSync(file), Buffer.from('\n\nThis paragraph was added in an update.\n')]);
    const { source: parsed } = parseSource({ id: source.id, relativePath: source.relativePath, bytes });
    if (parsed) index.upsert(parsed);
    return performance.now() - started;
  };
  const changed = shuffle([...sources], random);
  const firstChanges = quick ? 10 : REINDEX_FIRST;
  const reindexFirstSamples = await measureEach(changed.slice(0, firstChanges), reindexOne);
  const reindexSamples = await measureEach(changed.slice(firstChanges, firstChanges + (quick ? 20 : REINDEX_SAMPLES)), reindexOne);

  // 5. The draft, its full check, and the check after one paragraph changes.
  // In the order the index held them before the re-indexes (which put a changed source last): the draft does not
  // depend on how many files were changed. (Until November 2026 it did: 1,000 changes instead of 200 gave another draft.)
  const draftSources = sources.map((s) => index.get(s.id) ?? s);
  const bench = makeDraft(draftSources, 40, 80, 3000);
  let version = 1;
  const draftOf = (text: string): Draft => ({ id: 'file:///bench/draft.md', version: version++, text, languageId: 'markdown' });
  log('checking the draft …');
  // The first check after a start may build lazy structures; it is reported on its own, not in the percentiles.
  const firstCheckMs = time(() => service.diagnostics(draftOf(bench.text))).ms;
  const count = (n: number) => Array.from({ length: n }, (_, i) => i);
  // A draft the service has not seen (its own id each time), so nothing is served from what it remembers of a draft.
  const fullSamples = await measureEach(count(quick ? 5 : 40), (i) => time(() => service.diagnostics({ ...draftOf(bench.text), id: `file:///bench/full-${i}.md` })).ms);
  // The same draft, a new version with the same text (a save): what is remembered of it is reused.
  const recheckSamples = await measureEach(count(quick ? 5 : 20), () => time(() => service.diagnostics(draftOf(bench.text))).ms);
  let edited = bench.text;
  service.diagnostics(draftOf(edited));
  // Later paragraphs first, so earlier offsets stay valid: each version differs from the one before in one paragraph.
  const paragraphSamples = await measureEach([...bench.paragraphs].reverse().slice(0, quick ? 5 : 40), (paragraph) => {
    edited = `${edited.slice(0, paragraph.end)} It was reported again.${edited.slice(paragraph.end)}`;
    return time(() => service.diagnostics(draftOf(edited))).ms;
  });

  log('accuracy and completion …');
  // 6. Accuracy on the planted quotations and figures.
  const analysis = service.analyze(draftOf(bench.text));
  const accuracy = quoteAccuracy(bench, analysis.quotes, index);
  const figures = figureAccuracy(bench, analysis.figures);

  // 7. Completion at realistic cursors: in an open quotation, after a capital, after a digit, in a citation key.
  const firstCompletions = quick ? 3 : COMPLETION_FIRST;
  const contexts = completionContexts(bench.text, draftSources, random, firstCompletions + (quick ? 10 : COMPLETION_SAMPLES));
  const completion: Record<string, { samples: number[]; items: number; firstSamples: number[] }> = {};
  for (const [kind, drafts] of Object.entries(contexts)) {
    // The first completions of a kind after a start also compile its code paths: they are reported on their own, and
    // the percentiles are of the completions a writer meets while typing.
    let items = 0;
    const complete = (text: string) => {
      const { ms, value } = time(() => service.completions(draftOf(text), text.length));
      items += value.length;
      return ms;
    };
    const firstSamples = await measureEach(drafts.slice(0, firstCompletions), complete);
    // Items are counted over the measured completions only.
    items = 0;
    const samples = await measureEach(drafts.slice(firstCompletions), complete);
    completion[kind] = { samples, items, firstSamples };
  }

  // 8. The fuse.js-only baseline on a subset small enough to finish.
  log('fuse.js baseline …');
  const baseline = fuseBaseline(bench, draftSources, contexts, random, quick);

  // 9. Report.
  const full = percentiles(fullSamples);
  const recheck = percentiles(recheckSamples);
  const paragraph = percentiles(paragraphSamples);
  const reindex = percentiles(reindexSamples);
  const reindexFirst = percentiles(reindexFirstSamples);
  const comp = Object.fromEntries(
    Object.entries(completion).map(([k, v]) => [
      k,
      { ...percentiles(v.samples), items: v.items, samplesMs: v.samples.map((ms) => Math.round(ms * 100) / 100), firstSamplesMs: v.firstSamples.map((ms) => Math.round(ms * 100) / 100) },
    ]),
  );
  const rows: Row[] = [
    { metric: `cold build (parse + index), s${quick ? '' : `, median of ${STARTS}`}`, value: cold.ms / 1000, baseline: fuseStart.ms / 1000, target: 5, lowerIsBetter: true },
    { metric: 'cold build, CPU s (user + system)', value: cold.cpuMs / 1000, baseline: fuseStart.cpuMs / 1000, lowerIsBetter: true },
    { metric: `peak RSS, cold build, MB${quick ? '' : `, highest of ${STARTS}`}`, value: cold.peakRssMB, baseline: fuseStart.peakRssMB, target: 400, lowerIsBetter: true },
    { metric: 'longest event-loop pause while indexing, ms', value: cold.longestPauseMs, baseline: fuseStart.longestPauseMs, lowerIsBetter: true },
    { metric: `index snapshot written behind the build (${cold.snapshotMB.toFixed(0)} MB), s`, value: cold.snapshotWriteMs / 1000, lowerIsBetter: true },
    { metric: `warm start from the index cache, s${quick ? '' : `, median of ${STARTS}`}`, value: warm.ms / 1000, baseline: fuseStart.ms / 1000, target: 1, lowerIsBetter: true },
    { metric: 'warm start, CPU s (user + system)', value: warm.cpuMs / 1000, baseline: fuseStart.cpuMs / 1000, lowerIsBetter: true },
    { metric: `peak RSS, warm start, MB${quick ? '' : `, highest of ${STARTS}`}`, value: warm.peakRssMB, baseline: fuseStart.peakRssMB, target: 400, lowerIsBetter: true },
    { metric: 're-index one changed file, median ms', value: reindex.median, baseline: baseline.reindex.median, lowerIsBetter: true },
    { metric: 're-index one changed file, p95 ms', value: reindex.p95, baseline: baseline.reindex.p95, target: 5, lowerIsBetter: true },
    { metric: `re-index, first ${firstChanges} files after a warm start, p95 ms`, value: reindexFirst.p95, lowerIsBetter: true },
    { metric: 'first draft check after start, ms', value: firstCheckMs, baseline: baseline.fullCheckMs, lowerIsBetter: true },
    { metric: 'full draft check, median ms', value: full.median, baseline: baseline.fullCheckMs, lowerIsBetter: true },
    { metric: 'full draft check, p95 ms', value: full.p95, baseline: baseline.fullCheckMs, target: 50, lowerIsBetter: true },
    { metric: 'check of a new version, text unchanged, p95 ms', value: recheck.p95, baseline: baseline.fullCheckMs, lowerIsBetter: true },
    { metric: 'check after one paragraph changes, median ms', value: paragraph.median, baseline: baseline.fullCheckMs, lowerIsBetter: true },
    { metric: 'check after one paragraph changes, p95 ms', value: paragraph.p95, baseline: baseline.fullCheckMs, target: 10, lowerIsBetter: true },
    ...Object.entries(comp).flatMap(([kind, c]): Row[] => [
      { metric: `completion: ${kind}, median ms (${(c.items / Math.max(1, c.n)).toFixed(1)} items)`, value: c.median, baseline: baseline.completion[kind]?.median, lowerIsBetter: true },
      { metric: `completion: ${kind}, p95 ms`, value: c.p95, baseline: baseline.completion[kind]?.p95, target: 10, lowerIsBetter: true },
      { metric: `completion: ${kind}, slowest of the first ${firstCompletions} after start, ms`, value: Math.max(...completion[kind].firstSamples), lowerIsBetter: true },
    ]),
    { metric: `quotations found, % of ${accuracy.planted}`, value: accuracy.foundPct, baseline: baseline.quotes.foundPct, lowerIsBetter: false },
    { metric: 'quotations: right source first, %', value: accuracy.rightFirstPct, baseline: baseline.quotes.rightFirstPct, target: 98, lowerIsBetter: false },
    { metric: `quotation verdicts as expected, % (exact verified, edited flagged)`, value: accuracy.verdictPct, lowerIsBetter: false },
    { metric: `figures: verdict as expected, % of ${figures.planted}`, value: figures.expectedPct, lowerIsBetter: false },
  ];
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.versions.node}, load ${os.loadavg()[0].toFixed(1)}, GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES || '(none)'}`;
  const result = {
    when: new Date().toISOString(),
    machine,
    quick,
    corpus: { files: built.files, mb: built.bytes / 1e6, sources: sources.length },
    draft: { words: bench.words, quotes: bench.quotes.length, figures: bench.figures.length },
    starts: { cold, warm, fuse: fuseStart },
    reindex: { ...reindex, samplesMs: reindexSamples.map((ms) => Math.round(ms * 100) / 100) },
    reindexFirst: { ...reindexFirst, samplesMs: reindexFirstSamples.map((ms) => Math.round(ms * 100) / 100) },
    firstCheckMs,
    fullCheck: full,
    recheck,
    oneParagraph: paragraph,
    completion: comp,
    quotes: accuracy,
    figures,
    baseline,
    rows,
  };
  fs.mkdirSync(options.out, { recursive: true });
  const stamp = result.when.replace(/[:.]/g, '-');
  const json = JSON.stringify(result, null, 2);
  fs.writeFileSync(path.join(options.out, `bench-${quick ? 'quick-' : ''}${stamp}.json`), json);
  fs.writeFileSync(path.join(options.out, `latest${quick ? '-quick' : ''}.json`), json);
  process.stdout.write(
    `Corroborate benchmark${quick ? ' (quick)' : ''}: ${built.files} files, ${(built.bytes / 1e6).toFixed(1)} MB; draft of ${bench.words} words, ` +
      `${bench.quotes.length} quotations, ${bench.figures.length} figures\nMachine: ${machine}\n` +
      `Baseline: fuse.js over ${baseline.subsetSentences} sentences of ${baseline.subsetSources} sources, times scaled to the full ${baseline.totalSentences} sentences\n\n` +
      formatTable(rows) +
      '\n',
  );
  process.stdout.write(`Results written to ${path.relative(ROOT, path.join(options.out, `latest${quick ? '-quick' : ''}.json`))}\n`);
}

/** True when `source` holds the original sentence of a planted quotation (the wire twin and shared passages count as right). */
function holds(source: Source | undefined, original: string): boolean {
  return !!source && normalizeSpace(source.text).includes(normalizeSpace(original));
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Found: the checker pointed at a source; right first: that source holds the sentence; verdict: exact ones verified, edited ones not. */
function quoteAccuracy(
  bench: BenchDraft,
  checks: Array<{ start: number; end: number; verdict: string; support: Array<{ sourceId: string }> }>,
  index: ReturnType<typeof createCorpusIndex>,
) {
  let found = 0;
  let rightFirst = 0;
  let verdicts = 0;
  const misses: Array<{ quoted: string; edit: string; verdict?: string }> = [];
  const verdictsByEdit: Record<string, Record<string, number>> = {};
  for (const q of bench.quotes) {
    const check = checks.find((c) => overlaps(c, q));
    const first = check?.support[0];
    if (first) found++;
    const right = holds(first && index.get(first.sourceId), q.original);
    if (right) rightFirst++;
    else misses.push({ quoted: q.quoted.slice(0, 80), edit: q.edit, verdict: check?.verdict });
    // An elision marked with "..." is faithful quoting; any other edit should be flagged.
    const expected = q.edit === 'exact' || q.edit === 'elision' ? 'verified' : 'not verified';
    if (check && (expected === 'verified') === (check.verdict === 'verified')) verdicts++;
    const byVerdict = (verdictsByEdit[q.edit] ??= {});
    byVerdict[check?.verdict ?? 'not found'] = (byVerdict[check?.verdict ?? 'not found'] ?? 0) + 1;
  }
  const pct = (n: number) => (100 * n) / Math.max(1, bench.quotes.length);
  return { planted: bench.quotes.length, foundPct: pct(found), rightFirstPct: pct(rightFirst), verdictPct: pct(verdicts), verdictsByEdit, misses: misses.slice(0, 10) };
}

/** A changed figure should be contradicted; a kept, rescaled or spelled-out one should agree. */
function figureAccuracy(bench: BenchDraft, checks: Array<{ start: number; end: number; verdict: string }>) {
  let expected = 0;
  const byEdit: Record<string, { planted: number; expected: number }> = {};
  for (const f of bench.figures) {
    const check = checks.find((c) => overlaps(c, f));
    const want = f.edit === 'changed' ? 'contradicted' : 'agrees';
    const entry = (byEdit[f.edit] ??= { planted: 0, expected: 0 });
    entry.planted++;
    if (check?.verdict === want) {
      expected++;
      entry.expected++;
    }
  }
  return { planted: bench.figures.length, expectedPct: (100 * expected) / Math.max(1, bench.figures.length), byEdit };
}

/** Drafts ending where a writer asks for completion, by kind; the prefixes come from the corpus. */
function completionContexts(draft: string, sources: Source[], random: () => number, count: number): Record<string, string[]> {
  const withQuotes = sources.filter((s) => s.quotes.length > 0);
  const withNames = sources.filter((s) => s.names.length > 0);
  const contexts: Record<string, string[]> = { quotes: [], names: [], figures: [], keys: [] };
  for (let i = 0; i < count; i++) {
    const qs = pick(withQuotes, random);
    const quote = pick(qs.quotes, random);
    const quoteWords = qs.text.slice(quote.start, quote.end).split(/\s+/).slice(0, 2).join(' ');
    contexts.quotes.push(`${draft}\n\nAs the report has it, "${quoteWords}`);
    const ns = pick(withNames, random);
    const name = pick(ns.names, random);
    contexts.names.push(`${draft}\n\nThe statement came from ${name.text.slice(0, 3)}`);
    const digits = sources.length ? String(1 + Math.floor(random() * 9)) : '1';
    contexts.figures.push(`${draft}\n\nThe total that year was ${digits}`);
    const key = pick(sources, random).key;
    contexts.keys.push(`${draft}\n\nAs reported [@${key.slice(0, 3)}`);
  }
  return contexts;
}

/**
 * fuse.js as the whole engine: sentences for quotations, labels for names,
 * quotations, figures and keys. Quotation search is a linear scan, so it is
 * measured on a subset that holds the planted quotations' sources and scaled
 * to the full corpus by sentence count.
 */
function fuseBaseline(bench: BenchDraft, sources: Source[], contexts: Record<string, string[]>, random: () => number, quick: boolean) {
  const sentencesOf = (s: Source) => s.sentences.map((x) => ({ sourceId: s.id, text: s.text.slice(x.start, x.end) }));
  const totalSentences = sources.reduce((n, s) => n + s.sentences.length, 0);
  const budget = quick ? 1000 : 2000;
  const queries = bench.quotes.slice(0, quick ? 6 : 12);
  const needed = new Set(queries.map((q) => q.sourceId));
  const subset: Source[] = sources.filter((s) => needed.has(s.id));
  let subsetSentences = subset.reduce((n, s) => n + s.sentences.length, 0);
  for (const s of shuffle(sources.filter((x) => !needed.has(x.id)), random)) {
    if (subsetSentences >= budget) break;
    subset.push(s);
    subsetSentences += s.sentences.length;
  }
  const byId = new Map(subset.map((s) => [s.id, s]));
  const sentenceFuse = new Fuse(subset.flatMap(sentencesOf), { keys: ['text'], ignoreLocation: true, threshold: 0.4, includeScore: true });
  const querySamples: number[] = [];
  let found = 0;
  let rightFirst = 0;
  for (const q of queries) {
    const { ms, value } = time(() => sentenceFuse.search(q.quoted, { limit: 5 }));
    querySamples.push((ms * totalSentences) / Math.max(1, subsetSentences));
    if (value.length) found++;
    if (holds(value[0] && byId.get(value[0].item.sourceId), q.original)) rightFirst++;
  }
  const perQuery = percentiles(querySamples);

  // Re-index of one file: parse it, then remove and re-add its sentences in a fuse index of the subset, scaled.
  const reindexSamples: number[] = [];
  for (const source of subset.slice(0, 10)) {
    const started = performance.now();
    const bytes = fs.readFileSync(new URL(source.id));
    const { source: parsed } = parseSource({ id: source.id, relativePath: source.relativePath, bytes });
    const parsedAt = performance.now();
    // fuse.js removes by scanning every document: that part grows with the corpus.
    sentenceFuse.remove((doc) => doc.sourceId === source.id);
    const removedAt = performance.now();
    if (parsed) for (const s of sentencesOf(parsed as Source)) sentenceFuse.add(s);
    const addedAt = performance.now();
    reindexSamples.push(parsedAt - started + (removedAt - parsedAt) * (totalSentences / Math.max(1, subsetSentences)) + (addedAt - removedAt));
  }

  // Completion: fuse over the full label lists (what fuse.js is good at).
  const labels: Record<string, string[]> = {
    names: [...new Set(sources.flatMap((s) => s.names.map((n) => n.text)))],
    quotes: sources.flatMap((s) => s.quotes.map((q) => s.text.slice(q.start, q.end))),
    keys: sources.map((s) => s.key),
  };
  const completion: Record<string, { median: number; p95: number; n: number; labels: number }> = {};
  for (const [kind, list] of Object.entries(labels)) {
    const fuse = new Fuse(list, { threshold: 0.4, ignoreLocation: kind === 'quotes' });
    const samples: number[] = [];
    for (const text of (contexts[kind] ?? []).slice(0, kind === 'quotes' ? 3 : 10)) {
      // What the writer has typed of the label: after the last opening mark, `[@` or "from " of the last line.
      const line = text.slice(text.lastIndexOf('\n') + 1);
      const prefix = /(?:"|\[@|from )([^"[]*)$/.exec(line)?.[1] ?? '';
      samples.push(time(() => fuse.search(prefix, { limit: 50 })).ms);
    }
    completion[kind] = { ...percentiles(samples), labels: list.length };
  }
  return {
    subsetSources: subset.length,
    subsetSentences,
    totalSentences,
    quotes: { queries: queries.length, foundPct: (100 * found) / Math.max(1, queries.length), rightFirstPct: (100 * rightFirst) / Math.max(1, queries.length), perQuery },
    /** A full check with fuse.js is one corpus scan per quotation. */
    fullCheckMs: perQuery.median * bench.quotes.length,
    reindex: percentiles(reindexSamples),
    completion,
  };
}

void main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
