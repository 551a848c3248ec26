/**
 * One pass over a draft: every quotation, figure and citation key with its
 * verdict and evidence. Diagnostics, hovers, code actions, definitions and the
 * HTML report all read this one result, so they can never disagree.
 */
import type { Cancellation, Finding, Logger, Span, SourceRef } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import { within } from '../draft/parseDraft';
import { checkQuotes, type QuoteCheck } from './quotes';
import { checkFigures, type FigureCheck } from './figures';
import { checkCitationKeys, type CitationCheck } from './citations';

export interface DraftAnalysis {
  parsed: ParsedDraft;
  quotes: QuoteCheck[];
  figures: FigureCheck[];
  citations: CitationCheck[];
  /** Findings at their natural severity, before user overrides. */
  findings: Finding[];
}

/** Something in the draft that has a verdict and evidence: a quotation or a figure. */
export interface CheckedItem extends Span {
  /** The sources that support it, best first (empty when none). */
  support: SourceRef[];
}

export function analyzeDraft(parsed: ParsedDraft, index: CorpusIndex, settings: Settings, token: Cancellation, logger: Logger): DraftAnalysis {
  const guard = <T>(what: string, run: () => T[]): T[] => {
    try {
      return run();
    } catch (e) {
      // Findings, not exceptions: one broken analysis must not take the others down.
      logger.error(`${what} failed on ${parsed.draft.id}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return [];
    }
  };
  const quotes = guard('quote check', () => checkQuotes(parsed, index, settings, token));
  const figures = token.isCancellationRequested ? [] : guard('figure check', () => checkFigures(parsed, index, settings, token, quotes));
  const citations = token.isCancellationRequested ? [] : guard('citation check', () => checkCitationKeys(parsed, index));
  const findings = [...quotes, ...figures, ...citations]
    .flatMap((item) => item.findings)
    .filter((f) => !within(parsed.ignored, f.start, f.end));
  return { parsed, quotes, figures, citations, findings };
}
