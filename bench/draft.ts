/**
 * The benchmark draft: about 3,000 words that quote and cite the corpus the
 * way a hurried writer does. Quotations are taken from real source sentences
 * with realistic edits (a word changed, dropped or added, an elision);
 * figures are taken from real source sentences, some kept, some changed,
 * some rescaled ("2,500,000" → "2.5 million") or spelled out.
 */
import type { Source } from '../server/src/core/types';
import { mulberry32, pick, shuffle } from './random';

export type QuoteEdit = 'exact' | 'word-changed' | 'word-dropped' | 'word-added' | 'elision';
export type FigureEdit = 'kept' | 'changed' | 'scaled' | 'spelled';

/** A quotation planted in the draft, with what the benchmark expects of it. */
export interface PlantedQuote {
  /** The source sentence as written, before the edit. */
  original: string;
  /** The words between the marks in the draft. */
  quoted: string;
  edit: QuoteEdit;
  /** Offsets of the quoted words in the draft. */
  start: number;
  end: number;
  /** The source it was taken from (its wire twin, or any source with the same sentence, is just as right). */
  sourceId: string;
}

export interface PlantedFigure {
  original: string;
  written: string;
  edit: FigureEdit;
  start: number;
  end: number;
  sourceId: string;
}

export interface BenchDraft {
  text: string;
  quotes: PlantedQuote[];
  figures: PlantedFigure[];
  words: number;
  /** Paragraph spans of the draft, for the one-paragraph-changed measurement. */
  paragraphs: Array<{ start: number; end: number }>;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const FILLER = [
  'The account below draws on the reports of the time.',
  'Not every detail survives in every version of the story.',
  'Several outlets carried the same passage with small differences.',
  'Readers should weigh the figures against the original documents.',
  'What follows sets those claims beside one another.',
  'The record is uneven, and the wording changed as it travelled.',
  'Others took a different view of the same events.',
  'The numbers were disputed even then.',
];
const ADDED_WORDS = ['very', 'really', 'also', 'still', 'indeed', 'certainly'];
const SPELLED: Record<number, string> = {
  2: 'two', 3: 'three', 4: 'four', 5: 'five', 6: 'six', 7: 'seven', 8: 'eight', 9: 'nine', 10: 'ten', 11: 'eleven', 12: 'twelve',
  15: 'fifteen', 20: 'twenty', 30: 'thirty', 40: 'forty', 50: 'fifty', 100: 'a hundred',
};

/**
 * A figure as news reports count them: a number of things or an amount ("250,565 cases", "7 years", "12 percent",
 * "2.5 million"), followed by what it counts or its unit. Not a date ("December 2, 1859"), a time ("8:15"), an
 * ordinal ("17th"), an age or a range ("between 55 and 65"), a version ("Python 4", "RAID-5") or a section number:
 * a checker rightly leaves those alone, and planted, they measured what it ignores (they were over half the figures).
 */
const FIGURE =
  /(?<![\w.,$:-])(?<!\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:(\s+(?:million|billion|percent|per cent))\b|(?=\s+(?:\p{Ll}{2,}s|men|women|people|children)\b))/u;

/**
 * Writes a draft from `sources` with `quoteCount` quotations and
 * `figureCount` figures, deterministic for a given corpus.
 */
export function makeDraft(sources: Source[], quoteCount = 40, figureCount = 80, targetWords = 3000): BenchDraft {
  const random = mulberry32(2024);
  const ordered = [...sources].sort((a, b) => (a.id < b.id ? -1 : 1));
  const quoteCandidates: Array<{ source: Source; sentence: string }> = [];
  const figureCandidates: Array<{ source: Source; sentence: string; number: RegExpExecArray }> = [];
  const prose = (sentence: string, min: number) => {
    const words = sentence.match(WORD) ?? [];
    return words.length >= min && words.length <= 30 && !/["“”«»]|http|@|[_=<>{}|\\&#()]/.test(sentence) && words.filter((w) => /^\p{L}+$/u.test(w)).length >= words.length * 0.8;
  };
  for (const source of shuffle(ordered, random).slice(0, 3000)) {
    // A writer quotes what someone said: the quotations inside a source, or any sentence of a speech.
    for (const q of source.quotes) {
      const quoted = source.text.slice(q.start, q.end).replace(/\s+/g, ' ').trim().replace(/[,.;:]+$/, '');
      if (prose(quoted, 8) && !/\d/.test(quoted)) quoteCandidates.push({ source, sentence: quoted });
    }
    for (const s of source.sentences) {
      const sentence = source.text.slice(s.start, s.end).replace(/\s+/g, ' ').trim();
      if (!prose(sentence, 12)) continue;
      const number = FIGURE.exec(sentence);
      if (number && !/^(1[6-9]|20)\d\d$/.test(number[1])) figureCandidates.push({ source, sentence, number });
      else if (!/\d/.test(sentence) && source.meta.type === 'transcript') quoteCandidates.push({ source, sentence });
    }
  }
  const quotes = shuffle(quoteCandidates, random).slice(0, quoteCount);
  const figures = shuffle(figureCandidates, random).slice(0, figureCount);

  const pieces: Array<{ kind: 'quote'; q: (typeof quotes)[number] } | { kind: 'figure'; f: (typeof figures)[number] }> = [
    ...quotes.map((q) => ({ kind: 'quote' as const, q })),
    ...figures.map((f) => ({ kind: 'figure' as const, f })),
  ];
  shuffle(pieces, random);

  let text = '# What the sources say\n\n';
  const planted: PlantedQuote[] = [];
  const plantedFigures: PlantedFigure[] = [];
  const paragraphs: Array<{ start: number; end: number }> = [];
  const quoteEdits: QuoteEdit[] = ['exact', 'exact', 'word-changed', 'word-changed', 'word-dropped', 'word-added', 'elision', 'elision'];
  const figureEdits: FigureEdit[] = ['kept', 'kept', 'kept', 'changed', 'changed', 'scaled', 'spelled'];
  const countWords = (s: string) => (s.match(WORD) ?? []).length;
  const perParagraph = 3;
  for (let i = 0; i < pieces.length; i += perParagraph) {
    const paragraphStart = text.length;
    for (const piece of pieces.slice(i, i + perParagraph)) {
      if (piece.kind === 'quote') {
        const edit = pick(quoteEdits, random);
        const quoted = editQuote(piece.q.sentence, edit, random);
        const lead = `${pick(['As one report put it,', 'The text reads:', 'In the words of the source,', 'It was written that'], random)} "`;
        const start = text.length + lead.length;
        text += `${lead}${quoted}" `;
        planted.push({ original: piece.q.sentence, quoted, edit, start, end: start + quoted.length, sourceId: piece.q.source.id });
      } else {
        const { sentence, number } = piece.f;
        const edit = pick(figureEdits, random);
        const written = editFigure(number[1], edit, random) + (number[2] ?? '');
        const before = sentence.slice(0, number.index).split(' ').slice(-6).join(' ');
        const after = sentence.slice(number.index + number[0].length).split(' ').slice(0, 5).join(' ').replace(/[.,;:!?]+$/, '');
        const lead = `${pick(['By one count,', 'According to the record,', 'Reports said', 'It was noted that'], random)} ${lowerFirst(before)}`.replace(/\s+$/, '') + ' ';
        const start = text.length + lead.length;
        text += `${lead}${written}${after.startsWith(' ') || !after ? '' : ' '}${after}. `;
        plantedFigures.push({ original: number[0], written, edit, start, end: start + written.length, sourceId: piece.f.source.id });
      }
      if (countWords(text) < (targetWords * (i + perParagraph)) / pieces.length) text += `${pick(FILLER, random)} `;
    }
    text = text.replace(/ $/, '');
    paragraphs.push({ start: paragraphStart, end: text.length });
    text += '\n\n';
  }
  while (countWords(text) < targetWords) text += `${pick(FILLER, random)} ${pick(FILLER, random)}\n\n`;
  return { text, quotes: planted, figures: plantedFigures, words: countWords(text), paragraphs };
}

function lowerFirst(s: string): string {
  return s && /^\p{Lu}\p{Ll}/u.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

/** Applies one realistic edit to a sentence quoted from a source. */
export function editQuote(sentence: string, edit: QuoteEdit, random: () => number): string {
  const words = sentence.replace(/[.!?]+$/, '').split(' ');
  const inner = () => 2 + Math.floor(random() * Math.max(1, words.length - 4));
  switch (edit) {
    case 'exact':
      return words.join(' ');
    case 'word-changed': {
      const i = inner();
      const others = words.filter((w, j) => j !== i && /^\p{Ll}{3,}$/u.test(w) && w !== words[i]);
      words[i] = others.length ? pick(others, random) : 'something';
      return words.join(' ');
    }
    case 'word-dropped':
      words.splice(inner(), 1);
      return words.join(' ');
    case 'word-added':
      words.splice(inner(), 0, pick(ADDED_WORDS, random));
      return words.join(' ');
    case 'elision': {
      const from = 3 + Math.floor(random() * 3);
      const length = 3 + Math.floor(random() * 3);
      if (words.length < from + length + 4) return words.join(' ');
      return [...words.slice(0, from), '...', ...words.slice(from + length)].join(' ');
    }
  }
}

/** Writes a source figure as kept, changed (a different value), rescaled (2,500,000 → 2.5 million) or spelled out. */
export function editFigure(figure: string, edit: FigureEdit, random: () => number): string {
  const value = Number(figure.replace(/,/g, ''));
  switch (edit) {
    case 'kept':
      return figure;
    case 'changed': {
      const changed = Number.isInteger(value) ? value + 1 + Math.floor(random() * Math.max(2, value * 0.3)) : Math.round(value * 1.3 * 10) / 10;
      return value >= 1000 ? changed.toLocaleString('en-US') : String(changed);
    }
    case 'scaled':
      if (value >= 1e9) return `${trim(value / 1e9)} billion`;
      if (value >= 1e6) return `${trim(value / 1e6)} million`;
      if (value >= 1e3) return `${trim(value / 1e3)} thousand`;
      return SPELLED[value] ?? figure;
    case 'spelled':
      return SPELLED[value] ?? figure;
  }
}

function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}
