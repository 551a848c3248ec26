/**
 * Writes a source's figure the way the draft writes figures, for the quick
 * fix: spelled out or in digits, with or without thousands separators, the
 * same currency mark, the same scale word ("$88bn" stays in "bn"), the same
 * percent sign. The recogniser reads numbers but does not write them, so the
 * small number-to-words table lives here.
 */
import type { Figure, Qualifier } from './read';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words for a whole number below a million ("two thousand five hundred"); undefined otherwise. */
export function numberToWords(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n >= 1e6) return undefined;
  const below1000 = (x: number): string => {
    const parts: string[] = [];
    if (x >= 100) {
      parts.push(`${ONES[Math.floor(x / 100)]} hundred`);
      x %= 100;
    }
    if (x >= 20) parts.push(TENS[Math.floor(x / 10)] + (x % 10 ? `-${ONES[x % 10]}` : ''));
    else if (x > 0 || parts.length === 0) parts.push(ONES[x]);
    return parts.join(' ');
  };
  if (n < 1000) return below1000(n);
  const rest = n % 1000;
  return `${below1000(Math.floor(n / 1000))} thousand` + (rest ? ` ${below1000(rest)}` : '');
}

const SCALE_FAMILIES: Array<Array<[string, number]>> = [
  [['trillion', 1e12], ['billion', 1e9], ['million', 1e6], ['thousand', 1e3]],
  [['tn', 1e12], ['bn', 1e9], ['m', 1e6], ['k', 1e3]],
  [['tn', 1e12], ['bn', 1e9], ['mn', 1e6], ['k', 1e3]],
];

function digits(value: number, separators: boolean | undefined): string {
  const rounded = Math.round(value * 100) / 100;
  const [whole, fraction] = String(rounded).split('.');
  const grouped = separators === false || whole.length <= 3 ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

const QUALIFIER_WORDS: Record<Exclude<Qualifier, 'exact' | 'range'>, string> = {
  approx: 'about',
  atLeast: 'at least',
  moreThan: 'more than',
  atMost: 'up to',
  lessThan: 'fewer than',
};

/**
 * The text that replaces `draft` (its qualifier included) to say what `source`
 * says, written in the draft's style: `four` for 3 gives `three`, `$88 million`
 * for $88 billion gives `$88 billion`, `900` for "approximately 2,500" gives `about 2,500`.
 */
export function formatLike(draft: Figure, source: Pick<Figure, 'value' | 'high' | 'qualifier' | 'qualifierText'>): string {
  let body: string;
  if (source.qualifier === 'range' && source.high !== undefined) {
    body = `between ${writeValue(draft, source.value)} and ${writeValue(draft, source.high)}`;
  } else {
    body = writeValue(draft, source.value);
    if (source.qualifier !== 'exact') {
      const word = source.qualifier === draft.qualifier && draft.qualifierText ? draft.qualifierText.toLowerCase() : QUALIFIER_WORDS[source.qualifier as keyof typeof QUALIFIER_WORDS] ?? 'about';
      body = `${word} ${body}`;
    }
  }
  // Keep a sentence-initial capital ("Four soldiers" → "Three soldiers").
  if (/^\p{Lu}/u.test(draft.text)) body = body[0].toUpperCase() + body.slice(1);
  return body;
}

const FRACTIONS: Array<[number, string]> = [
  [1 / 2, 'half'],
  [1 / 3, 'a third'],
  [2 / 3, 'two-thirds'],
  [1 / 4, 'a quarter'],
  [3 / 4, 'three quarters'],
  [1 / 5, 'a fifth'],
  [1 / 10, 'a tenth'],
];

/** The words for a common fraction ("a third" for 0.333…), undefined for others. */
export function fractionName(value: number): string | undefined {
  return FRACTIONS.find(([v]) => Math.abs(v - value) < 1e-6)?.[1];
}

/** One value in the draft figure's notation: words or digits, separators, scale word, currency and percent marks. */
function writeValue(draft: Figure, value: number): string {
  const n = draft.number;
  let body: string;
  const scale = n.scaleWord ? scaleFor(n.scaleWord, value) : undefined;
  const fraction = n.unit === 'fraction' ? fractionName(value) : undefined;
  if (fraction) {
    body = fraction;
  } else if (scale) {
    body = `${digits(value / scale.factor, undefined)}${/^\s/.test(afterNumber(draft)) || scale.word.length > 2 ? ' ' : ''}${scale.word}`;
  } else if (n.words && numberToWords(value)) {
    body = numberToWords(value)!;
  } else {
    body = digits(value, n.separators);
  }
  if (n.currencyMark) body = n.currencyAfter ? `${body} ${n.currencyMark}` : `${n.currencyMark}${body}`;
  if (n.unit === 'percent') body += n.percentMark ?? '%';
  return body;
}

/** The space (or nothing) between the draft's number and its scale word: "$30bn" vs "$30 bn". */
function afterNumber(draft: Figure): string {
  const written = draft.text.slice(draft.numberStart - draft.start);
  return /\d(\s*)\p{L}+\s*$/u.exec(written)?.[1] ?? ' ';
}

/** The scale in the draft's family ("bn" or "billion") that writes `value` with a small number. */
function scaleFor(written: string, value: number): { word: string; factor: number } | undefined {
  const lower = written.toLowerCase();
  const family = SCALE_FAMILIES.find((f) => f.some(([w]) => w === lower)) ?? SCALE_FAMILIES[0];
  for (const [word, factor] of family) {
    if (value >= factor) return { word: written === written.toUpperCase() && written.length > 1 ? word.toUpperCase() : word, factor };
  }
  return undefined;
}
