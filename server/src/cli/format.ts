/**
 * The text output of `corroborate check`: one line per diagnostic,
 * `file:line:col severity code message`, grouped by file, then a summary.
 * Colour only when asked (the caller decides from the terminal and NO_COLOR).
 */
import picocolors from 'picocolors';
import type { Severity } from '../core/types';
import type { LocatedDiagnostic } from './located';

/** Severities from most to least severe, as `--fail-on` names them. */
export const FAIL_LEVELS = ['error', 'warning', 'info', 'never'] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const LEVEL_RANK: Record<FailLevel, number> = { error: 0, warning: 1, info: 2, never: -1 };

/** True when a diagnostic of `severity` makes the run fail at `level`. */
export function fails(severity: Severity, level: FailLevel): boolean {
  return level !== 'never' && RANK[severity] <= LEVEL_RANK[level];
}

/** The word printed for a severity: the editor's names, `information` shortened. */
export function severityWord(severity: Severity): string {
  return severity === 'information' ? 'info' : severity;
}

type Style = 'red' | 'yellow' | 'cyan' | 'gray' | 'green' | 'bold' | 'dim';

export interface FileResult {
  file: string;
  diagnostics: LocatedDiagnostic[];
}

/** Keeps a message on one line: the output is read line by line by tools. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', information: 'cyan', hint: 'gray' };

/** The report for a list of files: their diagnostic lines, a blank line between files, and a summary line. */
export function formatText(results: FileResult[], color: boolean, sourcesIndexed: number): string {
  const colors = picocolors.createColors(color);
  const paint = (style: Style, text: string): string => colors[style](text);
  const blocks: string[] = [];
  for (const { diagnostics } of results) {
    if (diagnostics.length === 0) continue;
    blocks.push(
      diagnostics
        .map((d) =>
          [
            paint('bold', `${d.file}:${d.line}:${d.column}`),
            paint(SEVERITY_STYLE[d.severity], severityWord(d.severity)),
            paint('dim', d.code),
            oneLine(d.message),
          ].join(' '),
        )
        .join('\n'),
    );
  }
  const all = results.flatMap((r) => r.diagnostics);
  const count = (s: Severity) => all.filter((d) => d.severity === s).length;
  const files = results.length;
  const withProblems = results.filter((r) => r.diagnostics.length > 0).length;
  const sources = `${sourcesIndexed} source${sourcesIndexed === 1 ? '' : 's'}`;
  let summary: string;
  if (all.length === 0) {
    summary = paint('green', `No problems in ${files} draft${files === 1 ? '' : 's'} (checked against ${sources}).`);
  } else {
    const parts = (['error', 'warning', 'information', 'hint'] as Severity[])
      .map((s) => [s, count(s)] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${severityWord(s)}${n === 1 || s === 'information' ? '' : 's'}`);
    const text = `${all.length} problem${all.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${withProblems} of ${files} draft${files === 1 ? '' : 's'} (checked against ${sources}).`;
    summary = paint(count('error') ? 'red' : count('warning') ? 'yellow' : 'cyan', text);
  }
  return [...blocks, summary].join('\n\n') + '\n';
}
