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
import { tokenize } from '../text';
import { NUMBERISH } from '../figures/recognize';
import { canonical, isContentWord, readSentenceFigures, type Figure } from '../figures/read';

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
    for (const sentence of source.sentences) {
      const text = source.text.slice(sentence.start, sentence.end);
      if (!NUMBERISH.test(text)) continue;
      const id = this.nextId++;
      this.sentences.set(id, { source, sentence });
      ids.push(id);
      const seen = new Set<string>();
      const tokens = tokenize(text);
      for (let t = 0; t < tokens.length; t++) {
        if (!isContentWord(tokens, t)) continue;
        const key = canonical(tokens, t);
        if (seen.has(key)) continue;
        seen.add(key);
        let list = this.postings.get(key);
        if (!list) this.postings.set(key, (list = []));
        list.push(id);
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
    const scores = new Map<number, number>();
    const allowed = required ? new Set(required.flatMap((w) => this.postings.get(w) ?? [])) : undefined;
    for (const [word, weight] of words) {
      const list = this.postings.get(word);
      if (!list) continue;
      const rarity = 1 / Math.log2(2 + list.length);
      for (const id of list) {
        if (allowed && !allowed.has(id)) continue;
        scores.set(id, (scores.get(id) ?? 0) + weight * rarity);
      }
    }
    if (allowed) for (const id of allowed) if (!scores.has(id)) scores.set(id, 0);
    return [...scores.entries()]
      .filter(([id]) => this.sentences.has(id))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([id]) => id);
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
