/** Go to Definition on a quotation or figure: the source passages that support it. */
import type { SourceRef } from '../types';
import type { DraftAnalysis } from './analysis';

export function definitionAt(analysis: DraftAnalysis, offset: number): SourceRef[] {
  const items = [...analysis.figures, ...analysis.quotes];
  const item = items.find((i) => i.start <= offset && offset <= i.end);
  return item ? item.support : [];
}
