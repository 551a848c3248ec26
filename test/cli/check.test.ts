/**
 * `corroborate check` as a child process: output lines, grouping, summary,
 * exit codes, JSON, settings files and flags. The sample draft's deliberate
 * errors are listed here once, by the words they sit on, so a reader can see
 * what the command must catch and where.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeWorkspace } from '../helpers/workspace';
import { corroborate, corroborateOnTerminal, hasScript, placeOf, requireBuild, workspaceWithDrafts } from './run';

/** The deliberate errors of drafts/sample.md: the code each must raise and words its range covers. */
const DELIBERATE: Array<{ code: string; on: string; what: string }> = [
  { code: 'quote-mismatch', on: 'We value the role', what: 'one word changed ("appreciate" → "value")' },
  { code: 'quote-paraphrase', on: 'is rearranging its relationship', what: "IraqiNews.com's narration presented as a quotation" },
  { code: 'quote-unsourced', on: 'We will not allow a single foreign soldier', what: 'a fabricated quotation' },
  { code: 'figure-mismatch', on: '113', what: 'a wrong figure (the source says 103)' },
  { code: 'figure-mismatch', on: '900', what: 'a right figure in the wrong place (900 is Syria; Iraq has 2,500)' },
  { code: 'citation-unknown', on: 'reuters-2023-12-28', what: 'a citation key no source has' },
];

const LINE = /^(?<file>[^\s:]+):(?<line>\d+):(?<column>\d+) (?<severity>error|warning|info|hint) (?<code>[a-z-]+) (?<message>.+)$/;

interface Parsed {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

function problemLines(stdout: string): Parsed[] {
  return stdout
    .split('\n')
    .map((l) => LINE.exec(l)?.groups)
    .filter((g): g is NonNullable<typeof g> => !!g)
    .map((g) => ({ file: g.file, line: Number(g.line), column: Number(g.column), severity: g.severity, code: g.code, message: g.message }));
}

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  source: { key: string; outlet: string | null; date: string | null; file: string; line: number; column: number; text: string } | null;
  related: unknown[];
  fix: { title: string; text: string; line: number; column: number; endLine: number; endColumn: number } | null;
}

/** True when the 1-based place of `on` in the draft lies inside the diagnostic's range. */
function covers(d: JsonDiagnostic, draft: string, on: string): boolean {
  const at = placeOf(draft, on);
  const afterStart = at.line > d.line || (at.line === d.line && at.column >= d.column);
  const beforeEnd = at.line < d.endLine || (at.line === d.endLine && at.column < d.endColumn);
  return afterStart && beforeEnd;
}

/** Replaces 1-based `[line:column, endLine:endColumn)` of `text` with `replacement`. */
function replaceRange(text: string, r: { line: number; column: number; endLine: number; endColumn: number }, replacement: string): string {
  const offset = (line: number, column: number) => text.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(0, offset(r.line, r.column)) + replacement + text.slice(offset(r.endLine, r.endColumn));
}

describe('corroborate check', function () {
  let dir: string;
  let sample: string;

  before(() => {
    requireBuild();
    sample = fs.readFileSync(path.join(__dirname, '..', '..', 'drafts', 'sample.md'), 'utf8');
  });
  beforeEach(() => {
    dir = workspaceWithDrafts();
  });
  afterEach(() => removeWorkspace(dir));

  it('prints one file:line:col severity code message line per problem in the sample draft and exits 1', async () => {
    const run = await corroborate(dir, ['check', 'drafts/sample.md']);
    assert.equal(run.code, 1, run.stderr);
    const lines = problemLines(run.stdout);
    assert.ok(lines.length > 0, run.stdout);
    for (const l of lines) assert.equal(l.file, 'drafts/sample.md');
    const unknown = lines.find((l) => l.code === 'citation-unknown');
    assert.deepEqual(unknown && { line: unknown.line, column: unknown.column }, placeOf(sample, 'reuters-2023-12-28'));
    assert.match(unknown!.message, /reuters-2023-12-28/);
    assert.match(run.stdout.trim().split('\n').pop()!, /^\d+ problems \(.*\) in 1 of 1 draft \(checked against 5 sources\)\.$/);
  });

  it('catches every deliberate error of the sample draft, each where it stands, and nothing else', async () => {
    const run = await corroborate(dir, ['check', 'drafts/sample.md', '--format', 'json']);
    const diagnostics = JSON.parse(run.stdout) as JsonDiagnostic[];
    const missed = DELIBERATE.filter((e) => !diagnostics.some((d) => d.code === e.code && covers(d, sample, e.on)));
    assert.deepEqual(missed.map((m) => `${m.code}: ${m.what}`), [], 'deliberate errors not reported');
    const extra = diagnostics.filter((d) => !DELIBERATE.some((e) => d.code === e.code && covers(d, sample, e.on)));
    assert.deepEqual(extra.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`), [], 'false alarms on correct quotations or figures');
  });

  it('prints JSON with 1-based places, the matched source and the fix that restores the source wording', async () => {
    const run = await corroborate(dir, ['check', 'drafts/sample.md', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const diagnostics = JSON.parse(run.stdout) as JsonDiagnostic[];
    for (const d of diagnostics) {
      assert.equal(d.file, 'drafts/sample.md');
      assert.ok(d.line >= 1 && d.column >= 1 && (d.endLine > d.line || d.endColumn > d.column), `bad range ${JSON.stringify(d)}`);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
    }
    const misquote = diagnostics.find((d) => d.code === 'quote-mismatch');
    assert.ok(misquote?.source, 'the misquotation names its source');
    assert.equal(misquote.source.outlet, 'Xinhua');
    assert.equal(misquote.source.key, 'xinhua-2023-12-29');
    assert.equal(misquote.source.date, '2023-12-29');
    // The source place is real: the passage stands at that line and column of that file.
    const sourceText = fs.readFileSync(path.join(dir, misquote.source.file), 'utf8').split('\n')[misquote.source.line - 1];
    assert.ok(sourceText.slice(misquote.source.column - 1).startsWith(misquote.source.text.slice(0, 30)), `${misquote.source.file}:${misquote.source.line} is not the passage`);
    assert.ok(misquote.fix, 'a misquotation has a fix');
    const fixed = replaceRange(sample, misquote.fix, misquote.fix.text);
    assert.match(fixed, /"We appreciate the role of the coalition in supporting Iraq's efforts to confront the Islamic State militants\."/);
    const unsourced = diagnostics.find((d) => d.code === 'quote-unsourced');
    assert.equal(unsourced?.source, null, 'a fabricated quotation matches no source');
  });

  it('reports no problems in the clean draft and exits 0', async () => {
    const run = await corroborate(dir, ['check', 'drafts/clean.md', '--fail-on', 'info']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(problemLines(run.stdout), []);
    assert.match(run.stdout, /^No problems in 1 draft \(checked against 5 sources\)\.$/m);
    const json = await corroborate(dir, ['check', 'drafts/clean.md', '--format', 'json']);
    assert.deepEqual(JSON.parse(json.stdout), []);
  });

  it('groups the lines by file when several drafts are checked', async () => {
    const run = await corroborate(dir, ['check', 'drafts/clean.md', 'drafts/sample.md']);
    const files = problemLines(run.stdout).map((l) => l.file);
    assert.ok(files.length > 0);
    assert.deepEqual([...new Set(files)], ['drafts/sample.md']);
    assert.match(run.stdout, /in 1 of 2 drafts/);
  });

  it('sets the exit status by --fail-on', async () => {
    assert.equal((await corroborate(dir, ['check', 'drafts/sample.md', '--fail-on', 'never'])).code, 0);
    assert.equal((await corroborate(dir, ['check', 'drafts/sample.md', '--fail-on', 'warning'])).code, 1);
    assert.equal((await corroborate(dir, ['check', 'drafts/sample.md', '--fail-on', 'info'])).code, 1);
    // The sample's problems are warnings and information, none an error.
    assert.equal((await corroborate(dir, ['check', 'drafts/sample.md', '--fail-on', 'error'])).code, 0);
  });

  it('exits 2 with a one-line reason when a draft cannot be read, and still checks the others', async () => {
    const run = await corroborate(dir, ['check', 'drafts/missing.md', 'drafts/sample.md']);
    assert.equal(run.code, 2);
    assert.deepEqual(run.stderr.trim().split('\n'), ['corroborate: cannot read drafts/missing.md: no such file']);
    assert.ok(problemLines(run.stdout).length > 0, 'the readable draft is still checked');
    const only = await corroborate(dir, ['check', 'drafts/missing.md']);
    assert.equal(only.code, 2);
    assert.equal(only.stdout, '');
  });

  it('exits 2 with a one-line reason on a bad flag, a bad flag value or a missing corpus folder', async () => {
    for (const args of [
      ['check', '--bogus', 'drafts/sample.md'],
      ['check', '--fail-on', 'sometimes', 'drafts/sample.md'],
      ['check', '--format', 'xml', 'drafts/sample.md'],
      ['check', '--corpus', 'no-such-folder', 'drafts/sample.md'],
      ['check'],
      ['frobnicate'],
    ]) {
      const run = await corroborate(dir, args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '', args.join(' '));
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(lines[0], /^corroborate: /);
    }
  });

  it('reads severities from .vscode/settings.json with comments, and corroborate.json wins over it', async () => {
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(
      path.join(dir, '.vscode', 'settings.json'),
      '{\n  // the editor settings, JSONC\n  "editor.wordWrap": "on",\n  "corroborate.severity": { "citation-unknown": "off", "quote-unsourced": "error" }, /* trailing comma next */\n}\n',
    );
    let diagnostics = JSON.parse((await corroborate(dir, ['check', 'drafts/sample.md', '--format', 'json'])).stdout) as JsonDiagnostic[];
    assert.ok(!diagnostics.some((d) => d.code === 'citation-unknown'), 'citation-unknown is off');
    assert.equal(diagnostics.find((d) => d.code === 'quote-unsourced')?.severity, 'error');
    assert.equal((await corroborate(dir, ['check', 'drafts/sample.md', '--fail-on', 'error'])).code, 1, 'an error now fails --fail-on error');

    fs.writeFileSync(path.join(dir, 'corroborate.json'), '{ "severity": { "quote-unsourced": "information" } }');
    diagnostics = JSON.parse((await corroborate(dir, ['check', 'drafts/sample.md', '--format', 'json'])).stdout) as JsonDiagnostic[];
    assert.equal(diagnostics.find((d) => d.code === 'quote-unsourced')?.severity, 'information');
  });

  it('takes the corpus from corroborate.corpus.paths, and --corpus wins over it', async () => {
    fs.renameSync(path.join(dir, 'corpus'), path.join(dir, 'articles'));
    fs.writeFileSync(path.join(dir, 'corroborate.json'), '{ "corroborate.corpus.paths": ["articles"] }');
    const fromSettings = await corroborate(dir, ['check', 'drafts/clean.md']);
    assert.equal(fromSettings.code, 0, fromSettings.stdout + fromSettings.stderr);
    assert.match(fromSettings.stdout, /checked against 5 sources/);

    fs.mkdirSync(path.join(dir, 'empty'));
    const fromFlag = await corroborate(dir, ['check', 'drafts/clean.md', '--corpus', 'empty']);
    assert.match(fromFlag.stdout, /checked against 0 sources/);
    assert.match(fromFlag.stderr, /no sources were indexed/);
    assert.equal(fromFlag.code, 1, 'with no sources, the quotations are unsourced');
  });

  it('warns about a settings file it cannot parse and carries on with the defaults', async () => {
    fs.writeFileSync(path.join(dir, 'corroborate.json'), '{ "severity": ');
    const run = await corroborate(dir, ['check', 'drafts/clean.md']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /corroborate\.json: ignored/);
  });

  it('keeps the index in a snapshot, so a second run over an unchanged corpus restores it instead of reading every file', async () => {
    const cache = path.join(dir, 'index-cache');
    const env = { NO_COLOR: '1', CORROBORATE_INDEX_CACHE: cache };
    // A source's time in whole seconds, so that it can be set back exactly (below).
    const article = fs.readdirSync(path.join(dir, 'corpus')).find((f) => f.endsWith('.txt'))!;
    const file = path.join(dir, 'corpus', article);
    const stamp = 1_700_000_000;
    fs.utimesSync(file, stamp, stamp);
    const first = await corroborate(dir, ['check', 'drafts/sample.md'], env);
    assert.equal(first.code, 1, first.stderr);
    // The run waited for its snapshot: whole, and no half-written file left behind.
    const written = fs.readdirSync(cache);
    assert.equal(written.filter((f) => /^index-[0-9a-f]+\.bin$/.test(f)).length, 1, written.join(', '));
    assert.ok(!written.some((f) => f.endsWith('.tmp')), written.join(', '));
    const second = await corroborate(dir, ['check', 'drafts/sample.md'], env);
    assert.equal(second.stdout, first.stdout);
    // Proof that the second run did not read the sources: a source changed behind a stamp (size and time) it kept is
    // still known as it was. A change with a new stamp is read again.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/[A-Za-z]/g, 'x'));
    fs.utimesSync(file, stamp, stamp);
    const restored = await corroborate(dir, ['check', 'drafts/sample.md'], env);
    assert.equal(restored.stdout, first.stdout);
    fs.utimesSync(file, stamp, stamp + 5);
    const reread = await corroborate(dir, ['check', 'drafts/sample.md'], env);
    assert.notEqual(reread.stdout, first.stdout, 'the garbled source is read again once its time changed');
    // Off: nothing is written.
    const off = path.join(dir, 'no-cache');
    await corroborate(dir, ['check', 'drafts/sample.md'], { NO_COLOR: '1', CORROBORATE_INDEX_CACHE: 'off', XDG_CACHE_HOME: off });
    assert.ok(!fs.existsSync(off), 'CORROBORATE_INDEX_CACHE=off writes no snapshot');
  });

  it('colours its output only when asked: never in a pipe, always with --color', async () => {
    const ESC = '\u001b[';
    const piped = await corroborate(dir, ['check', 'drafts/sample.md'], {});
    assert.ok(!piped.stdout.includes(ESC), 'no colour in a pipe');
    const forced = await corroborate(dir, ['check', 'drafts/sample.md', '--color'], {});
    assert.ok(forced.stdout.includes(ESC), '--color forces colour');
    const noColor = await corroborate(dir, ['check', 'drafts/sample.md', '--no-color'], {});
    assert.ok(!noColor.stdout.includes(ESC));
    assert.deepEqual(problemLines(forced.stdout.replace(/\u001b\[[0-9;]*m/g, '')), problemLines(piped.stdout), 'colour changes nothing else');
  });

  describe('on a terminal', function () {
    before(function () {
      if (!hasScript()) this.skip();
    });

    it('colours its output on a terminal, and not when NO_COLOR is set', async () => {
      const coloured = await corroborateOnTerminal(dir, ['check', 'drafts/sample.md']);
      assert.equal(coloured.code, 1, coloured.stdout);
      assert.ok(coloured.stdout.includes('\u001b['), 'colour on a terminal');
      const plain = await corroborateOnTerminal(dir, ['check', 'drafts/sample.md'], { NO_COLOR: '1' });
      assert.ok(!plain.stdout.includes('\u001b['), 'no colour with NO_COLOR');
      assert.match(plain.stdout, /drafts\/sample\.md:\d+:\d+ warning quote-mismatch /);
    });

    it('shows a progress bar while a large corpus is indexed, on a terminal only', async () => {
      const big = path.join(dir, 'big');
      fs.mkdirSync(big);
      const articles = fs.readdirSync(path.join(dir, 'corpus')).filter((f) => f.endsWith('.txt'));
      for (let copy = 0; copy < 24; copy++) {
        for (const article of articles) fs.copyFileSync(path.join(dir, 'corpus', article), path.join(big, `${copy}-${article}`));
      }
      const terminal = await corroborateOnTerminal(dir, ['check', 'drafts/clean.md', '--corpus', 'big'], { NO_COLOR: '1' });
      assert.match(terminal.stdout, /Indexing sources .* \d+\/120 files/);
      const piped = await corroborate(dir, ['check', 'drafts/clean.md', '--corpus', 'big']);
      assert.doesNotMatch(piped.stderr + piped.stdout, /Indexing sources/);
      assert.match(piped.stdout, /checked against 120 sources/);
    });
  });
});
