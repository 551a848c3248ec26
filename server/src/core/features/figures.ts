/**
 * Figure checking: numbers in a draft against what the sources say about the
 * same thing. (Stub: to be built in issue 4.)
 */
import type { Cancellation, Finding } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import type { CheckedItem } from './analysis';
import type { QuoteCheck } from './quotes';

export type FigureVerdict = 'agrees' | 'contradicted' | 'unsourced';

export interface FigureCheck extends CheckedItem {
  kind: 'figure';
  verdict: FigureVerdict;
  text: string;
  findings: Finding[];
}

export function checkFigures(
  _parsed: ParsedDraft,
  _index: CorpusIndex,
  _settings: Settings,
  _token: Cancellation,
  _quotes: QuoteCheck[],
): FigureCheck[] {
  return [];
}

export function figureHover(check: FigureCheck, _index: CorpusIndex, _settings: Settings): string {
  return `**${check.verdict}**`;
}
