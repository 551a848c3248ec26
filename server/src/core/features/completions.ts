/**
 * Completions: source quotations inside an open quote, names, figures and
 * citation keys. (First version: citation keys only; the rest in issue 5.)
 */
import type { Cancellation, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';

export interface Completion {
  label: string;
  kind: 'quote' | 'name' | 'figure' | 'citation';
  /** Replaces `[edit.start, edit.end)` of the draft. */
  edit: TextEdit;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Ranking: lower sorts first. */
  sortText: string;
  filterText?: string;
}

export function completionsAt(parsed: ParsedDraft, offset: number, index: CorpusIndex, _settings: Settings, _token: Cancellation): Completion[] {
  const text = parsed.draft.text;
  const m = /\[@([\p{L}\p{N}_:.\-]*)$/u.exec(text.slice(Math.max(0, offset - 100), offset));
  if (!m) return [];
  const start = offset - m[1].length;
  return index.summaries().map((s, i) => ({
    label: s.key,
    kind: 'citation' as const,
    edit: { start, end: offset, newText: s.key },
    detail: [s.outlet, s.date].filter(Boolean).join(', '),
    documentation: s.title,
    sortText: String(i).padStart(5, '0'),
  }));
}
