/**
 * The vocabulary of the analysis core. Everything here is plain data with
 * offsets into plain strings: no LSP, no URIs that must resolve, no file system.
 * The LSP layer (server/src/lsp) converts offsets to positions at the edge.
 */

/** A half-open range of UTF-16 offsets `[start, end)` into some text. */
export interface Span {
  start: number;
  end: number;
}

/** What we know about a source article; every field may be unknown. */
export interface SourceMeta {
  title?: string;
  outlet?: string;
  author?: string;
  /** ISO calendar date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when only that is known). */
  date?: string;
  url?: string;
  language?: string;
  /** `transcript`: every word is the speaker's (a speech, an interview, a briefing). */
  type?: 'article' | 'transcript';
  speaker?: string;
  /** A citation key the catalog or front matter insists on. */
  key?: string;
}

/** Where a metadata field came from, so a user can see why a title or date was chosen. */
export type MetaOrigin = 'front-matter' | 'catalog' | 'heuristic';

/** Raw bytes of one corpus file, as handed to the core by whoever reads the disk. */
export interface SourceFile {
  /** Stable identity of the file (the LSP layer uses its URI). */
  id: string;
  /** File name relative to its corpus folder, with `/` separators (catalog lookups use it). */
  relativePath: string;
  bytes: Uint8Array;
}

/** A sentence of a source with its offsets into `Source.text`. */
export interface Sentence extends Span {
  /** Index of the paragraph this sentence belongs to. */
  paragraph: number;
}

/** A quotation as it stands inside a source (the words between its quotation marks). */
export interface SourceQuote extends Span {
  /** Who the source says spoke these words, when it says so ("said Al-Sudani", "he added"). */
  speaker?: string;
}

/** A name of a person, organisation or place as spelled in one source. */
export interface NameMention extends Span {
  text: string;
  kind: 'person' | 'organisation' | 'place' | 'other';
}

/** A problem met while reading a corpus file; indexing goes on without it (or with what could be read). */
export interface SourceProblem {
  /** `skipped` means the file is not in the index at all. */
  severity: 'skipped' | 'warning';
  message: string;
}

/**
 * One parsed source article. `text` is the text that is analysed; for `.txt`
 * and `.md` it is the decoded file itself (front matter included, body from
 * `bodyStart`), so offsets are file offsets. For HTML it is the extracted
 * article text, and `fileOffsetAt` maps back into the file.
 */
export interface Source {
  id: string;
  relativePath: string;
  /** Stable, readable, unique citation key, e.g. `xinhua-2023-12-29`. */
  key: string;
  meta: SourceMeta;
  metaOrigin: Partial<Record<keyof SourceMeta, MetaOrigin>>;
  text: string;
  bodyStart: number;
  /** The decoded file text, when it differs from `text` (HTML). */
  fileText?: string;
  /**
   * HTML only: where the text's words stand in the file, as triples (offset in
   * the text, offset in the file, length in the file). Plain data, so a source
   * can be stored and sent between threads; `fileOffsetAt` is made from it.
   */
  fileOffsetMap?: Int32Array;
  /** Maps an offset of `text` to an offset of the file text (identity when absent). */
  fileOffsetAt?: (textOffset: number) => number;
  paragraphs: Span[];
  sentences: Sentence[];
  quotes: SourceQuote[];
  names: NameMention[];
  problems: SourceProblem[];
}

/** A source passage a finding points at. */
export interface SourceRef extends Span {
  sourceId: string;
  message?: string;
}

export type FindingCode =
  | 'quote-mismatch'
  | 'quote-unsourced'
  | 'quote-paraphrase'
  | 'figure-mismatch'
  | 'figure-unsourced'
  | 'citation-unknown';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A replacement of `[start, end)` of the draft by `newText`. */
export interface TextEdit extends Span {
  newText: string;
}

/** A fix a user may accept; carried in the finding so a code action needs no server state. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The preferred fix is applied by "Fix all" and shown first. */
  preferred?: boolean;
}

/** A problem found in a draft: the core's diagnostic, with offsets into the draft. */
export interface Finding extends Span {
  code: FindingCode;
  severity: Severity;
  message: string;
  related: SourceRef[];
  fixes: Fix[];
}

/** A draft as the core sees it: its text and what kind of text it is. */
export interface Draft {
  /** Identity for caching (the LSP layer uses the document URI). */
  id: string;
  version: number;
  text: string;
  /** `markdown` drafts are parsed as Markdown; anything else as plain text. */
  languageId: string;
}

/** Lets a caller stop long work: checked between batches, never awaited. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: Cancellation = { isCancellationRequested: false };

/** Logging injected by the host; the core never prints. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOGGER: Logger = { info() {}, warn() {}, error() {} };
