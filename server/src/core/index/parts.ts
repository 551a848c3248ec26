/**
 * The search structures a full corpus index keeps, in one list. Each feature
 * owns its part (passages for quotations, figures, names) and finds it again
 * with `index.part(Kind)`.
 */
import { CorpusIndex } from './corpusIndex';
import { PassageIndex } from './passages';
import { FigureIndex } from './figureIndex';
import { CompletionIndex } from './completionIndex';

/** A corpus index with every part the language service needs. */
export function createCorpusIndex(): CorpusIndex {
  const index = new CorpusIndex();
  index.addPart(new PassageIndex());
  index.addPart(new FigureIndex());
  index.addPart(new CompletionIndex());
  return index;
}
