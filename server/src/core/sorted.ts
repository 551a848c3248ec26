/** Searching sorted sequences: one binary search shared by line maps, offset maps and the passage index. */

/**
 * The last index `i` in `[0, length)` whose `valueAt(i)` is at most `target`,
 * for values sorted ascending; 0 when even the first is above it.
 */
export function lastAtOrBelow(length: number, valueAt: (i: number) => number, target: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (valueAt(mid) <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
