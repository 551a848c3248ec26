/**
 * The `corroborate` command line: `check` prints the diagnostics the editor
 * would show, `report` writes a self-contained HTML fact-check report. Both run
 * the editor's language service over the editor's disk corpus, so they give
 * the editor's verdicts.
 *
 * Exit status: 0 when nothing reaches `--fail-on`, 1 when something does,
 * 2 on a usage error or an unreadable draft (with a one-line reason).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { Draft, Logger } from '../core/types';
import type { Settings } from '../core/settings';
import { corpusFolders, loadSettings } from './settings';
import { loadCorpus, type LoadedCorpus } from './corpus';
import { displayPath, locateFindings, type LocatedDiagnostic } from './located';
import { FAIL_LEVELS, fails, formatText, type FailLevel, type FileResult } from './format';
import { renderReport } from './report';

/** Exit status of a usage error or an unreadable draft. */
const USAGE = 2;

/** Thrown for a problem the user must fix before anything can be checked; printed as one line. */
class UsageError extends Error {}

interface CommonOptions {
  /** Absent when no --corpus flag is given. */
  corpus?: string[];
  color?: boolean;
}

const stderrLine = (line: string) => process.stderr.write(`corroborate: ${line}\n`);

/** Problems met while indexing or analysing go to standard error, never into the output a tool parses. */
const logger: Logger = {
  info() {},
  warn: (m) => stderrLine(`warning: ${m}`),
  error: (m) => stderrLine(`error: ${m}`),
};

/** A file-system error in words; `missing` says what ENOENT means where it happened. */
function why(e: unknown, missing: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return missing;
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  return code ?? (e instanceof Error ? e.message : String(e));
}

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdx', '.mkd']);

/** Reads a draft as the editor would open it: Markdown by extension, plain text otherwise. */
async function readDraft(file: string): Promise<Draft> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${why(e, 'no such file')}`);
  }
  const languageId = MARKDOWN_EXTENSIONS.has(path.extname(absolute).toLowerCase()) ? 'markdown' : 'plaintext';
  return { id: pathToFileURL(absolute).href, version: 1, text: text.replace(/^\uFEFF/, ''), languageId };
}

/** Settings of the working folder with the command-line flags on top, and the corpus they name, indexed. */
async function prepare(options: CommonOptions): Promise<LoadedCorpus & { settings: Settings }> {
  const cwd = process.cwd();
  const loaded = await loadSettings(cwd);
  for (const problem of loaded.problems) logger.warn(problem);
  let folders: string[];
  if (options.corpus?.length) {
    // Folders named on the command line must exist: a typo must not pass as "every quotation unsourced".
    folders = [...new Set(options.corpus.map((dir) => path.resolve(cwd, dir)))];
    for (const folder of folders) {
      const stat = await fs.stat(folder).catch(() => undefined);
      if (!stat) throw new UsageError(`corpus folder ${displayPath(folder, cwd)} does not exist`);
      if (!stat.isDirectory()) throw new UsageError(`corpus path ${displayPath(folder, cwd)} is not a folder`);
    }
  } else {
    folders = corpusFolders(loaded.settings, cwd);
  }
  const corpus = await loadCorpus(folders, loaded.settings, logger, !!process.stderr.isTTY);
  if (corpus.report.indexed === 0) logger.warn(`no sources were indexed from ${folders.map((f) => displayPath(f, cwd)).join(', ')}; nothing can be verified`);
  return { ...corpus, settings: loaded.settings };
}

/** Colour on a terminal unless NO_COLOR is set; `--color` / `--no-color` win. */
function useColor(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  return !!process.stdout.isTTY && !process.env.NO_COLOR;
}

interface CheckOptions extends CommonOptions {
  format: 'text' | 'json';
  failOn: FailLevel;
}

async function check(files: string[], options: CheckOptions): Promise<number> {
  const cwd = process.cwd();
  const drafts: Array<{ file: string; draft: Draft }> = [];
  let unreadable = 0;
  for (const file of files) {
    try {
      drafts.push({ file: displayPath(path.resolve(file), cwd), draft: await readDraft(file) });
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      // Carry on with the other drafts; the exit status still says something was wrong.
      stderrLine(e.message);
      unreadable++;
    }
  }
  if (drafts.length === 0) return USAGE;
  const { service, report, finish } = await prepare(options);
  const results: FileResult[] = drafts.map(({ file, draft }) => ({
    file,
    diagnostics: locateFindings(file, draft, service.diagnostics(draft), service.index, cwd),
  }));
  const all: LocatedDiagnostic[] = results.flatMap((r) => r.diagnostics);
  if (options.format === 'json') process.stdout.write(JSON.stringify(all, null, 2) + '\n');
  else process.stdout.write(formatText(results, useColor(options.color), report.indexed));
  await finish();
  if (unreadable) return USAGE;
  return all.some((d) => fails(d.severity, options.failOn)) ? 1 : 0;
}

interface ReportOptions extends CommonOptions {
  out: string;
}

async function report(file: string, options: ReportOptions): Promise<number> {
  const cwd = process.cwd();
  const draft = await readDraft(file);
  const { service, settings, finish } = await prepare(options);
  const draftFile = displayPath(path.resolve(file), cwd);
  const analysis = service.analyze(draft);
  const diagnostics = service.diagnostics(draft);
  const html = renderReport({ file: draftFile, draft, analysis, diagnostics, index: service.index, settings, cwd, generated: new Date() });
  const out = path.resolve(cwd, options.out);
  try {
    // One folder level only: Node's recursive mkdir can spin forever under /proc.
    await fs.mkdir(path.dirname(out)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await fs.writeFile(out, html, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot write ${options.out}: ${why(e, 'its folder does not exist')}`);
  }
  const n = diagnostics.length;
  process.stdout.write(`Wrote ${displayPath(out, cwd)}: ${n === 0 ? 'no problems' : `${n} problem${n === 1 ? '' : 's'}`} in ${draftFile}.\n`);
  await finish();
  return 0;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function program(): Command {
  const corpusOption = () => new Option('--corpus <dir>', 'folder of source articles; repeat for several (default: corroborate.corpus.paths, else ./corpus)').argParser(collect);
  const root = new Command('corroborate')
    .description('Checks quotations, figures and citation keys in drafts against the source articles you write from.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      // One line on standard error, without Commander's own "error:" prefix doubled.
      outputError: (message, write) => write(`corroborate: ${message.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}\n`),
    });
  root
    .command('check')
    .description('Print every problem the editor would show, one per line: file:line:col severity code message.')
    .argument('<files...>', 'drafts to check (Markdown or plain text)')
    .addOption(corpusOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <level>', 'exit with status 1 when a problem is at least this severe').choices([...FAIL_LEVELS]).default('warning'))
    .option('--color', 'force colour in the text output')
    .option('--no-color', 'no colour in the text output (also: NO_COLOR=1)')
    .addHelpText(
      'after',
      '\nExit status: 0 when no problem reaches --fail-on, 1 when one does, 2 on a usage error or an unreadable draft.\n' +
        'Settings (corroborate.*) are read from .vscode/settings.json, then corroborate.json, in the working folder; flags win.',
    )
    .action(async (files: string[], options: CheckOptions) => {
      process.exitCode = await check(files, options);
    });
  root
    .command('report')
    .description('Write a self-contained HTML report: the draft with every quotation and figure highlighted by verdict.')
    .argument('<file>', 'the draft to report on')
    .addOption(corpusOption())
    .option('-o, --out <file>', 'where to write the report', 'report.html')
    .action(async (file: string, options: ReportOptions) => {
      process.exitCode = await report(file, options);
    });
  return root;
}

async function main(argv: string[]): Promise<void> {
  const cli = program();
  if (argv.length <= 2) {
    process.stderr.write(cli.helpInformation());
    process.exitCode = USAGE;
    return;
  }
  try {
    await cli.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; everything else Commander rejects is a usage error.
      process.exitCode = e.exitCode === 0 ? 0 : USAGE;
    } else if (e instanceof UsageError) {
      stderrLine(e.message);
      process.exitCode = USAGE;
    } else {
      stderrLine(`unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = USAGE;
    }
  }
}

// `corroborate check … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

void main(process.argv);
