/**
 * Findings with places a reader can go to: 1-based lines and columns in the
 * draft (columns count UTF-16 units, as the editor's do), and each source
 * passage as key, outlet, date, file and line. `check --format json` prints
 * these; the text output and the HTML report read them too.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Draft, Finding, FindingCode, Severity, SourceRef, Span, TextEdit } from '../core/types';
import type { CorpusIndex } from '../core/index/corpusIndex';
import { sourcePosition } from '../core/sourceLocation';
import { toRange } from '../lsp/convert';

/** A source passage a finding or verdict points at. */
export interface SourcePlace {
  key: string;
  outlet: string | null;
  date: string | null;
  title: string | null;
  /** The source file, relative to the working folder when it lies inside it. */
  file: string;
  line: number;
  column: number;
  /** The words of the passage itself. */
  text: string;
  /** What the finding says about this passage, when it says something. */
  note: string | null;
}

export interface LocatedFix {
  title: string;
  /** The draft's text from the first edit's start to the last edit's end, as it reads after the fix. */
  text: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One diagnostic as `check --format json` prints it. */
export interface LocatedDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: FindingCode;
  message: string;
  /** The best-matching source passage, or null when none is close. */
  source: SourcePlace | null;
  /** Every source passage the finding points at, best first. */
  related: SourcePlace[];
  /** The preferred suggested fix, or null. */
  fix: LocatedFix | null;
}

/** Converts offsets of one draft into 1-based places; wraps the editor's converter so both count columns alike. */
export class DraftPlaces {
  private readonly doc: TextDocument;

  constructor(draft: Draft) {
    this.doc = TextDocument.create(draft.id, draft.languageId, draft.version, draft.text);
  }

  /** 1-based start and end line and column of `span`. */
  of(span: Span): { line: number; column: number; endLine: number; endColumn: number } {
    const range = toRange(this.doc, span);
    return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
  }
}

/** A path for people to read: relative to `cwd` when inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The file path of a source id (a file URI), or the id itself when it is not one. */
export function sourceFile(id: string, cwd: string): string {
  try {
    return displayPath(fileURLToPath(id), cwd);
  } catch {
    return id;
  }
}

/** Where a source passage is, with the source's metadata; undefined when its source left the index. */
export function sourcePlace(ref: SourceRef, index: CorpusIndex, cwd: string): SourcePlace | undefined {
  const source = index.get(ref.sourceId);
  if (!source) return undefined;
  const { line, character } = sourcePosition(source, ref.start);
  return {
    key: source.key,
    outlet: source.meta.outlet ?? null,
    date: source.meta.date ?? null,
    title: source.meta.title ?? null,
    file: sourceFile(source.id, cwd),
    line: line + 1,
    column: character + 1,
    text: source.text.slice(ref.start, ref.end),
    note: ref.message ?? null,
  };
}

/** The text of `[first edit start, last edit end)` of `text` after applying `edits`. */
export function fixedText(text: string, edits: TextEdit[]): Span & { text: string } {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const start = Math.min(...sorted.map((e) => e.start));
  const end = Math.max(...sorted.map((e) => e.end));
  let out = '';
  let at = start;
  for (const edit of sorted) {
    out += text.slice(at, edit.start) + edit.newText;
    at = Math.max(at, edit.end);
  }
  return { start, end, text: out + text.slice(at, end) };
}

/** Every finding of one draft with its places in the draft and the sources. */
export function locateFindings(file: string, draft: Draft, findings: Finding[], index: CorpusIndex, cwd: string): LocatedDiagnostic[] {
  const places = new DraftPlaces(draft);
  return findings.map((finding) => {
    const related = finding.related.map((ref) => sourcePlace(ref, index, cwd)).filter((p): p is SourcePlace => !!p);
    const preferred = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
    let fix: LocatedFix | null = null;
    if (preferred && preferred.edits.length) {
      const applied = fixedText(draft.text, preferred.edits);
      fix = { title: preferred.title, text: applied.text, ...places.of(applied) };
    }
    return {
      file,
      ...places.of(finding),
      severity: finding.severity,
      code: finding.code,
      message: finding.message,
      source: related[0] ?? null,
      related,
      fix,
    };
  });
}
