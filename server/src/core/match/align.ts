/**
 * Word-level alignment of a quotation pattern with a stretch of source words:
 * an edit distance in which the quotation may start and end anywhere in the
 * stretch, ellipses skip source words for free, and bracketed stand-ins take
 * the place of a few source words for free. This is what decides "the same
 * words", "near" and "not there".
 */

/** Pattern element codes beside word ids (word ids are >= 0). */
export const UNKNOWN_WORD = -1;
export const GAP = -2;
export const STAND_IN = -3;

/** A pattern in the id space of one index: word ids, `GAP` and `STAND_IN` codes. */
export interface IdPattern {
  codes: Int32Array;
  /** Fewest and most source words each stand-in covers (ignored for other codes). */
  min: Int32Array;
  max: Int32Array;
}

/** How one pattern element lies on the source: the source words `[from, to)` it covers (empty when dropped). */
export interface ElementSpan {
  from: number;
  to: number;
  /** For a word: whether the source word there is the same word. */
  same: boolean;
}

export interface Alignment {
  /** Edits needed: words changed, added or dropped (gaps and stand-ins are free). */
  cost: number;
  /** Source words `[from, to)` the quotation covers, as indices into the aligned array. */
  from: number;
  to: number;
  /** Words of the pattern found unchanged. */
  same: number;
  elements: ElementSpan[];
}

// One set of tables reused by every call (alignment is synchronous): a query aligns dozens of windows,
// and fresh arrays for each were most of the garbage collector's work.
let tables = { cost: new Int32Array(4096), move: new Uint8Array(4096), back: new Int32Array(4096) };
function scratch(size: number): typeof tables {
  if (tables.cost.length < size) {
    const length = Math.max(size, tables.cost.length * 2);
    tables = { cost: new Int32Array(length), move: new Uint8Array(length), back: new Int32Array(length) };
  }
  return tables;
}

const SUB = 1;
const DROP = 2; // a pattern word with no source word
const ADD = 3; // a source word with no pattern word
const SKIP = 4; // a gap or stand-in covering source words

/**
 * Aligns `pattern` with `source[lo, hi)`. Returns the cheapest alignment; ties
 * go to the one that ends last. An alignment that ends on the pattern's own last
 * word is preferred to a cheaper one when it costs at most `anchorBudget`.
 */
export function align(pattern: IdPattern, source: Int32Array, lo: number, hi: number, anchorBudget = 0): Alignment {
  const m = pattern.codes.length;
  const n = Math.max(0, hi - lo);
  const width = n + 1;
  const { cost, move, back } = scratch((m + 1) * width); // back: for SKIP, the column the element started at
  // Row 0: the quotation may start anywhere (the tables are reused, so clear it).
  cost.fill(0, 0, width);
  move.fill(0, 0, width);
  for (let i = 1; i <= m; i++) {
    const code = pattern.codes[i - 1];
    const row = i * width;
    const up = (i - 1) * width;
    for (let j = 0; j <= n; j++) {
      let best: number;
      let how: number;
      let from = j;
      if (code === GAP) {
        best = cost[up + j];
        how = SKIP;
        // Free skip: the cheapest earlier column of the row above.
        // Strictly cheaper only: the gap starts as late as it can, so the words before it keep their source words.
        if (j > 0 && cost[row + j - 1] < best && move[row + j - 1] === SKIP) {
          best = cost[row + j - 1];
          from = back[row + j - 1];
        }
      } else if (code === STAND_IN) {
        const lowK = Math.max(0, j - pattern.max[i - 1]);
        const highK = j - pattern.min[i - 1];
        best = Number.MAX_SAFE_INTEGER;
        how = SKIP;
        for (let k = highK; k >= lowK; k--) {
          if (cost[up + k] < best) {
            best = cost[up + k];
            from = k;
          }
        }
        if (highK < lowK || highK < 0) {
          // Too few words before: count the stand-in as a changed word.
          best = cost[up + j] + 1;
          how = DROP;
        }
      } else {
        best = cost[up + j] + 1;
        how = DROP;
        if (j > 0) {
          const diag = cost[up + j - 1] + (code >= 0 && code === source[lo + j - 1] ? 0 : 1);
          if (diag <= best) {
            best = diag;
            how = SUB;
          }
          const add = cost[row + j - 1] + 1;
          if (add < best) {
            best = add;
            how = ADD;
          }
        }
      }
      cost[row + j] = best;
      move[row + j] = how;
      back[row + j] = from;
    }
  }
  let end = 0;
  const last = m * width;
  // Ties go to the later end: a changed last word is then a changed word, not a dropped one.
  for (let j = 1; j <= n; j++) if (cost[last + j] <= cost[last + end]) end = j;
  // An end on the quotation's own last word, when it costs no more than `anchorBudget`, beats a cheaper
  // end on a changed one: "a necessity for Iraq" against "a necessity for the security … of Iraq" is an
  // elision (the fix restores the left-out words), not "Iraq" changed into "the".
  const lastCode = pattern.codes[m - 1];
  if (m > 0 && lastCode >= 0 && !(move[last + end] === SUB && source[lo + end - 1] === lastCode)) {
    let anchored = -1;
    for (let j = 1; j <= n; j++) {
      if (move[last + j] === SUB && source[lo + j - 1] === lastCode && cost[last + j] <= anchorBudget && (anchored === -1 || cost[last + j] < cost[last + anchored])) anchored = j;
    }
    if (anchored !== -1) end = anchored;
  }

  // Trace back.
  const elements: ElementSpan[] = new Array(m);
  let same = 0;
  let i = m;
  let j = end;
  while (i > 0) {
    const how = move[i * width + j];
    const code = pattern.codes[i - 1];
    if (how === ADD) {
      j--;
      continue;
    }
    if (how === SUB) {
      const isSame = code >= 0 && code === source[lo + j - 1];
      if (isSame) same++;
      elements[i - 1] = { from: lo + j - 1, to: lo + j, same: isSame };
      j--;
    } else if (how === SKIP) {
      const from = back[i * width + j];
      elements[i - 1] = { from: lo + from, to: lo + j, same: false };
      j = from;
    } else {
      elements[i - 1] = { from: lo + j, to: lo + j, same: false };
    }
    i--;
  }
  const covered = elements.filter((e) => e.to > e.from);
  const from = covered.length ? Math.min(...covered.map((e) => e.from)) : lo + end;
  const to = covered.length ? Math.max(...covered.map((e) => e.to)) : lo + end;
  return { cost: cost[last + end], from, to, same, elements };
}
