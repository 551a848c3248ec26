/**
 * Quotation checking: finds the quotations of a draft and matches each against
 * the whole text of every source (through the passage index), then says
 * whether the words are a source's word for word (verified), nearly
 * (mismatch, with the source's wording as a fix), nowhere (unsourced), or the
 * reporter's narration rather than anyone's quoted words (paraphrase).
 */
import type { Cancellation, Finding, Fix, Severity, Source, SourceRef, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import type { CheckedItem } from './analysis';
import { findQuotations, type DraftQuotation } from '../draft/quotations';
import { readPattern, wordCount, type PatternElement } from '../match/pattern';
import { PassageIndex, type PassageMatch, type PassageSearch } from '../index/passages';
import { renderWordDiff, sameWords, type Word } from '../match/wordDiff';
import { normalizeWord } from '../text';
import { sourceLink } from '../sourceLocation';
import { citationHoverSection } from './citations';

export type QuoteVerdict = 'verified' | 'mismatch' | 'unsourced' | 'paraphrase';

/** One source passage a quotation was matched with. */
export interface QuoteEvidence {
  sourceId: string;
  /** Offsets into the source's text of the matched words. */
  start: number;
  end: number;
  /** Words changed, added or dropped against this passage (0: word for word). */
  edits: number;
  /** The passage lies inside the source's own quotation marks, or the source is a transcript. */
  spoken: boolean;
  /** Who the source says spoke the words, when it says so. */
  speaker?: string;
  /** The source's wording of the passage, on one line. */
  wording: string;
}

export interface QuoteCheck extends CheckedItem {
  kind: 'quote';
  verdict: QuoteVerdict;
  /** The quoted words, without their marks. */
  text: string;
  /** Offsets of the quoted words (the span `start`/`end` includes the marks). */
  innerStart: number;
  innerEnd: number;
  /** A Markdown block quote rather than words between marks. */
  block: boolean;
  /** The draft this check belongs to (hover links that insert a citation need it). */
  draftId: string;
  /** Every passage matched, best first: word-for-word ones before near ones. */
  evidence: QuoteEvidence[];
  findings: Finding[];
}

/** Quotations longer than this are not checked. */
export const MAX_QUOTE_WORDS = 400;

/** Quotations of at most this many words are "short" (often scare quotes): never near-matched, never a warning. */
const SHORT_QUOTE_WORDS = 2;

/** The passage search of an index, registered on first use when the host did not (tests with a bare index). */
export function passageSearch(index: CorpusIndex): PassageSearch {
  return index.part(PassageIndex) ?? index.addPart(new PassageIndex());
}

/** Edits a quotation of `words` words may differ by and still be "near" a passage. */
export function nearBudget(words: number): number {
  if (words <= SHORT_QUOTE_WORDS) return 0;
  if (words <= 5) return 1;
  return Math.ceil(words * 0.35);
}

/** Checks every quotation of a draft; stops between quotations when `token` is cancelled. */
export function checkQuotes(parsed: ParsedDraft, index: CorpusIndex, settings: Settings, token: Cancellation, memory?: QuoteMemory): QuoteCheck[] {
  const search = passageSearch(index);
  const checks: QuoteCheck[] = [];
  for (const quotation of findQuotations(parsed)) {
    if (token.isCancellationRequested) break;
    const run = () => checkQuotation(parsed, quotation, search, index, settings);
    const check = memory ? memory.check(parsed.draft.text, quotation, run) : run();
    if (check) checks.push(check);
  }
  return checks;
}

/**
 * Lets the analysis of a draft keep the checks of quotations that did not
 * change from one version to the next (a check depends only on the quotation
 * as written, the index and the settings).
 */
export interface QuoteMemory {
  /** The check of `quotation` in `text`: `run()`, or the one remembered for the same quotation. */
  check(text: string, quotation: DraftQuotation, run: () => QuoteCheck | undefined): QuoteCheck | undefined;
}

function checkQuotation(parsed: ParsedDraft, quotation: DraftQuotation, search: PassageSearch, index: CorpusIndex, settings: Settings): QuoteCheck | undefined {
  const text = parsed.draft.text;
  const pattern = readPattern(text, quotation.innerStart, quotation.innerEnd);
  const words = wordCount(pattern);
  // Longer than any quotation a source could carry in one passage (a pasted page): not checked, rather than aligned at great cost.
  if (words === 0 || pattern.length > MAX_QUOTE_WORDS) return undefined;
  const budget = nearBudget(words);
  const matches = remembered(index, quotation.text, () =>
    search
      .find(pattern, budget, 12)
      // Near means most of the quotation's words are there as they stand.
      .filter((m) => m.alignment.cost === 0 || m.alignment.same >= Math.ceil(words * 0.6)),
  ).slice();
  // Among passages equally close, the speaker's words come before the reporter's narration.
  const described = matches.map((m) => ({ match: m, evidence: describe(m) }));
  described.sort((a, b) => a.evidence.edits - b.evidence.edits || Number(b.evidence.spoken) - Number(a.evidence.spoken));
  matches.splice(0, matches.length, ...described.map((d) => d.match));
  const evidence = described.map((d) => d.evidence);
  const exact = evidence.filter((e) => e.edits === 0);
  const near = evidence.filter((e) => e.edits > 0);
  const base = {
    kind: 'quote' as const,
    start: quotation.start,
    end: quotation.end,
    text: quotation.text,
    innerStart: quotation.innerStart,
    innerEnd: quotation.innerEnd,
    block: quotation.block,
    draftId: parsed.draft.id,
  };
  const ref = (e: QuoteEvidence, message?: string): SourceRef => ({ sourceId: e.sourceId, start: e.start, end: e.end, message });
  const name = (sourceId: string) => sourceName(index.get(sourceId));

  if (exact.length > 0) {
    // Spoken words first: they are what a quotation claims to be.
    const ordered = [...exact.filter((e) => e.spoken), ...exact.filter((e) => !e.spoken)];
    const verified = ordered[0].spoken || words <= SHORT_QUOTE_WORDS;
    const evidenceOrdered = [...ordered, ...near];
    if (verified) return { ...base, verdict: 'verified', support: ordered.map((e) => ref(e)), evidence: evidenceOrdered, findings: [] };
    const first = ordered[0];
    const finding: Finding = {
      code: 'quote-paraphrase',
      severity: 'information',
      start: quotation.start,
      end: quotation.end,
      message: `These words are ${name(first.sourceId)}'s own narration, not a quotation of anyone: quoting them presents a paraphrase as someone's words.`,
      related: ordered.map((e) => ref(e, `the words in ${name(e.sourceId)}, outside quotation marks`)),
      fixes: [],
    };
    return { ...base, verdict: 'paraphrase', support: ordered.map((e) => ref(e)), evidence: evidenceOrdered, findings: [finding] };
  }

  if (matches.length > 0) {
    const best = matches[0];
    const source = best.source;
    const outlet = sourceName(source);
    const runs = wordRuns(pattern);
    const diffs: string[] = [];
    const edits: TextEdit[] = [];
    for (const run of runs) {
      const draftWords: Word[] = run.map((e) => ({ text: text.slice(e.start, e.end), norm: e.kind === 'word' ? e.norm : '' }));
      const covered = run.map((e) => best.alignment.elements[pattern.indexOf(e)]).filter((s) => s && s.to > s.from);
      if (covered.length === 0) continue;
      const from = Math.min(...covered.map((s) => s.from));
      const to = Math.max(...covered.map((s) => s.to));
      const sourceWords: Word[] = [];
      for (let i = from; i < to; i++) {
        const w = source.text.slice(best.wordStart(i), best.wordEnd(i));
        sourceWords.push({ text: w, norm: normalizeWord(w) });
      }
      diffs.push(renderWordDiff(draftWords, sourceWords));
      if (!sameWords(draftWords, sourceWords)) {
        edits.push({ start: run[0].start, end: run[run.length - 1].end, newText: oneLine(source.text.slice(best.wordStart(from), best.wordEnd(to - 1))) });
      }
    }
    const fixes: Fix[] = edits.length ? [{ title: `Replace with the wording from ${outlet}`, edits, preferred: true }] : [];
    const finding: Finding = {
      code: 'quote-mismatch',
      severity: 'warning',
      start: quotation.start,
      end: quotation.end,
      message: `Not the wording of ${outlet}: “${diffs.join(' … ')}” ([-…-] only in the draft, {+…+} only in ${outlet})`,
      related: near.map((e) => ref(e, `${name(e.sourceId)}: “${e.wording}”`)),
      fixes,
    };
    return { ...base, verdict: 'mismatch', support: near.map((e) => ref(e)), evidence, findings: [finding] };
  }

  const findings: Finding[] = [];
  const short = words <= SHORT_QUOTE_WORDS;
  // With no sources indexed yet (or none at all) "no source has these words" says nothing: the status bar says why.
  if (index.size > 0 && (!short || settings.quotes.shortQuotes !== 'off')) {
    const severity: Severity = short ? 'information' : 'warning';
    findings.push({
      code: 'quote-unsourced',
      severity,
      start: quotation.start,
      end: quotation.end,
      message: short
        ? `No source has these words: a scare quote, or a quotation to source.`
        : `No source has these words, nor anything close to them.`,
      related: [],
      fixes: [],
    });
  }
  return { ...base, verdict: 'unsourced', support: [], evidence: [], findings };
}

/**
 * Matches by quotation text, for the current index generation: while a writer types in one paragraph, the
 * quotations of all the others are looked up again with each check, and their answers cannot have changed.
 * (Matches hold source positions and pattern element indices, never draft offsets, so the same words anywhere
 * in any draft share them.)
 */
const matchMemory = new WeakMap<CorpusIndex, { generation: number; byText: Map<string, PassageMatch[]> }>();
const MATCH_MEMORY_SIZE = 4000;

function remembered(index: CorpusIndex, text: string, find: () => PassageMatch[]): PassageMatch[] {
  let memory = matchMemory.get(index);
  if (!memory || memory.generation !== index.generation) {
    memory = { generation: index.generation, byText: new Map() };
    matchMemory.set(index, memory);
  }
  let matches = memory.byText.get(text);
  if (!matches) {
    matches = find();
    if (memory.byText.size >= MATCH_MEMORY_SIZE) memory.byText.delete(memory.byText.keys().next().value as string);
    memory.byText.set(text, matches);
  }
  return matches;
}

/** Maximal runs of plain words between the gaps and stand-ins of a pattern. */
function wordRuns(pattern: PatternElement[]): PatternElement[][] {
  const runs: PatternElement[][] = [];
  let current: PatternElement[] = [];
  for (const e of pattern) {
    if (e.kind === 'word') current.push(e);
    else {
      if (current.length) runs.push(current);
      current = [];
    }
  }
  if (current.length) runs.push(current);
  return runs;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** What a message calls a source: its outlet, else its citation key. */
export function sourceName(source: Source | undefined): string {
  return source?.meta.outlet ?? source?.key ?? 'an unknown source';
}

/** True when the source has no quotation marks at all or says it is a transcript: every word is the speaker's. */
function isTranscript(source: Source): boolean {
  return source.meta.type === 'transcript' || source.quotes.length === 0;
}

function describe(match: PassageMatch): QuoteEvidence {
  const { source, alignment } = match;
  let inside = 0;
  let total = 0;
  let speaker: string | undefined;
  const transcript = isTranscript(source);
  if (!transcript) {
    // Only the words the quotation itself says count: words a bracketed stand-in covers are the writer's.
    for (const element of alignment.elements) {
      if (!element || element.to - element.from !== 1 || !element.same) continue;
      total++;
      const at = match.wordStart(element.from);
      const quote = source.quotes.find((q) => q.start <= at && at < q.end);
      if (quote) {
        inside++;
        speaker ??= quote.speaker;
      }
    }
  }
  // A quotation may run a word past the source's marks ("…," he said); most of it must lie inside them.
  const spoken = transcript || (total > 0 && inside >= total - Math.floor(total * 0.1));
  if (transcript) speaker = source.meta.speaker ?? source.meta.author;
  return {
    sourceId: source.id,
    start: match.start,
    end: match.end,
    edits: alignment.cost,
    spoken,
    speaker,
    wording: oneLine(source.text.slice(match.start, match.end)),
  };
}

const MD_SPECIAL = /[\\`*_[\]<>#|~]/g;
function escapeMarkdown(text: string): string {
  return oneLine(text).replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** The source sentence(s) around a passage, with the passage in bold. */
function sentenceWithPassage(source: Source, start: number, end: number): string {
  const sentences = source.sentences.filter((s) => s.end > start && s.start < end);
  const from = sentences.length ? Math.min(sentences[0].start, start) : start;
  const to = sentences.length ? Math.max(sentences[sentences.length - 1].end, end) : end;
  return `${escapeMarkdown(source.text.slice(from, start))}**${escapeMarkdown(source.text.slice(start, end))}**${escapeMarkdown(source.text.slice(end, to))}`;
}

const VERDICT_TITLES: Record<QuoteVerdict, string> = {
  verified: '✓ Quotation verified',
  mismatch: '⚠ Quotation differs from the source',
  unsourced: '⚠ Quotation not found in the sources',
  paraphrase: 'ℹ The source has these words as narration, not as a quotation',
};

/** Markdown for the hover on a quotation: verdict, the sources carrying it, speaker, other wordings, citation, link. */
export function quoteHover(check: QuoteCheck, index: CorpusIndex, settings: Settings): string {
  const sections: string[] = [`**${VERDICT_TITLES[check.verdict]}**`];
  const primary = check.evidence.filter((e) => (check.verdict === 'mismatch' ? e === check.evidence[0] : e.edits === 0));
  for (const e of primary) {
    const source = index.get(e.sourceId);
    if (!source) continue;
    const m = source.meta;
    const head = [m.outlet ? `**${escapeMarkdown(m.outlet)}**` : undefined, m.date, m.title ? `*${escapeMarkdown(m.title)}*` : undefined, `\`${source.key}\``]
      .filter(Boolean)
      .join(' · ');
    const lines = [head];
    if (e.speaker) lines.push(`Said by ${escapeMarkdown(e.speaker)}${e.spoken ? '' : ''}`);
    else if (!e.spoken) lines.push('In the reporter’s narration, not in quotation marks');
    lines.push(`> ${sentenceWithPassage(source, e.start, e.end)}`);
    lines.push(`[Open the source at the passage](${sourceLink(source, e.start)})`);
    sections.push(lines.join('\n\n'));
  }
  const others = check.evidence.filter((e) => !primary.includes(e) && e.edits > 0);
  if (others.length > 0) {
    const lines = others.map((e) => `- ${escapeMarkdown(sourceName(index.get(e.sourceId)))}: “${escapeMarkdown(e.wording)}”`);
    sections.push(`Other wordings:\n\n${lines.join('\n')}`);
  }
  const citation = citationHoverSection(check.support, check.draftId, check.end, index, settings);
  if (citation) sections.push(citation);
  return sections.join('\n\n---\n\n');
}

export type { Source };
