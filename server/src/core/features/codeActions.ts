/**
 * Code actions: the fixes findings carry (replace a misquote, change an
 * unknown citation key to the closest one), and "Cite <outlet>" on a verified
 * quotation or a figure the sources agree on: one action per supporting
 * source, inserting the citation in the configured style.
 */
import type { Span, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { DraftAnalysis } from './analysis';
import { citationEdit, describeSource } from './citations';

export interface CodeAction {
  title: string;
  kind: 'quickfix' | 'refactor';
  edits: TextEdit[];
  preferred?: boolean;
  /** The finding this action fixes, by its span and code, so the host can attach the diagnostic. */
  fixes?: Span & { code: string };
}

const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

/** Citation actions offered per item, at most (a figure many sources agree on would otherwise flood the menu). */
const MAX_CITE_ACTIONS = 5;

/** The actions for `range`: quick fixes of the findings it touches, then citation actions on the verified items it touches. */
export function codeActionsFor(analysis: DraftAnalysis, range: Span, index: CorpusIndex, settings: Settings): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of analysis.findings) {
    if (!overlaps(finding, range)) continue;
    for (const fix of finding.fixes) {
      actions.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, preferred: fix.preferred, fixes: { start: finding.start, end: finding.end, code: finding.code } });
    }
  }
  const verified = [
    ...analysis.quotes.filter((q) => q.verdict === 'verified'),
    ...analysis.figures.filter((f) => f.verdict === 'agrees'),
  ].filter((item) => overlaps(item, range));
  for (const item of verified) {
    const seen = new Set<string>();
    for (const ref of item.support) {
      const source = index.get(ref.sourceId);
      if (!source || seen.has(source.id) || seen.size >= MAX_CITE_ACTIONS) continue;
      seen.add(source.id);
      const title = source.meta.title && source.meta.title.length > 40 ? source.meta.title.slice(0, 39) + '…' : source.meta.title;
      const who = source.meta.outlet ?? title ?? source.key;
      const label = `Cite ${who}${source.meta.outlet ? ` (${describeSource(source).slice(who.length + 2) || 'n.d.'})` : ''}`;
      actions.push({ title: label, kind: 'refactor', edits: citationEdit(analysis, item.start, source, index, settings) });
    }
  }
  return actions;
}
