/** Which hover to show at an offset: a citation key's, a quotation's or a figure's. */
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { Hover } from '../service';
import type { DraftAnalysis } from './analysis';
import { quoteHover } from './quotes';
import { figureHover } from './figures';
import { citationHover } from './citations';

export function hoverAt(analysis: DraftAnalysis, offset: number, index: CorpusIndex, settings: Settings): Hover | undefined {
  const at = <T extends { start: number; end: number }>(items: T[]) => items.find((i) => i.start <= offset && offset <= i.end);
  const citation = at(analysis.citations);
  if (citation) return { start: citation.start, end: citation.end, markdown: citationHover(citation, index) };
  // A figure inside a quotation is more specific than the quotation around it.
  const figure = at(analysis.figures);
  if (figure) return { start: figure.start, end: figure.end, markdown: figureHover(figure, index, settings) };
  const quote = at(analysis.quotes);
  if (quote) return { start: quote.start, end: quote.end, markdown: quoteHover(quote, index, settings) };
  return undefined;
}
