/**
 * Offsets inside, positions at the edge: the one module that turns core spans
 * into LSP ranges and back. LSP characters count UTF-16 code units, as
 * JavaScript strings do, so curly quotes, em dashes and emoji land right.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type Location,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Finding, Severity, SourceRef, Span, TextEdit } from '../core/types';
import type { CorpusIndex } from '../core/index/corpusIndex';
import { sourcePosition } from '../core/sourceLocation';

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function toSpan(doc: TextDocument, range: Range): Span {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

export function toTextEdit(doc: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: toRange(doc, edit), newText: edit.newText };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The source passage a reference points at, as an LSP location in the source file. */
export function toLocation(index: CorpusIndex, ref: SourceRef): Location | undefined {
  const source = index.get(ref.sourceId);
  if (!source) return undefined;
  return { uri: source.id, range: { start: sourcePosition(source, ref.start), end: sourcePosition(source, ref.end) } };
}

/**
 * A finding as an LSP diagnostic. `data` carries the fixes as LSP edits, so a
 * code action can be answered from the diagnostic alone, without server state.
 */
export function toDiagnostic(doc: TextDocument, index: CorpusIndex, finding: Finding): Diagnostic {
  const relatedInformation = finding.related
    .map((ref) => {
      const location = toLocation(index, ref);
      return location && { location, message: ref.message ?? index.get(ref.sourceId)?.meta.outlet ?? ref.sourceId };
    })
    .filter((r): r is NonNullable<typeof r> => !!r);
  return {
    range: toRange(doc, finding),
    severity: SEVERITY[finding.severity],
    source: 'corroborate',
    code: finding.code,
    message: finding.message,
    relatedInformation: relatedInformation.length ? relatedInformation : undefined,
    data: { fixes: finding.fixes.map((f) => ({ title: f.title, preferred: !!f.preferred, edits: f.edits.map((e) => toTextEdit(doc, e)) })) },
  };
}
