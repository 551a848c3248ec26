/**
 * Numbers, amounts of money and percentages in one sentence. The number
 * grammar ("2,500", "two thousand five hundred", "2.5 thousand", "a third",
 * "40k") is Microsoft's recognizers-text `recognizeNumber`; added here is only
 * what it lacks:
 * - a scale abbreviation glued to the digits, which it skips ("$30bn", "€2.5m");
 * - the currency and percent marks around a number. recognizers-text has a
 *   currency model, but on this kind of machine it took 30 ms for a
 *   100-character sentence and over a second for 1,000 characters (the number
 *   model: about 1 ms), far too slow to run while a writer types; the marks
 *   themselves are a closed list.
 * Results are cached per sentence text: the same sentences are read again on
 * every keystroke.
 */
import { Culture, recognizeNumber } from '@microsoft/recognizers-text-number';

/** One number found, with offsets into the sentence it was read from. */
export interface RecognizedNumber {
  start: number;
  end: number;
  value: number;
  /** `count`, `fraction`, `percent`, or an ISO currency code (`USD`, `EUR`, …). */
  unit: string;
  /** The currency mark as written ("$", "US$", "€", "dollars"), when the figure is money. */
  currencyMark?: string;
  /** True when the currency mark follows the number ("88 billion dollars"). */
  currencyAfter?: boolean;
  /** The scale word or abbreviation as written ("billion", "bn", "m"), when there is one. */
  scaleWord?: string;
  /** How the percent sign was written ("%", " percent"), for percentages. */
  percentMark?: string;
  /** Spelled out ("eighteen", "two thousand five hundred") rather than digits. */
  words: boolean;
  /** Digits written with thousands separators ("2,500"); undefined when the number is too small to tell. */
  separators?: boolean;
}

/** Anything that may be a number: digits, or an English number word. A cheap pre-filter before the recogniser. */
export const NUMBERISH =
  /\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozens?|half|third|quarter)\b/i;

/** Sentences longer than this are read in windows around their numbers, so one run-on line cannot stall a check. */
const WINDOW = 240;

const SCALES: Record<string, number> = {
  k: 1e3, thousand: 1e3,
  m: 1e6, mn: 1e6, mln: 1e6, million: 1e6,
  b: 1e9, bn: 1e9, billion: 1e9,
  tn: 1e12, trillion: 1e12,
};
/** Digits with a glued scale abbreviation: "30bn", "2.5m", "30 bn". */
const GLUED = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(bn|tn|mn|mln|m|b|k)(?![\p{L}\p{N}])/giu;
const SCALE_IN_TEXT = /\b(thousand|million|billion|trillion)\b/i;
const MARK_BEFORE = /(US\$|A\$|C\$|NZ\$|HK\$|\$|€|£|¥|USD ?|EUR ?|GBP ?)\s?$/;
const MARK_AFTER = /^\s(?:US |American |Australian |Canadian )?(dollars?|euros?|pounds?(?: sterling)?|yen)\b/i;
const PERCENT_AFTER = /^(\s?%|\s(?:percent|per cent)\b)/i;
const CURRENCY_OF: Array<[RegExp, string]> = [
  [/^(?:US\$|\$|USD ?|dollars?)$/i, 'USD'],
  [/^A\$$/, 'AUD'],
  [/^C\$$/, 'CAD'],
  [/^NZ\$$/, 'NZD'],
  [/^HK\$$/, 'HKD'],
  [/^(?:€|EUR ?|euros?)$/i, 'EUR'],
  [/^(?:£|GBP ?|pounds?(?: sterling)?)$/i, 'GBP'],
  [/^(?:¥|yen)$/i, 'JPY'],
];

const cache = new Map<string, RecognizedNumber[]>();
const CACHE_LIMIT = 20_000;

/**
 * Builds the recogniser's models (about a second on first use) so that the
 * first draft check does not pay for it. A host may call it once the index is ready.
 */
export function warmUpRecognizer(): void {
  recognizeNumbers('about 2,500 troops and two thousand five hundred');
}

/** Every number in `sentence`, money and percentages included, in order. Never throws. */
export function recognizeNumbers(sentence: string): RecognizedNumber[] {
  const hit = cache.get(sentence);
  if (hit) return hit;
  let found: RecognizedNumber[] = [];
  if (NUMBERISH.test(sentence)) {
    try {
      found = recognizeUncached(sentence);
    } catch {
      // Findings, not exceptions: a sentence the recogniser cannot read has no figures.
      found = [];
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sentence, found);
  return found;
}

function recognizeUncached(sentence: string): RecognizedNumber[] {
  const out: RecognizedNumber[] = [];
  for (const window of windows(sentence)) {
    const text = sentence.slice(window.start, window.end);
    for (const r of recognizeNumber(text, Culture.English)) {
      const start = window.start + r.start;
      const end = window.start + r.end + 1;
      const value = Number(r.resolution?.value);
      // The recogniser reports inclusive ends on its own lower-cased copy; keep only results that line up.
      if (!Number.isFinite(value) || sentence.slice(start, end).toLowerCase() !== String(r.text).toLowerCase()) continue;
      if (out.some((o) => o.start < end && start < o.end)) continue;
      const written = sentence.slice(start, end);
      out.push({ start, end, value, unit: 'count', scaleWord: SCALE_IN_TEXT.exec(written)?.[1], words: !/\d/.test(written), separators: separatorsOf(written) });
    }
  }
  addGluedScales(sentence, out);
  for (const r of out) addMarks(sentence, r);
  return out.sort((a, b) => a.start - b.start);
}

/** The whole sentence, or windows around its numbers when it is long. */
function windows(sentence: string): Array<{ start: number; end: number }> {
  if (sentence.length <= WINDOW * 2) return [{ start: 0, end: sentence.length }];
  const out: Array<{ start: number; end: number }> = [];
  const any = new RegExp(NUMBERISH.source, 'gi');
  for (let m = any.exec(sentence); m; m = any.exec(sentence)) {
    // Windows start and end at spaces so no word is cut in two.
    let start = Math.max(0, m.index - WINDOW / 2);
    while (start > 0 && !/\s/.test(sentence[start - 1])) start--;
    let end = Math.min(sentence.length, m.index + WINDOW / 2);
    while (end < sentence.length && !/\s/.test(sentence[end])) end++;
    const last = out[out.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else out.push({ start, end });
    any.lastIndex = Math.max(any.lastIndex, end);
  }
  return out;
}

/** "$30bn", "€2.5m": digits with a glued scale abbreviation, which the recogniser skips or reads without the scale. */
function addGluedScales(sentence: string, out: RecognizedNumber[]): void {
  GLUED.lastIndex = 0;
  for (let m = GLUED.exec(sentence); m; m = GLUED.exec(sentence)) {
    const abbreviation = m[3].toLowerCase();
    const money = MARK_BEFORE.test(sentence.slice(Math.max(0, m.index - 5), m.index));
    // "5m" alone may be metres and "3b" a flat; with a currency mark they are millions and billions.
    if (!money && /^(?:m|mn|mln|b)$/.test(abbreviation)) continue;
    const start = m.index;
    const end = m.index + m[0].length;
    const digits = m[1] + (m[2] ?? '');
    const value = Number(digits.replace(/,/g, '')) * SCALES[abbreviation];
    for (let i = out.length - 1; i >= 0; i--) if (out[i].start < end && start < out[i].end) out.splice(i, 1);
    out.push({ start, end, value, unit: 'count', scaleWord: m[3], words: false, separators: separatorsOf(m[1]) });
  }
}

/** Currency marks before or after a number, and percent marks after it. */
function addMarks(sentence: string, r: RecognizedNumber): void {
  const before = MARK_BEFORE.exec(sentence.slice(Math.max(0, r.start - 5), r.start));
  if (before) {
    const unit = currencyOf(before[1]);
    if (unit) {
      r.unit = unit;
      r.currencyMark = before[1];
      r.start -= before[0].length;
      return;
    }
  }
  const tail = sentence.slice(r.end, r.end + 30);
  const after = MARK_AFTER.exec(tail);
  if (after) {
    const unit = currencyOf(after[1]);
    if (unit) {
      r.unit = unit;
      r.currencyMark = after[0].trimStart();
      r.currencyAfter = true;
      r.end += after[0].length;
      return;
    }
  }
  const percent = PERCENT_AFTER.exec(tail);
  if (percent) {
    r.unit = 'percent';
    r.percentMark = percent[1];
    r.end += percent[0].length;
    return;
  }
  // "a third", "half": a share of something, never a count of it.
  if (r.words && r.value > 0 && r.value < 1) r.unit = 'fraction';
}

function currencyOf(mark: string): string | undefined {
  return CURRENCY_OF.find(([re]) => re.test(mark))?.[1];
}

function separatorsOf(text: string): boolean | undefined {
  if (/\d,\d{3}/.test(text)) return true;
  if (/\d{4}/.test(text)) return false;
  return undefined;
}
