/** Code actions: the fixes findings carry, and citation actions on verified items. */
import type { Span, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { DraftAnalysis } from './analysis';

export interface CodeAction {
  title: string;
  kind: 'quickfix' | 'refactor';
  edits: TextEdit[];
  preferred?: boolean;
  /** The finding this action fixes, by its span and code, so the host can attach the diagnostic. */
  fixes?: Span & { code: string };
}

const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

export function codeActionsFor(analysis: DraftAnalysis, range: Span, _index: CorpusIndex, _settings: Settings): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of analysis.findings) {
    if (!overlaps(finding, range)) continue;
    for (const fix of finding.fixes) {
      actions.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, preferred: fix.preferred, fixes: { start: finding.start, end: finding.end, code: finding.code } });
    }
  }
  return actions;
}
