/** The benchmark's table: one row per measurement, with the baseline, the ratio and whether the target is met. */

export interface Row {
  metric: string;
  value: number;
  /** The fuse.js-only baseline measured in the same run (absent where fuse.js has no counterpart). */
  baseline?: number;
  target?: number;
  lowerIsBetter: boolean;
}

/** Whether a row meets its target (`undefined` when it has none or was not measured). */
export function meets(row: Row): boolean | undefined {
  if (row.target === undefined || !Number.isFinite(row.value)) return undefined;
  return row.lowerIsBetter ? row.value <= row.target : row.value >= row.target;
}

function number(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  if (Math.abs(n) >= 0.1) return n.toFixed(2);
  return n.toFixed(3);
}

/** The ratio Corroborate / baseline, e.g. `0.002x`. */
export function ratio(row: Row): string {
  if (row.baseline === undefined || !Number.isFinite(row.baseline) || !Number.isFinite(row.value) || row.baseline === 0) return 'n/a';
  const r = row.value / row.baseline;
  return `${r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toPrecision(2)}x`;
}

/** A plain-text table, with a last line saying how many targets are met. */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((r) => {
    const met = meets(r);
    return [r.metric, number(r.value), number(r.baseline), ratio(r), r.target === undefined ? '' : `${r.lowerIsBetter ? '≤' : '≥'} ${r.target}`, met === undefined ? '' : met ? 'met' : 'MISSED'];
  });
  const header = ['measurement', 'Corroborate', 'fuse.js', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd();
  const withTarget = rows.filter((r) => meets(r) !== undefined);
  const met = withTarget.filter((r) => meets(r));
  const missed = withTarget.filter((r) => !meets(r)).map((r) => r.metric);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `Targets met: ${met.length} of ${withTarget.length}${missed.length ? `; missed: ${missed.join('; ')}` : ''}`,
  ].join('\n');
}
