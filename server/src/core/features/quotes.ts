/**
 * Quotation checking: finds the quotations of a draft and matches each against
 * the whole text of every source. (Stub: to be built in issue 3.)
 */
import type { Cancellation, Finding, Source } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import type { CheckedItem } from './analysis';

export type QuoteVerdict = 'verified' | 'mismatch' | 'unsourced' | 'paraphrase';

export interface QuoteCheck extends CheckedItem {
  kind: 'quote';
  verdict: QuoteVerdict;
  /** The quoted words, without their marks. */
  text: string;
  findings: Finding[];
}

export function checkQuotes(_parsed: ParsedDraft, _index: CorpusIndex, _settings: Settings, _token: Cancellation): QuoteCheck[] {
  return [];
}

/** Markdown for the hover on a quotation. */
export function quoteHover(check: QuoteCheck, _index: CorpusIndex, _settings: Settings): string {
  return `**${check.verdict}**`;
}

export type { Source };
