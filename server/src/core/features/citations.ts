/**
 * Citation keys in drafts, and citations and bibliographies in the configured
 * style. (First version: key checks and pandoc style; styles in issue 5.)
 */
import type { Finding, Source, SourceRef, Span, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import type { DraftAnalysis } from './analysis';

export interface CitationCheck extends Span {
  kind: 'citation';
  key: string;
  sourceId?: string;
  findings: Finding[];
  support: [];
}

export function checkCitationKeys(parsed: ParsedDraft, index: CorpusIndex): CitationCheck[] {
  return parsed.citations.map((c) => {
    const source = index.getByKey(c.key);
    const findings: Finding[] = source
      ? []
      : [
          {
            code: 'citation-unknown',
            severity: 'warning',
            start: c.start,
            end: c.end,
            message: `No source has the citation key "${c.key}".`,
            related: [],
            fixes: [],
          },
        ];
    return { kind: 'citation', key: c.key, start: c.start, end: c.end, sourceId: source?.id, findings, support: [] };
  });
}

/** The in-text citation of a source in the configured style. */
export function formatCitation(source: Source, _settings: Settings): string {
  return `[@${source.key}]`;
}

export function citationHover(check: CitationCheck, index: CorpusIndex): string {
  const source = check.sourceId ? index.get(check.sourceId) : undefined;
  if (!source) return `Unknown citation key \`${check.key}\``;
  const m = source.meta;
  return [`**${m.title ?? source.relativePath}**`, [m.outlet, m.date].filter(Boolean).join(', '), `\`${source.key}\``].filter(Boolean).join('\n\n');
}

/** Inserts a citation of `source` right after the quotation or figure at `offset` (or at `offset` itself). */
export function citationEdit(analysis: DraftAnalysis, offset: number, source: Source, _index: CorpusIndex, settings: Settings): TextEdit[] {
  const item = [...analysis.quotes, ...analysis.figures].find((i) => i.start <= offset && offset <= i.end);
  const at = item ? item.end : offset;
  return [{ start: at, end: at, newText: ' ' + formatCitation(source, settings) }];
}

export function bibliographyEdit(_parsed: ParsedDraft, _index: CorpusIndex, _settings: Settings): TextEdit[] {
  return [];
}

/**
 * The citation part of a hover on a verified quotation or figure: for each
 * supporting source, a ready citation in the configured style and an
 * "Insert citation" command link. Quote and figure hovers append it.
 * `draftId` and `offset` say where the citation goes (after the item at offset).
 */
export function citationHoverSection(support: SourceRef[], draftId: string, offset: number, index: CorpusIndex, settings: Settings): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const ref of support) {
    const source = index.get(ref.sourceId);
    if (!source || seen.has(source.id)) continue;
    seen.add(source.id);
    const args = encodeURIComponent(JSON.stringify([draftId, offset, source.key]));
    lines.push(`Cite: \`${formatCitation(source, settings)}\` · [Insert citation](command:corroborate.server.insertCitation?${args})`);
  }
  return lines.join('\n\n');
}
