/**
 * Figures as Corroborate checks them: a recognised number with its qualifier
 * ("about", "more than"), the thing it counts ("American soldiers"), the words
 * around it, the places it is about ("in Iraq") and its time frame ("since
 * October 17"). Years, dates, times, ordinals, labels ("Marghumi 28",
 * "Article 51") and numbers glued into names or codes are not figures.
 * Drafts and sources are read the same way, so they compare like with like.
 */
import type { Span } from '../types';
import { normalizeWord, tokenize, type Token } from '../text';
import { recognizeNumbers, type RecognizedNumber } from './recognize';

export type Qualifier = 'exact' | 'approx' | 'atLeast' | 'moreThan' | 'atMost' | 'lessThan' | 'range';

/** One figure, with offsets into the text it was read from. `start` includes the qualifier. */
export interface Figure extends Span {
  /** The figure as written, qualifier included: "about 2,500", "$30bn", "four". */
  text: string;
  /** Where the number itself starts (after the qualifier). */
  numberStart: number;
  value: number;
  /** The upper end of a range ("between 2,000 and 3,000"): `value` is the lower end. */
  high?: number;
  unit: string;
  qualifier: Qualifier;
  /** The qualifier as written ("approximately"), when there is one. */
  qualifierText?: string;
  number: RecognizedNumber;
  /** The counted thing, normalised ("soldier"), when the words after the figure name one. */
  head?: string;
  /** The counted thing as written ("American soldiers"). */
  headText?: string;
  /** Normalised content words near the figure, each with a weight that falls with distance. */
  context: Map<string, number>;
  /** Places the figure is about ("in Iraq and Syria" → iraq, syria), normalised. */
  places: string[];
  /**
   * Proper names right next to the figure ("Spain has 300 troops" → spain), normalised; "U.S.", "American",
   * a lone "Washington" → us. An elliptical figure ("and about 900 in Syria") also has its lender's names but not its places.
   */
  names: string[];
  /** A time frame stated next to it: "since October 17", "between October 17 and January 11". */
  timeFrame?: string;
}

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const MONTH_WORD = new RegExp(`^(?:${MONTHS})$`, 'i');
const MONTH_BEFORE = new RegExp(`\\b(?:${MONTHS})\\.?\\s*$`, 'i');
const MONTH_AFTER = new RegExp(`^(?:st|nd|rd|th)?,?\\s+(?:of\\s+)?(?:${MONTHS})\\b`, 'i');
const QUALIFIER_BEFORE =
  /\b(about|approximately|approx\.|around|roughly|some|nearly|almost|close to|an estimated|estimated|more than|over|above|at least|no fewer than|no less than|as many as|up to|at most|no more than|fewer than|less than|under|below)\s+$/i;
const LABEL_WORDS = /\b(?:page|pages|p|pp|chapter|section|article|no|number|room|resolution|route|flight|line|version|v|item|figure|fig|table|paragraph|clause|act|bill|level|grade|phase|season|episode|vol|volume|issue|gate|terminal|exit)\.?\s*$/i;
const TIME_FRAME = new RegExp(
  `\\b(?:since|between|from|during|in|by|as of|through|until)\\s+(?:the\\s+(?:start|end|beginning|middle)\\s+of\\s+)?(?:(?:early|mid|late)[- ])?(?:${MONTHS}|\\d{4})\\b(?:\\s+\\d{1,2}\\b)?(?:,?\\s+\\d{4})?(?:\\s+(?:and|to|until|through)\\s+(?:(?:early|mid|late)[- ])?(?:${MONTHS})\\b(?:\\s+\\d{1,2}\\b)?)?`,
  'i',
);

/** Words that carry no meaning for "what is counted". */
export const STOPWORDS = new Set(
  (
    'a an the of in on at to for from by with without within into onto over under about around against among between during since until ' +
    'and or but nor so yet while whereas as than then that this these those there here it its it’s they them their he she his her we our you your i me my ' +
    'is are was were be been being has have had do does did will would shall should can could may might must not no nor only also just even still ' +
    'which who whom whose what when where why how all any each every some more most less least other another such same own very too ' +
    'said says say told according including included includes up down out off again further once per via among amid approximately roughly nearly almost ' +
    'least just far so counted total number numbers some mr ms mrs dr'
  ).split(/\s+/),
);
const LOCATIVE = new Set(['in', 'into', 'across', 'within', 'throughout', 'inside']);
const CLAUSE_BREAK = /^(?:while|whereas|but|and|or|which|who|including|with|after|before|as)$/;

/** Content-word stem: lower case, plural and possessive endings dropped ("soldiers" → "soldier", "militiamen" → "militiaman"). */
export function stem(norm: string): string {
  let w = norm;
  if (w.length > 4 && w.endsWith('men')) return w.slice(0, -3) + 'man';
  if (w === 'people' || w === 'persons') return 'person';
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && /(?:ches|shes|xes|sses)$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  // Crude verb and adjective endings, so "injured", "injury" and "injuring" meet ("injur").
  if (w.length > 6 && w.endsWith('ly')) w = w.slice(0, -2);
  if (w.length > 6 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 5 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 5 && w.endsWith('y')) w = w.slice(0, -1);
  return w;
}

/**
 * One spelling for names written many ways: "U.S.", "US", "United States",
 * "American", "America" → us. Given the text the tokens were read from,
 * "Washington" standing alone is the US government too ("Washington keeps
 * about 900 troops in Iraq"), but not in a longer name ("George Washington",
 * "Washington Post") nor as the state.
 */
export function canonical(tokens: Token[], t: number, text?: string): string {
  const w = tokens[t].norm;
  if (w === 'u' && tokens[t + 1]?.norm === 's') return 'us';
  if (w === 'washington' && text !== undefined && isCapitalMetonym(text, tokens, t)) return 'us';
  if (w === 'american' || w === 'americans' || w === 'america' || w === 'usa') return 'us';
  if (w === 'united' && tokens[t + 1]?.norm === 'states') return 'us';
  if (w === 'states' && tokens[t - 1]?.norm === 'united') return 'us';
  return stem(w);
}

/** "Washington" for the US government: capitalised, no capitalised word (other than a stop word) joined to it on either side, and not "Washington state". */
function isCapitalMetonym(text: string, tokens: Token[], t: number): boolean {
  const capitalised = (i: number) => /^\p{Lu}/u.test(text.slice(tokens[i].start, tokens[i].end));
  if (!capitalised(t)) return false;
  const prev = tokens[t - 1];
  const next = tokens[t + 1];
  // A capitalised stop word before it is a sentence start ("In Washington"), a capitalised name is a longer name ("George Washington").
  if (prev && /^\s+$/.test(text.slice(prev.end, tokens[t].start)) && capitalised(t - 1) && !STOPWORDS.has(prev.norm)) return false;
  if (next && /^\s+$/.test(text.slice(tokens[t].end, next.start)) && (capitalised(t + 1) || next.norm === 'state')) return false;
  return true;
}

/** Whether token `t` says something about what a figure is about (not a stop word, number or stray letter). */
export function isContentWord(tokens: Token[], t: number): boolean {
  const w = tokens[t].norm;
  if (w === 'u' && tokens[t + 1]?.norm === 's') return true;
  return !STOPWORDS.has(w) && !/^\p{N}/u.test(w) && w.length >= 2;
}

const keyCache = new Map<string, { norm: string; key: string | null }>();
// The word pattern of `tokenize` (core/text.ts), run in place over a source's text.
const WORD_IN_TEXT = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{M}]+)*/gu;

/**
 * The content-word keys of `text[start, end)`, as the figure index files a
 * sentence under them (the same keys `canonical` gives a figure's context).
 * Streams without building token objects, and remembers each word's key:
 * an index build meets the same words millions of times.
 */
export function contentKeys(text: string, start: number, end: number, emit: (key: string) => void): void {
  let previous = '';
  WORD_IN_TEXT.lastIndex = start;
  for (let m = WORD_IN_TEXT.exec(text); m && m.index < end; m = WORD_IN_TEXT.exec(text)) {
    const raw = m[0];
    let entry = keyCache.get(raw);
    if (entry === undefined) {
      const w = normalizeWord(raw);
      const key = STOPWORDS.has(w) || /^\p{N}/u.test(w) || w.length < 2 ? null : w === 'american' || w === 'americans' || w === 'america' || w === 'usa' ? 'us' : stem(w);
      entry = { norm: w, key };
      if (keyCache.size > 200_000) keyCache.clear();
      keyCache.set(raw, entry);
    }
    const w = entry.norm;
    // "Washington" may be read as the US (see `canonical`): filed under both, so either reading finds the sentence.
    if ((previous === 'u' && w === 's') || (previous === 'united' && w === 'states') || raw === 'Washington') emit('us');
    previous = w;
    if (entry.key !== null) emit(entry.key);
  }
}

/** Heads that count the same kind of thing ("2,500 troops" is "2,500 soldiers"). */
const HEAD_CLASSES: string[][] = [
  ['soldier', 'troop', 'personnel', 'servicemember', 'serviceman', 'force'],
  ['militiaman', 'fighter', 'militant'],
  ['person', 'individual', 'civilian'],
  ['attack', 'assault'],
  ['dollar', 'usd'],
];
const HEAD_CLASS = new Map<string, number>();
HEAD_CLASSES.forEach((cls, i) => cls.forEach((w) => HEAD_CLASS.set(w, i)));

/** The words a head stands for in searches (itself and the heads of its class). */
export function headVariants(head: string): string[] {
  const cls = HEAD_CLASS.get(head);
  return cls === undefined ? [head] : HEAD_CLASSES[cls];
}

/** True when two counted things are the same kind of thing. */
export function sameHead(a: string, b: string): boolean {
  if (a === b) return true;
  const ca = HEAD_CLASS.get(a);
  return ca !== undefined && ca === HEAD_CLASS.get(b);
}

/**
 * Reads the figures of one sentence `text.slice(span.start, span.end)`.
 * `isSentenceStart` tells whether the span begins a sentence (so its first
 * capitalised word is not taken for a name).
 */
export function readSentenceFigures(text: string, span: Span): Figure[] {
  const sentence = text.slice(span.start, span.end);
  const numbers = recognizeNumbers(sentence).filter((n) => isFigure(sentence, n));
  if (numbers.length === 0) return [];
  const tokens = tokenize(sentence);
  const figures: Figure[] = [];
  for (const n of numbers) {
    const before = sentence.slice(Math.max(0, n.start - 24), n.start);
    const q = QUALIFIER_BEFORE.exec(before);
    const qualifierText = q?.[1];
    const start = q ? n.start - q[0].length : n.start;
    figures.push({
      start: span.start + start,
      end: span.start + n.end,
      numberStart: span.start + n.start,
      text: sentence.slice(start, n.end),
      value: n.value,
      unit: n.unit,
      qualifier: qualifierOf(qualifierText),
      qualifierText,
      number: n,
      context: new Map(),
      places: [],
      names: [],
    });
  }
  describe(sentence, tokens, mergeRanges(sentence, figures, span.start), span.start);
  return figures;
}

/**
 * "between 2,000 and 3,000 troops", "2,000-3,000 troops", "2,000 to 3,000
 * troops": one figure whose value is a range. "From about 5,000 to 2,500" is
 * a change, not a range, and stays two figures.
 */
function mergeRanges(sentence: string, figures: Figure[], offset: number): Figure[] {
  for (let i = figures.length - 2; i >= 0; i--) {
    const a = figures[i];
    const b = figures[i + 1];
    const gap = sentence.slice(a.end - offset, b.start - offset);
    const before = sentence.slice(Math.max(0, a.start - offset - 12), a.start - offset);
    const between = /^\s+and\s+$/i.test(gap) && /\bbetween\s+$/i.test(before);
    const dashed = /^\s*[-\u2013]\s*$/.test(gap) || (/^\s+to\s+$/i.test(gap) && !/\bfrom\s+$/i.test(before));
    if (!(between || dashed) || b.value <= a.value || (a.unit !== b.unit && a.unit !== 'count')) continue;
    const start = between ? a.start - /between\s+$/i.exec(before)![0].length : a.start;
    figures.splice(i, 2, {
      ...b,
      start,
      numberStart: a.numberStart,
      text: sentence.slice(start - offset, b.end - offset),
      value: a.value,
      high: b.value,
      qualifier: 'range',
      qualifierText: undefined,
    });
  }
  return figures;
}

function qualifierOf(word: string | undefined): Qualifier {
  if (!word) return 'exact';
  const w = word.toLowerCase();
  if (/^(more than|over|above)$/.test(w)) return 'moreThan';
  if (/^(at least|no fewer than|no less than)$/.test(w)) return 'atLeast';
  if (/^(as many as|up to|at most|no more than)$/.test(w)) return 'atMost';
  if (/^(fewer than|less than|under|below)$/.test(w)) return 'lessThan';
  return 'approx';
}

/** Whether a recognised number is a figure to check rather than a year, date, time, ordinal, label or part of a name. */
function isFigure(sentence: string, n: RecognizedNumber): boolean {
  const written = sentence.slice(n.start, n.end);
  const before = sentence.slice(Math.max(0, n.start - 30), n.start);
  const after = sentence.slice(n.end, n.end + 30);
  // "one" is an article as often as a number ("one of whom", "one-year"); "a"/"an" never count.
  if (n.words && /^(?:one|an?|zero|none)$/i.test(written.trim())) return false;
  if (n.words && /^[-\u2010\u2011]/.test(after)) return false; // "one-year agenda", "two-day visit"
  if (!n.words) {
    // Times and scores: 13:44, 3:59 PM, 2-1.
    if (/[:]\d/.test(after.slice(0, 2)) || /\d[:]$/.test(before)) return false;
    if (/^\s*(?:a\.?m\.?|p\.?m\.?)(?![\p{L}])/iu.test(after)) return false;
    // Ordinals: 3rd, 17th.
    if (/^(?:st|nd|rd|th)\b/i.test(after)) return false;
    // Glued into a word, a code or a URL: F-16, COVID-19, A320, v2, example.com/2023, 12abc.
    if (/[\p{L}\d_/@#.\-\u2010\u2011][-\u2010\u2011]?$/u.test(before) && !/[$€£¥]$/.test(before) && !/^[.,]$/.test(before.slice(-1))) return false;
    if (/\S*(?:https?:|www\.|@)\S*$/.test(before)) return false;
    if (/^[\p{L}_]/u.test(after)) return false;
    // Years: four plain digits between 1000 and 2100, as in "in 2014" or "the 2001 Authorisation".
    // Unless a plural noun follows it and no date preposition precedes it: "2000 troops" is a count.
    if (n.unit === 'count' && /^\d{4}$/.test(written) && n.value >= 1000 && n.value <= 2100) {
      const counts = /^\s+(?:[a-z]+\s+)?[a-z]+(?:s|people|men)\b/.test(after) && !/\b(?:in|since|by|of|until|till|from|before|after|during|through|to|the|and|or)\s+$/i.test(before);
      if (!counts) return false;
    }
    // Calendar dates: "December 29", "Dec. 28", "29 December", "January 18".
    if (MONTH_BEFORE.test(before) || MONTH_AFTER.test(after)) return false;
    // Labels: "Marghumi 28", "Article 51", "page 3", "Resolution 2334": a capitalised word or a label word right before a bare number.
    if (n.unit === 'count' && !n.scaleWord) {
      if (LABEL_WORDS.test(before)) return false;
      const word = /([\p{Lu}][\p{L}'\u2019-]*)\s+$/u.exec(before);
      const prefix = sentence.slice(0, n.start);
      const name = /([\p{Lu}][\p{L}'\u2019-]*)\s+$/u.exec(prefix);
      if (word && name && !MONTH_WORD.test(name[1]) && !isSentenceInitial(prefix, name.index) && !/^(?:About|Some|Nearly|Almost|Around|Over|Only|Roughly|Approximately|More|At|Up|Fewer|Less|Under|Just)$/.test(word[1])) return false;
    }
  } else if (MONTH_BEFORE.test(before) || MONTH_AFTER.test(after)) {
    return false;
  }
  // List markers in plain text: "1. ", "2) " at the start of a line.
  if (/(?:^|\n)[ \t]*$/.test(before) && /^[.)](?:\s|$)/.test(after)) return false;
  return true;
}

function isSentenceInitial(before: string, wordIndex: number): boolean {
  return /^[\s"'“‘(\[]*$/.test(before.slice(0, wordIndex)) || /[.!?:]["'”’)]*\s+$/.test(before.slice(0, wordIndex));
}

/**
 * Fills in head, context, places and time frame. Words between two figures are
 * split at the first clause break after the earlier one ("2,500 soldiers in
 * Iraq, | while about 900 … in Syria"), so each figure keeps its own place.
 */
function describe(sentence: string, tokens: Token[], figures: Figure[], offset: number): void {
  const tokenIndexAt = (pos: number) => {
    let i = 0;
    while (i < tokens.length && tokens[i].end <= pos) i++;
    return i;
  };
  const firsts = figures.map((f) => tokenIndexAt(f.numberStart - offset));
  const afters = figures.map((f) => tokenIndexAt(f.end - offset));
  // Region bounds (token indexes), [from, to).
  const bounds = figures.map(() => ({ from: 0, to: tokens.length }));
  for (let i = 1; i < figures.length; i++) {
    let cut = afters[i - 1];
    const limit = firsts[i] - (figures[i].qualifierText ? figures[i].qualifierText!.split(/\s+/).length : 0);
    while (cut < limit) {
      const gap = sentence.slice(tokens[cut - 1]?.end ?? 0, tokens[cut].start);
      if (/[,;:()\u2013\u2014]/.test(gap) || CLAUSE_BREAK.test(tokens[cut].norm)) break;
      cut++;
    }
    bounds[i - 1].to = Math.max(afters[i - 1], cut);
    bounds[i].from = Math.min(cut, firsts[i]);
  }

  figures.forEach((figure, i) => {
    const { from, to } = bounds[i];
    // The counted thing: the words right after the number, up to a stop word or punctuation.
    const headWords: Token[] = [];
    for (let t = afters[i]; t < to && headWords.length < 3; t++) {
      const gap = sentence.slice(tokens[t - 1]?.end ?? 0, tokens[t].start);
      if (headWords.length > 0 && /[^\s]/.test(gap)) break;
      if (headWords.length === 0 && /[^\s$€£%]/.test(gap.replace(/^(?:bn|m|k|tn)/i, ''))) break;
      if (STOPWORDS.has(tokens[t].norm) && tokens[t].norm !== 'other') break;
      if (headWords.length > 0 && /(?:ing|ed)$/.test(tokens[t].norm)) break;
      if (/^\p{N}/u.test(tokens[t].norm) || MONTH_WORD.test(tokens[t].norm)) break;
      if (/^(?:percent|cent|bn|billion|million|thousand|trillion|dollars?|euros?|pounds?|k|m)$/.test(tokens[t].norm) && headWords.length === 0) continue;
      headWords.push(tokens[t]);
    }
    const nouns = headWords.filter((t) => t.norm !== 'other');
    if (nouns.length > 0) {
      // The first plural is the counted thing ("sides held" → side); else the last word ("American soldier").
      const plural = nouns.find((t) => /(?:s|men|people)$/.test(t.norm) && !/(?:ss|us|is)$/.test(t.norm));
      figure.head = stem((plural ?? nouns[nouns.length - 1]).norm);
      figure.headText = sentence.slice(headWords[0].start, headWords[headWords.length - 1].end);
    }
    for (let t = from; t < to; t++) {
      const tok = tokens[t];
      if (!isContentWord(tokens, t)) continue;
      if (tok.start >= figure.start - offset && tok.end <= figure.end - offset) continue;
      const distance = t < firsts[i] ? firsts[i] - t : t - afters[i] + 1;
      const weight = distance <= 3 ? 1 : distance <= 8 ? 0.6 : 0.3;
      const s = canonical(tokens, t, sentence);
      figure.context.set(s, Math.max(figure.context.get(s) ?? 0, weight));
      // Places: capitalised words after a locative preposition, and those joined to them by "and".
      const prev = tokens[t - 1]?.norm;
      const prev2 = tokens[t - 2]?.norm;
      const capital = /^\p{Lu}/u.test(sentence.slice(tok.start, tok.end)) && !MONTH_WORD.test(tok.norm);
      if (capital && weight === 1 && !figure.names.includes(s)) figure.names.push(s);
      if (capital && prev && (LOCATIVE.has(prev) || (prev === 'and' && figure.places.includes(stem(prev2 ?? ''))) || (prev2 && LOCATIVE.has(prev2) && /^(?:northern|southern|eastern|western|central|neighbouring|neighboring)$/.test(prev)))) {
        figure.places.push(s);
      }
    }
    const regionText = sentence.slice(tokens[from]?.start ?? 0, tokens[to - 1]?.end ?? sentence.length);
    figure.timeFrame = TIME_FRAME.exec(regionText)?.[0];
  });
  // Elliptical figures borrow the counted thing: "from about 5,000 to 2,500 troops", "2,500 troops in Iraq and about 900 in Syria".
  // Its clause also shares the lender's subject and the names on its noun ("The US has … and about 900 [American troops] in Syria"),
  // but never the lender's places: those are what tells the two figures apart.
  figures.forEach((figure, i) => {
    if (figure.head) return;
    const lender = figures[i + 1]?.head && afters[i] + 1 >= firsts[i + 1] - 1 ? figures[i + 1] : figures[i - 1];
    if (lender?.head && lender.unit === figure.unit) {
      figure.head = lender.head;
      figure.headText = lender.headText;
      figure.context.set(lender.head, Math.max(figure.context.get(lender.head) ?? 0, 1));
      for (const name of lender.names) {
        if (!lender.places.includes(name) && !figure.names.includes(name)) figure.names.push(name);
      }
    }
  });
}
