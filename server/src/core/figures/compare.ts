/**
 * When two figures say the same thing: values compared as ranges, so that
 * qualifiers count ("more than 100" agrees with 103, "about 2,500" with 2,600,
 * "$88 million" never with "$88 billion").
 */
import type { Figure, Qualifier } from './read';

/** How far "about" stretches either way. */
const APPROXIMATION = 0.1;

/** The values a figure allows, as a closed range `[low, high]`. */
export function valueRange(value: number, qualifier: Qualifier, high = value): [number, number] {
  switch (qualifier) {
    case 'range':
      return [value, high];
    case 'approx':
      return [value * (1 - APPROXIMATION), value * (1 + APPROXIMATION)];
    case 'atLeast':
    case 'moreThan':
      // "more than 100" is read as reaching down to 100 itself: a draft's plain "100" does not contradict it.
      return [value, Infinity];
    case 'atMost':
    case 'lessThan':
      return [0, value];
    default:
      return [value, value];
  }
}

/** True when the draft's figure and a source's figure can both be right. */
export function valuesAgree(draft: Pick<Figure, 'value' | 'high' | 'qualifier' | 'unit'>, source: Pick<Figure, 'value' | 'high' | 'qualifier' | 'unit'>): boolean {
  if (draft.unit !== source.unit) return false;
  const [a0, a1] = valueRange(draft.value, draft.qualifier, draft.high);
  const [b0, b1] = valueRange(source.value, source.qualifier, source.high);
  const eps = 1e-9 * Math.max(1, Math.abs(draft.value), Math.abs(source.value));
  return a0 <= b1 + eps && b0 <= a1 + eps;
}
