/**
 * Numbers, amounts of money and percentages in one sentence, read by
 * Microsoft's recognizers-text (the number grammar is theirs), plus the one
 * thing they lack: a scale written as an abbreviation glued to the number
 * ("$30bn", "€2.5m", "40k"). Results are cached per sentence text, because the
 * recogniser costs about a quarter of a millisecond per sentence and the same
 * sentences are read again on every keystroke.
 */
import { Culture, recognizeNumber, recognizePercentage } from '@microsoft/recognizers-text-number';
import { recognizeCurrency } from '@microsoft/recognizers-text-number-with-unit';

/** One number the recogniser found, with offsets into the sentence it was given. */
export interface RecognizedNumber {
  start: number;
  end: number;
  value: number;
  /** `count`, `percent`, or a currency (ISO code when known, else the recogniser's unit name). */
  unit: string;
  /** The currency mark as written ("$", "US$", "€"), when the figure is money. */
  currencyMark?: string;
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

const SCALES: Record<string, number> = {
  k: 1e3, thousand: 1e3,
  m: 1e6, mn: 1e6, mln: 1e6, million: 1e6,
  bn: 1e9, b: 1e9, billion: 1e9,
  tn: 1e12, trillion: 1e12,
};
// A scale right after a number, which the recogniser leaves out: "$30bn", "30 bn", "€2.5m".
const GLUED_SCALE = /^\s?(k|m|mn|mln|bn|b|tn)\b|^\s(thousand|million|billion|trillion)\b/i;
const SCALE_IN_TEXT = /\b(thousand|million|billion|trillion)\b/i;
const CURRENCY_CODES: Record<string, string> = { dollar: 'USD', 'united states dollar': 'USD', euro: 'EUR', pound: 'GBP', 'british pound': 'GBP' };

const cache = new Map<string, RecognizedNumber[]>();
const CACHE_LIMIT = 20_000;

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
  const taken = (start: number, end: number) => out.some((r) => r.start < end && start < r.end);
  // The recogniser reports inclusive ends on its own (lower-cased) copy; keep only results that line up with the sentence.
  const located = (r: { start: number; end: number; text: string }) => {
    const end = r.end + 1;
    return sentence.slice(r.start, end).toLowerCase() === r.text.toLowerCase() ? { start: r.start, end } : undefined;
  };

  for (const r of recognizeCurrency(sentence, Culture.English)) {
    const at = located(r);
    const value = Number(r.resolution?.value);
    if (!at || !Number.isFinite(value)) continue;
    const unitName = String(r.resolution?.unit ?? '').toLowerCase();
    const iso = r.resolution?.isoCurrency ? String(r.resolution.isoCurrency) : CURRENCY_CODES[unitName];
    const text = sentence.slice(at.start, at.end);
    const mark = /^[^\d\s]+/.exec(text)?.[0] ?? /[^\d\s.,]+$/.exec(text)?.[0];
    out.push({ ...at, value, unit: iso ?? (unitName || 'money'), currencyMark: mark, scaleWord: SCALE_IN_TEXT.exec(text)?.[1], words: !/\d/.test(text), separators: separatorsOf(text) });
  }
  for (const r of recognizePercentage(sentence, Culture.English)) {
    const at = located(r);
    const value = parseFloat(String(r.resolution?.value ?? ''));
    if (!at || !Number.isFinite(value) || taken(at.start, at.end)) continue;
    const text = sentence.slice(at.start, at.end);
    out.push({ ...at, value, unit: 'percent', percentMark: /\s*(%|per\s?cent)$/i.exec(text)?.[0] ?? '%', words: !/\d/.test(text), separators: separatorsOf(text) });
  }
  for (const r of recognizeNumber(sentence, Culture.English)) {
    const at = located(r);
    const value = Number(r.resolution?.value);
    if (!at || !Number.isFinite(value) || taken(at.start, at.end)) continue;
    const text = sentence.slice(at.start, at.end);
    out.push({ ...at, value, unit: 'count', scaleWord: SCALE_IN_TEXT.exec(text)?.[1], words: !/\d/.test(text), separators: separatorsOf(text) });
  }
  for (const r of out) {
    addGluedScale(sentence, r);
    // "a third", "half": a share of something, never a count of it.
    if (r.unit === 'count' && r.words && r.value > 0 && r.value < 1) r.unit = 'fraction';
  }
  return out.sort((a, b) => a.start - b.start);
}

/** "$30bn": the recogniser read $30; the abbreviation after it multiplies. Plain "5m" is left alone (it may be metres). */
function addGluedScale(sentence: string, r: RecognizedNumber): void {
  if (r.scaleWord || r.words) return;
  const m = GLUED_SCALE.exec(sentence.slice(r.end, r.end + 10));
  if (!m) return;
  const word = (m[1] ?? m[2]).toLowerCase();
  const abbreviation = m[1] !== undefined;
  if (abbreviation && r.unit === 'count' && /^(m|mn|mln|b)$/.test(word)) return;
  r.value *= SCALES[word];
  r.scaleWord = m[1] ?? m[2];
  r.end += m[0].length;
}

function separatorsOf(text: string): boolean | undefined {
  if (/\d,\d{3}/.test(text)) return true;
  if (/\d{4}/.test(text)) return false;
  return undefined;
}

export { SCALES };
