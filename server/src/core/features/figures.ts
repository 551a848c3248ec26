/**
 * Figure checking: numbers in a draft against what the sources say about the
 * same thing. A draft figure is compared with source figures that count the
 * same kind of thing (the head: "troops" is "soldiers"), share words with it,
 * and are not about another place ("900 troops in Iraq" is never compared
 * with "900 soldiers in Syria"). It agrees when any such source figure allows
 * its value (qualifiers respected); it is contradicted only on strong
 * evidence, because a false alarm costs the writer more than a missed one.
 *
 * Figures inside a quotation that the quote check verified or flagged are left
 * to the quote check: a verified quotation's numbers are the speaker's words,
 * and a misquoted one already has its finding.
 */
import type { Cancellation, Finding, Source, SourceRef, Span } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import { within } from '../draft/parseDraft';
import type { CheckedItem } from './analysis';
import type { QuoteCheck } from './quotes';
import { FigureIndex, type SourceFigure } from '../index/figureIndex';
import { splitSentences } from '../sources/sentences';
import { readSentenceFigures, headVariants, sameHead, contentKeys, type Figure, type Qualifier } from '../figures/read';
import { valuesAgree } from '../figures/compare';
import { formatLike, fractionName } from '../figures/format';
import { sourceLink } from '../sourceLocation';
import { citationHoverSection } from './citations';

export type FigureVerdict = 'agrees' | 'contradicted' | 'unsourced';

/** A source figure that speaks about the same thing as a draft figure, agreeing or not. */
export interface FigureEvidence {
  sourceId: string;
  /** The source figure as written, with its counted thing: "approximately 2,500 American soldiers". */
  text: string;
  /** The figure's span in the source text (for bolding it in the sentence). */
  figure: Span;
  /** The sentence it stands in. */
  sentence: Span;
  value: number;
  qualifier: Qualifier;
  timeFrame?: string;
  agrees: boolean;
  /** How strongly it is about the same thing (shared words, weighted by nearness). */
  score: number;
  /** Surely about the same thing: strong enough to contradict the draft. */
  confident: boolean;
}

export interface FigureCheck extends CheckedItem {
  kind: 'figure';
  verdict: FigureVerdict;
  /** The figure as written in the draft, qualifier included ("about 2,500", "$30bn", "four"). */
  text: string;
  findings: Finding[];
  /** The draft this check belongs to (the hover's "Insert citation" link needs it). */
  draftId: string;
  value: number;
  unit: string;
  qualifier: Qualifier;
  /** What the figure counts, as written ("American soldiers"), when the draft says. */
  counts?: string;
  /** Every source figure about the same thing, best first; `support` holds the agreeing ones. */
  evidence: FigureEvidence[];
}

/** How many candidate source sentences the recogniser reads per draft figure. */
const CANDIDATE_SENTENCES = 16;
/** Once this many sentences have been read and … */
const ENOUGH_SENTENCES = 8;
/** … this many related source figures found, the rest of the candidates are left unread. */
const ENOUGH_EVIDENCE = 3;
/** Shared-word score from which a source figure is taken to be about the same thing. */
const RELATED = 1;
/** Score from which a disagreeing source figure is evidence enough for a warning. */
const CONTRADICTS = 1.5;
/** Evidence scoring below this share of the best is about something else. */
const NEARLY_AS_SURE = 0.7;
/** Evidence the hover lists: down to this share of the best. */
const LISTED = 0.5;

/**
 * Reads every figure in the prose of a draft and checks it against the
 * figure index. Headings, list markers, code, links and ignored paragraphs
 * are never read; figures inside checked quotations are left to the quote check.
 */
export function checkFigures(parsed: ParsedDraft, index: CorpusIndex, settings: Settings, token: Cancellation, quotes: QuoteCheck[], memory?: FigureMemory): FigureCheck[] {
  const figureIndex = index.part(FigureIndex);
  if (!figureIndex) return [];
  const text = parsed.draft.text;
  const quoted = quotes.filter((q) => q.verdict === 'verified' || q.verdict === 'mismatch');
  const checks: FigureCheck[] = [];
  for (const span of parsed.prose) {
    for (const sentence of splitSentences(text, [span])) {
      const read = () => readSentenceFigures(text, sentence);
      for (const figure of memory ? memory.figuresOf(text, sentence, read) : read()) {
        if (token.isCancellationRequested) return checks;
        if (within(parsed.structural, figure.start, figure.end) || within(parsed.ignored, figure.start, figure.end)) continue;
        if (quoted.some((q) => q.start <= figure.start && figure.end <= q.end)) continue;
        const run = () => checkOne(figure, parsed.draft.id, figureIndex, index, settings);
        checks.push(memory ? memory.check(figure, run) : run());
      }
    }
  }
  return checks;
}

/**
 * Lets the analysis of a draft keep, from one version to the next, the
 * figures read in sentences whose text did not change and their verdicts (a
 * figure's reading and verdict depend only on its sentence, the index and the settings).
 */
export interface FigureMemory {
  /** The figures of the `sentence` of `text`, in order: `read()`, or those remembered for the same words. */
  figuresOf(text: string, sentence: Span, read: () => Figure[]): Figure[];
  /** The check of a figure `figuresOf` returned: `run()`, or the one remembered for it. */
  check(figure: Figure, run: () => FigureCheck): FigureCheck;
}

function checkOne(figure: Figure, draftId: string, figureIndex: FigureIndex, index: CorpusIndex, settings: Settings): FigureCheck {
  const found = findEvidence(figure, figureIndex);
  const pool = comparable(figure, found);
  // What the hover lists: figures that agree, or that are surely about the same thing, nearly as related as the best.
  const best = found[0]?.score ?? 0;
  const listed = found.filter((e) => e.score >= best * LISTED && (e.agrees || e.strong));
  const evidence: FigureEvidence[] = listed.map(({ source: _source, strong, ...e }) => ({ ...e, confident: strong }));
  const base = {
    kind: 'figure' as const,
    start: figure.start,
    end: figure.end,
    text: figure.text,
    draftId,
    value: figure.value,
    unit: figure.unit,
    qualifier: figure.qualifier,
    counts: figure.headText,
    evidence,
  };
  if (pool.some((e) => e.agrees)) {
    return { ...base, verdict: 'agrees', support: listed.filter((e) => e.agrees).map(toRef), findings: [] };
  }
  const contradicting = pool.filter((e) => e.score >= CONTRADICTS && e.strong);
  if (contradicting.length > 0) {
    const top = contradicting[0].score;
    const shown = onePerSource(contradicting.filter((e) => e.score >= top * NEARLY_AS_SURE)).slice(0, 3);
    return { ...base, verdict: 'contradicted', support: [], findings: [mismatchFinding(figure, shown, index)] };
  }
  const findings: Finding[] = settings.figures.hintUnsourced
    ? [{ code: 'figure-unsourced', severity: 'hint', start: figure.start, end: figure.end, message: `No source gives this figure: ${figure.text}`, related: [], fixes: [] }]
    : [];
  return { ...base, verdict: 'unsourced', support: [], findings };
}

/**
 * The evidence a verdict rests on: when the draft states a time frame that
 * some sources share ("since October 17"), those sources; then the ones about
 * the same thing nearly as surely as the best (a figure about the wounded of
 * one strike is not judged by the count of a hospital elsewhere).
 */
function comparable(figure: Figure, evidence: InternalEvidence[]): InternalEvidence[] {
  const frame = normalizeFrame(figure.timeFrame);
  const sameFrame = frame ? evidence.filter((e) => normalizeFrame(e.timeFrame) === frame) : [];
  const pool = sameFrame.length > 0 ? sameFrame : evidence;
  const best = pool[0]?.score ?? 0;
  return pool.filter((e) => e.score >= best * NEARLY_AS_SURE);
}

function normalizeFrame(frame: string | undefined): string | undefined {
  return frame?.toLowerCase().replace(/\bthe\s+/g, '').replace(/[\s-]+/g, ' ').trim();
}

interface InternalEvidence extends Omit<FigureEvidence, 'confident'> {
  /** Counted thing known on both sides and no unmatched proper name near the draft's figure. */
  strong: boolean;
  source: Source;
  headText?: string;
}

/** The source figures about the same thing as `figure`, best first. */
function findEvidence(figure: Figure, figureIndex: FigureIndex): InternalEvidence[] {
  const required = figure.head ? headVariants(figure.head) : undefined;
  const ids = figureIndex.candidates(figure.context, required, CANDIDATE_SENTENCES);
  const out: InternalEvidence[] = [];
  for (const [rank, id] of ids.entries()) {
    // The best-ranked sentences usually hold the evidence; reading more costs the recogniser about a millisecond each.
    if (rank >= ENOUGH_SENTENCES && out.length >= ENOUGH_EVIDENCE) break;
    for (const sf of figureIndex.figuresOf(id)) {
      if (sf.unit !== figure.unit) continue;
      if (figure.head && sf.head && !sameHead(figure.head, sf.head)) continue;
      if (figure.places.length && sf.places.length && !figure.places.some((p) => sf.places.includes(p))) continue;
      const score = sharedScore(figure, sf);
      if (score < RELATED) continue;
      const headKnown = figure.unit === 'count' ? !!(figure.head && sf.head) : true;
      out.push({
        sourceId: sf.source.id,
        source: sf.source,
        text: sf.headText ? `${sf.text} ${sf.headText}` : sf.text,
        headText: sf.headText,
        figure: { start: sf.start, end: sf.end },
        sentence: { start: sf.sentence.start, end: sf.sentence.end },
        value: sf.value,
        qualifier: sf.qualifier,
        timeFrame: sf.timeFrame,
        agrees: valuesAgree(figure, sf),
        score,
        strong:
          headKnown &&
          sharedScore(figure, sf, false) >= RELATED &&
          namesCovered(figure, sf) &&
          framesAllow(figure, sf) &&
          plausibleSlip(figure.value, sf.value) &&
          // A share the fix could not write in words ("a third") is left alone.
          (sf.unit !== 'fraction' || fractionName(sf.value) !== undefined),
      });
    }
  }
  return out.sort((a, b) => b.score - a.score || Number(b.agrees) - Number(a.agrees));
}

/** Shared context words, each counted at the nearer of its two distances, plus shared places; `withHead` false leaves out the counted thing itself. */
function sharedScore(draft: Figure, source: SourceFigure, withHead = true): number {
  let score = 0;
  for (const [word, weight] of draft.context) {
    if (!withHead && draft.head && word === draft.head) continue;
    const other = source.context.get(word);
    if (other !== undefined) score += Math.min(weight, other);
  }
  for (const place of draft.places) if (source.places.includes(place)) score += 0.5;
  // The same words for the counted thing ("other people", "militia bases") say it is the same count.
  if (withHead && draft.headText && source.headText && draft.headText.toLowerCase() === source.headText.toLowerCase()) score += 0.5;
  return score;
}

/**
 * True when every proper name right next to the draft's figure (and every
 * place it is about) also stands in the source's sentence or title, and every
 * name right next to the source's figure stands in the draft's: "Spain has
 * 300 troops" is not contradicted by "the United States has 2,500 troops".
 */
function namesCovered(draft: Figure, source: SourceFigure): boolean {
  const around = wordsAround(source);
  for (const name of draft.names) if (!source.context.has(name) && !source.names.includes(name) && !around.has(name)) return false;
  for (const place of draft.places) if (!source.places.includes(place) && !source.context.has(place) && !around.has(place)) return false;
  // And the other way: "2,500 American soldiers" says nothing of "the Spanish contingent's 300 troops".
  for (const name of source.names) if (!draft.context.has(name) && !draft.names.includes(name)) return false;
  return true;
}

const aroundCache = new WeakMap<SourceFigure, Set<string>>();

/** The words of a source figure's sentence and its source's title (cached: the index keeps its figures). */
function wordsAround(figure: SourceFigure): Set<string> {
  let set = aroundCache.get(figure);
  if (!set) {
    // Keyed as figures key their context ("United States" → us), so a draft's "US" finds the source's "United States".
    set = new Set<string>();
    const add = (text: string) => contentKeys(text, 0, text.length, (key) => set!.add(key));
    add(figure.source.text.slice(figure.sentence.start, figure.sentence.end));
    add(figure.source.meta.title ?? '');
    aroundCache.set(figure, set);
  }
  return set;
}

/** A draft figure dated "in 2014" is only contradicted by a source figure of the same stated time. */
function framesAllow(draft: Figure, source: SourceFigure): boolean {
  return !draft.timeFrame || normalizeFrame(draft.timeFrame) === normalizeFrame(source.timeFrame);
}

/**
 * Whether a writer could plausibly have meant the source's figure: within a
 * factor of ten, or the same digits at another scale ($88 million for $88
 * billion). "3 soldiers" injured is no slip for "170,000 soldiers" at a peak:
 * such pairs are about different things, so they raise nothing.
 */
function plausibleSlip(draft: number, source: number): boolean {
  if (draft <= 0 || source <= 0) return false;
  const ratio = Math.max(draft, source) / Math.min(draft, source);
  if (ratio <= 10) return true;
  const k = Math.round(Math.log10(ratio));
  return Math.abs(ratio / 10 ** k - 1) < 1e-9;
}

function onePerSource<T extends { sourceId: string }>(evidence: T[]): T[] {
  const seen = new Set<string>();
  return evidence.filter((e) => !seen.has(e.sourceId) && seen.add(e.sourceId));
}

function toRef(e: Pick<FigureEvidence, 'sourceId' | 'sentence' | 'text'>): SourceRef {
  return { sourceId: e.sourceId, start: e.sentence.start, end: e.sentence.end, message: e.text };
}

/** "Xinhua, 2023-12-29", or the citation key when the outlet is unknown (the key already carries what is known). */
function sourceLabel(source: Source): string {
  return source.meta.outlet ? [source.meta.outlet, source.meta.date].filter(Boolean).join(', ') : source.key;
}

function mismatchFinding(figure: Figure, shown: InternalEvidence[], index: CorpusIndex): Finding {
  const said = shown.map((e) => `${e.text} (${sourceLabel(e.source)}${e.timeFrame ? `, ${e.timeFrame}` : ''})`);
  const best = shown[0];
  const newText = formatLike(figure, best);
  const from = best.source.meta.outlet ?? best.source.key;
  return {
    code: 'figure-mismatch',
    severity: 'warning',
    start: figure.start,
    end: figure.end,
    message: `Sources say ${joinAnd(said)}; the draft says ${figure.text}`,
    related: shown.map((e) => ({ sourceId: e.sourceId, start: e.sentence.start, end: e.sentence.end, message: `${e.text} (${sourceLabel(index.get(e.sourceId) ?? e.source)})` })),
    fixes: [{ title: `Replace with ${newText} (from ${from})`, edits: [{ start: figure.start, end: figure.end, newText }], preferred: true }],
  };
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const VERDICT_LINES: Record<FigureVerdict, (n: number) => string> = {
  agrees: (n) => `**Figure agrees with ${n === 1 ? 'a source' : `${n} sources`}**`,
  contradicted: () => '**Figure contradicted by the sources**',
  unsourced: () => '**No source gives this figure**',
};

/**
 * Markdown for the hover on a figure: the verdict, each source sentence with
 * the figure in bold, its outlet, date and citation key, a link to the
 * passage, the values sources give when they differ, and the citation section.
 */
export function figureHover(check: FigureCheck, index: CorpusIndex, settings: Settings): string {
  const sources = new Set(check.support.map((r) => r.sourceId));
  const parts: string[] = [VERDICT_LINES[check.verdict](sources.size)];
  const shown = check.evidence.filter((e) => (check.verdict === 'agrees' ? e.agrees : e.confident));
  for (const e of onePerSource(shown).slice(0, 4)) {
    const source = index.get(e.sourceId);
    if (!source) continue;
    parts.push(`> ${sentenceWithBold(source.text, e)}`);
    const where = [source.meta.outlet, source.meta.date, `\`${source.key}\``].filter(Boolean).join(', ');
    parts.push(`${where} · [open passage](${sourceLink(source, e.figure.start)})`);
  }
  const values = new Map<string, string>();
  for (const e of check.evidence) {
    const source = index.get(e.sourceId);
    const label = `${e.text} (${source ? sourceLabel(source) : e.sourceId}${e.timeFrame ? `, ${e.timeFrame}` : ''})`;
    if (!values.has(label)) values.set(label, label);
  }
  const distinct = new Set(check.evidence.map((e) => `${e.value}/${e.qualifier}`));
  if (distinct.size > 1) parts.push(`Sources differ:\n${[...values.values()].map((v) => `- ${v}`).join('\n')}`);
  const citation = citationHoverSection(check.support, check.draftId, check.end, index, settings);
  if (citation) parts.push(citation);
  return parts.join('\n\n');
}

/** The source sentence with the figure in bold, shortened around it when long. */
function sentenceWithBold(text: string, e: FigureEvidence): string {
  const from = Math.max(e.sentence.start, e.figure.start - 160);
  const to = Math.min(e.sentence.end, e.figure.end + 160);
  const clean = (s: string) => s.replace(/\s+/g, ' ').replace(/([*_`\[\]<>])/g, '\\$1');
  return `${from > e.sentence.start ? '… ' : ''}${clean(text.slice(from, e.figure.start))}**${clean(text.slice(e.figure.start, e.figure.end))}**${clean(text.slice(e.figure.end, to))}${to < e.sentence.end ? ' …' : ''}`;
}
