/** Small statistics for the benchmark. */

/** Median and 95th percentile (nearest rank) of a list of milliseconds. */
export function percentiles(samples: number[]): { median: number; p95: number; n: number } {
  if (samples.length === 0) return { median: NaN, p95: NaN, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
}

/** Runs `run` once and says how long it took, in milliseconds. */
export function time<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}
