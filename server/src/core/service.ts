/**
 * The Corroborate language service: one facade over the analysis core.
 * Knows nothing of LSP, URIs on disk or connections; takes drafts as strings
 * and answers with offsets. The LSP layer (server/src/lsp) and the command
 * line (server/src/cli) are both thin shells over it, so they give the same verdicts.
 */
import type { Cancellation, Draft, Finding, Logger, Span, SourceRef, TextEdit } from './types';
import { NEVER_CANCELLED, SILENT_LOGGER } from './types';
import type { CorpusIndex, SourceSummary } from './index/corpusIndex';
import { DEFAULT_SETTINGS, effectiveSeverity, type Settings } from './settings';
import { parseDraft, type ParsedDraft } from './draft/parseDraft';
import { AnalysisMemory, analyzeDraft, type DraftAnalysis } from './features/analysis';
import { hoverAt } from './features/hover';
import { completionsAt, type Completion } from './features/completions';
import { codeActionsFor, type CodeAction } from './features/codeActions';
import { definitionAt } from './features/definition';
import { bibliographyEdit, citationEdit, useCslStyle, warmCitationStyles } from './features/citations';

export type { Completion, CodeAction, DraftAnalysis };

export interface Hover extends Span {
  /** Markdown shown to the user. Command links use `command:corroborate.insertCitation?…`. */
  markdown: string;
}

export interface ServiceOptions {
  index: CorpusIndex;
  /** Read on every call, so a settings change takes effect at once. */
  settings?: () => Settings;
  logger?: Logger;
  /**
   * Reads a text file the user named in settings (the CSL style of
   * `corroborate.citation.cslFile`); throws when it cannot. Injected by the
   * host, since the core does no IO; without it a CSL file setting is ignored.
   */
  readTextFile?: (path: string) => string;
}

/** The operations a host (editor server, command line, benchmark) calls. */
export interface CorroborateService {
  readonly index: CorpusIndex;
  /** Checks every quotation, figure and citation key of a draft; findings sorted by offset, after severity settings. */
  diagnostics(draft: Draft, token?: Cancellation): Finding[];
  /** The full analysis behind `diagnostics` (verdicts for verified items too), cached per draft version and index generation. */
  analyze(draft: Draft, token?: Cancellation): DraftAnalysis;
  /** What to show when hovering `offset`: a quotation's, figure's or citation key's sources. */
  hover(draft: Draft, offset: number, token?: Cancellation): Hover | undefined;
  /** Completions at `offset`: source quotations, names, figures, citation keys. */
  completions(draft: Draft, offset: number, token?: Cancellation): Completion[];
  /** Quick fixes and citation actions for the findings and verified items touching `range`. */
  codeActions(draft: Draft, range: Span, token?: Cancellation): CodeAction[];
  /** The source passages a quotation or figure at `offset` comes from. */
  definition(draft: Draft, offset: number, token?: Cancellation): SourceRef[];
  /** Edits that add a references list of the sources a draft cites, in the configured style. */
  bibliography(draft: Draft): TextEdit[];
  /** Edits that cite the source with `sourceKey` right after the quotation or figure at `offset`, in the configured style. */
  citationEdits(draft: Draft, offset: number, sourceKey: string): TextEdit[];
  /** Every indexed source, sorted by key. */
  sources(): SourceSummary[];
  /** Starts the citation processor in the configured style (a one-time cost of up to seconds); hosts call it when idle. */
  prepareCitations(): void;
}

export function createService(options: ServiceOptions): CorroborateService {
  const index = options.index;
  const settings = options.settings ?? (() => DEFAULT_SETTINGS);
  const logger = options.logger ?? SILENT_LOGGER;
  // One analysis per draft: hover, code actions and diagnostics of the same version share it.
  const cache = new Map<string, { version: number; generation: number; settings: Settings; text: string; analysis: DraftAnalysis }>();
  // What each draft's last analysis found, so the next version re-checks only what changed (one per draft, as many as the cache).
  const memories = new Map<string, AnalysisMemory>();
  const memoryOf = (draftId: string): AnalysisMemory => {
    let memory = memories.get(draftId);
    if (memory) memories.delete(draftId);
    else memory = new AnalysisMemory();
    memories.set(draftId, memory);
    if (memories.size > 64) memories.delete(memories.keys().next().value as string);
    return memory;
  };

  const parsed = (draft: Draft): ParsedDraft => parseDraft(draft);

  const reportedStyleProblems = new Set<string>();
  /** The settings, with the user's CSL file (re)loaded through the host, before anything is formatted as a citation. */
  const citationSettings = (): Settings => {
    const current = settings();
    const file = current.citation.cslFile;
    if (file && options.readTextFile) {
      let problem: string | undefined;
      try {
        problem = useCslStyle(file, options.readTextFile(file));
      } catch (e) {
        problem = `corroborate.citation.cslFile: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}; using APA instead`;
      }
      if (problem && !reportedStyleProblems.has(problem)) {
        reportedStyleProblems.add(problem);
        logger.warn(problem);
      }
    }
    return current;
  };

  const analyze = (draft: Draft, token: Cancellation = NEVER_CANCELLED): DraftAnalysis => {
    const current = settings();
    const hit = cache.get(draft.id);
    if (hit && hit.version === draft.version && hit.text === draft.text && hit.generation === index.generation && hit.settings === current) {
      return hit.analysis;
    }
    const memory = memoryOf(draft.id);
    const analysis = analyzeDraft(parseDraft(draft, memory.parse), index, current, token, logger, memory);
    if (!token.isCancellationRequested) {
      cache.set(draft.id, { version: draft.version, generation: index.generation, settings: current, text: draft.text, analysis });
      if (cache.size > 64) cache.delete(cache.keys().next().value as string);
    }
    return analysis;
  };

  return {
    index,
    analyze,
    diagnostics(draft, token = NEVER_CANCELLED) {
      const current = settings();
      const findings: Finding[] = [];
      for (const finding of analyze(draft, token).findings) {
        const severity = effectiveSeverity(finding.code, finding.severity, current);
        if (severity === 'off') continue;
        findings.push({ ...finding, severity });
      }
      return findings.sort((a, b) => a.start - b.start || a.end - b.end);
    },
    hover(draft, offset, token = NEVER_CANCELLED) {
      return hoverAt(analyze(draft, token), offset, index, citationSettings());
    },
    completions(draft, offset, token = NEVER_CANCELLED) {
      // The draft, not its full parse: completion parses only the paragraph at the cursor, to keep up with typing.
      return completionsAt(draft, offset, index, settings(), token);
    },
    codeActions(draft, range, token = NEVER_CANCELLED) {
      return codeActionsFor(analyze(draft, token), range, index, citationSettings());
    },
    definition(draft, offset, token = NEVER_CANCELLED) {
      return definitionAt(analyze(draft, token), offset);
    },
    bibliography(draft) {
      return bibliographyEdit(parsed(draft), index, citationSettings());
    },
    citationEdits(draft, offset, sourceKey) {
      const source = index.getByKey(sourceKey);
      return source ? citationEdit(analyze(draft), offset, source, index, citationSettings()) : [];
    },
    sources() {
      return index.summaries();
    },
    prepareCitations() {
      warmCitationStyles(citationSettings());
    },
  };
}
