/**
 * The figure index: which source sentences hold a number, keyed by their
 * content words. Building it is a cheap scan (a regular expression for digits
 * and number words, then the sentence's words into postings lists); the number
 * recogniser, which costs about a millisecond per kilobyte, runs only at query
 * time on the few candidate sentences that share words with a draft figure,
 * and its results are cached per sentence.
 */
import type { Sentence, Source } from '../types';
import type { IndexPart } from './corpusIndex';
import { NUMBERISH } from '../figures/recognize';
import { contentKeys, readSentenceFigures, type Figure } from '../figures/read';

/** A source sentence that holds at least one number. */
export interface FigureSentence {
  source: Source;
  sentence: Sentence;
}

/** A figure read from a source sentence. */
export interface SourceFigure extends Figure {
  source: Source;
  sentence: Sentence;
}

/** Postings longer than this share of the indexed sentences are too common to rank by… */
const COMMON_SHARE = 0.005;
/** …but never below this many (a small corpus has no common words). */
const COMMON_FLOOR = 200;

/** How far either side of a number its sentence's words are indexed (characters; the words that describe a figure stand near it). */
const REACH = 60;
const NUMBERISH_ALL = new RegExp(NUMBERISH.source, 'gi');
const DIGIT = /\d/;
const NUMBER_WORD = new RegExp(NUMBERISH.source.replace(/^\\d\|/, ''), 'i');

/** The stretches of `text[start, end)` within reach of a number, merged; none when the sentence has no number. */
function numberWindows(text: string, start: number, end: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  // On the sentence alone: a search from an offset into the whole text would run on past the sentence's end.
  const sentence = text.slice(start, end);
  // Two plain tests first: most sentences have no number, and one combined pattern is slow to fail.
  if (!DIGIT.test(sentence) && !NUMBER_WORD.test(sentence)) return out;
  NUMBERISH_ALL.lastIndex = 0;
  for (let m = NUMBERISH_ALL.exec(sentence); m; m = NUMBERISH_ALL.exec(sentence)) {
    let from = Math.max(0, m.index - REACH);
    let to = Math.min(sentence.length, m.index + m[0].length + REACH);
    // Whole words only.
    while (from > 0 && /\S/.test(sentence[from - 1])) from--;
    while (to < sentence.length && /\S/.test(sentence[to])) to++;
    const last = out[out.length - 1];
    if (last && start + from <= last.end) last.end = start + to;
    else out.push({ start: start + from, end: start + to });
    NUMBERISH_ALL.lastIndex = Math.max(NUMBERISH_ALL.lastIndex, to);
  }
  return out;
}

export class FigureIndex implements IndexPart {
  private readonly sentences = new Map<number, FigureSentence>();
  private readonly bySource = new Map<string, number[]>();
  private readonly postings = new Map<string, number[]>();
  private readonly figures = new Map<number, SourceFigure[]>();
  private nextId = 0;
  private stale = 0;
  private live = 0;

  add(source: Source): void {
    const ids: number[] = [];
    const text = source.text;
    for (const sentence of source.sentences) {
      const spans = numberWindows(text, sentence.start, sentence.end);
      if (spans.length === 0) continue;
      const id = this.nextId++;
      this.sentences.set(id, { source, sentence });
      ids.push(id);
      for (const span of spans) {
        contentKeys(text, span.start, span.end, (key) => {
          let list = this.postings.get(key);
          if (!list) this.postings.set(key, (list = []));
          // Ids only grow, so a word met twice in one sentence is the list's last entry.
          if (list[list.length - 1] !== id) list.push(id);
        });
      }
    }
    this.bySource.set(source.id, ids);
    this.live += ids.length;
  }

  remove(source: Source): void {
    const ids = this.bySource.get(source.id);
    if (!ids) return;
    for (const id of ids) {
      this.sentences.delete(id);
      this.figures.delete(id);
    }
    this.bySource.delete(source.id);
    this.live -= ids.length;
    this.stale += ids.length;
    // Postings keep removed ids until they outnumber live ones; lookups skip them meanwhile.
    if (this.stale > Math.max(1000, this.live)) this.compact();
  }

  /** How many source sentences hold a number (for status and tests). */
  get size(): number {
    return this.live;
  }

  /**
   * Source sentences sharing the most words with `words`, best first. When
   * `required` is given, a sentence must contain one of those words (the
   * counted thing, "soldier" or "troop"). Rare words weigh more than common ones.
   */
  candidates(words: Map<string, number>, required: string[] | undefined, limit: number): number[] {
    const allowed = required ? this.union(required) : undefined;
    if (allowed && allowed.size === 0) return [];
    // Words in more than a few percent of the sentences say little and cost much: they are left out of the ranking.
    const common = Math.max(COMMON_FLOOR, this.live * COMMON_SHARE);
    const scores = new Map<number, number>();
    for (const [word, weight] of words) {
      const list = this.postings.get(word);
      if (!list || list.length > common) continue;
      const rarity = 1 / Math.log2(2 + list.length);
      for (const id of list) {
        if (allowed && !allowed.has(id)) continue;
        scores.set(id, (scores.get(id) ?? 0) + weight * rarity);
      }
    }
    const ranked = [...scores.entries()].filter(([id]) => this.sentences.has(id));
    ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const out = ranked.slice(0, limit).map(([id]) => id);
    // Too few sentences share a word: fill up with sentences that at least count the same thing.
    if (allowed && out.length < limit && allowed.size <= common) {
      for (const id of allowed) {
        if (out.length >= limit) break;
        if (!scores.has(id) && this.sentences.has(id)) out.push(id);
      }
    }
    return out;
  }

  private union(keys: string[]): Set<number> {
    const set = new Set<number>();
    for (const key of keys) for (const id of this.postings.get(key) ?? []) set.add(id);
    return set;
  }

  /** The figures of one indexed sentence, read on first use and cached. */
  figuresOf(id: number): SourceFigure[] {
    const cached = this.figures.get(id);
    if (cached) return cached;
    const entry = this.sentences.get(id);
    if (!entry) return [];
    const read = readSentenceFigures(entry.source.text, entry.sentence).map((f) => ({ ...f, source: entry.source, sentence: entry.sentence }));
    this.figures.set(id, read);
    return read;
  }

  private compact(): void {
    for (const [word, list] of this.postings) {
      const kept = list.filter((id) => this.sentences.has(id));
      if (kept.length) this.postings.set(word, kept);
      else this.postings.delete(word);
    }
    this.stale = 0;
  }
}
