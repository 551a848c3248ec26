/**
 * One pass over a draft: every quotation, figure and citation key with its
 * verdict and evidence. Diagnostics, hovers, code actions, definitions and the
 * HTML report all read this one result, so they can never disagree.
 */
import type { Cancellation, Finding, Logger, Span, SourceRef } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import { DraftParseMemory, within } from '../draft/parseDraft';
import type { Figure } from '../figures/read';
import { checkQuotes, type QuoteCheck, type QuoteMemory } from './quotes';
import { checkFigures, type FigureCheck, type FigureMemory } from './figures';
import { checkCitationKeys, type CitationCheck, type CitationMemory } from './citations';

export interface DraftAnalysis {
  parsed: ParsedDraft;
  quotes: QuoteCheck[];
  figures: FigureCheck[];
  citations: CitationCheck[];
  /** Findings at their natural severity, before user overrides. */
  findings: Finding[];
}

/** Something in the draft that has a verdict and evidence: a quotation or a figure. */
export interface CheckedItem extends Span {
  /** The sources that support it, best first (empty when none). */
  support: SourceRef[];
}

/**
 * Checks every quotation, figure and citation key of a parsed draft. With
 * `memory` (the one kept for this draft), items whose words and context did
 * not change since the last analysis keep their verdicts, moved to where they
 * now stand; the result is the same as without it.
 */
export function analyzeDraft(parsed: ParsedDraft, index: CorpusIndex, settings: Settings, token: Cancellation, logger: Logger, memory?: AnalysisMemory): DraftAnalysis {
  memory?.begin(parsed.draft.id, index.generation, settings);
  const guard = <T>(what: string, run: () => T[]): T[] => {
    try {
      return run();
    } catch (e) {
      // Findings, not exceptions: one broken analysis must not take the others down.
      logger.error(`${what} failed on ${parsed.draft.id}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return [];
    }
  };
  const quotes = guard('quote check', () => checkQuotes(parsed, index, settings, token, memory?.quotes));
  const figures = token.isCancellationRequested ? [] : guard('figure check', () => checkFigures(parsed, index, settings, token, quotes, memory?.figures));
  const citations = token.isCancellationRequested ? [] : guard('citation check', () => checkCitationKeys(parsed, index, memory?.citations));
  memory?.end(!token.isCancellationRequested);
  const findings = [...quotes, ...figures, ...citations]
    .flatMap((item) => item.findings)
    .filter((f) => !within(parsed.ignored, f.start, f.end));
  return { parsed, quotes, figures, citations, findings };
}

/** A remembered value and the draft offset its item stood at. */
interface Remembered<T> {
  at: number;
  value: T;
}

/**
 * What the analysis of one draft keeps for the next version of it: the parse
 * of each top-level Markdown block, and the verdict of each quotation, sentence's
 * figures and citation key, keyed by everything the verdict depends on
 * (the words as written; the index generation, the settings and the draft are
 * the same for all, and a change to any of them forgets everything). Only the
 * items of the last analysis are kept, so it never grows past one draft.
 */
export class AnalysisMemory {
  /** The parse of the draft's blocks (kept across index and settings changes: it depends on the text alone). */
  readonly parse = new DraftParseMemory();
  private context: { draftId: string; generation: number; settings: Settings } | undefined;
  private previous = new Map<string, Remembered<unknown>>();
  private current = new Map<string, Remembered<unknown>>();
  /** The key of each figure handed out by `figures.figuresOf` in this analysis. */
  private readonly figureKeys = new Map<Figure, string>();

  readonly quotes: QuoteMemory = {
    check: (text, q, run) =>
      this.recall(`q${q.block ? 1 : 0}:${q.innerStart - q.start}:${q.innerEnd - q.start}:${text.slice(q.start, q.end)}`, q.start, run, shiftQuote),
  };

  readonly figures: FigureMemory = {
    figuresOf: (text, sentence, read) => {
      const words = text.slice(sentence.start, sentence.end);
      const figures = this.recall(`s${words}`, sentence.start, read, (list, by) =>
        list.map((f) => ({ ...f, start: f.start + by, end: f.end + by, numberStart: f.numberStart + by })),
      );
      figures.forEach((figure, i) => this.figureKeys.set(figure, `f${i}:${words}`));
      return figures;
    },
    check: (figure, run) => {
      const key = this.figureKeys.get(figure);
      return key === undefined ? run() : this.recall(key, figure.start, run, shiftFigureCheck);
    },
  };

  readonly citations: CitationMemory = {
    check: (citation, run) => this.recall(`c${citation.key}`, citation.start, run, shiftCitation),
  };

  /** Starts an analysis: forgets every verdict when the draft, index generation or settings differ from the last one. */
  begin(draftId: string, generation: number, settings: Settings): void {
    const last = this.context;
    if (!last || last.draftId !== draftId || last.generation !== generation || last.settings !== settings) {
      this.previous.clear();
      this.context = { draftId, generation, settings };
    }
    this.current = new Map();
    this.figureKeys.clear();
  }

  /** Ends an analysis: what a complete one used is what the next may reuse; a cancelled one only adds to what was kept. */
  end(complete: boolean): void {
    if (complete) this.previous = this.current;
    else for (const [key, value] of this.current) this.previous.set(key, value);
    this.current = new Map();
    this.figureKeys.clear();
  }

  /** The value remembered under `key` moved from where it stood to `at`, else `run()`'s; kept for the next analysis either way. */
  private recall<T>(key: string, at: number, run: () => T, shift: (value: T, by: number) => T): T {
    const known = (this.current.get(key) ?? this.previous.get(key)) as Remembered<T> | undefined;
    if (known) {
      if (!this.current.has(key)) this.current.set(key, known);
      return known.at === at ? known.value : shift(known.value, at - known.at);
    }
    const value = run();
    this.current.set(key, { at, value });
    return value;
  }
}

function shiftSpan<T extends Span>(span: T, by: number): T {
  return { ...span, start: span.start + by, end: span.end + by };
}

/** Findings moved by `by`, with their fixes (sources' offsets in `related` stay). */
function shiftFindings(findings: Finding[], by: number): Finding[] {
  return findings.map((f) => ({ ...shiftSpan(f, by), fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => shiftSpan(e, by)) })) }));
}

function shiftQuote(check: QuoteCheck | undefined, by: number): QuoteCheck | undefined {
  return check && { ...shiftSpan(check, by), innerStart: check.innerStart + by, innerEnd: check.innerEnd + by, findings: shiftFindings(check.findings, by) };
}

function shiftFigureCheck(check: FigureCheck, by: number): FigureCheck {
  return { ...shiftSpan(check, by), findings: shiftFindings(check.findings, by) };
}

function shiftCitation(check: CitationCheck, by: number): CitationCheck {
  return { ...shiftSpan(check, by), findings: shiftFindings(check.findings, by) };
}
