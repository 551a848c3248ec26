/**
 * How the index keeps a source: its record (id, key, metadata) as a small
 * object, its body (paragraphs, sentences, quotations, names, the HTML offset
 * map) packed into one Int32Array. A parsed source holds hundreds of small
 * objects; ten thousand of them are most of a large index's memory and of its
 * garbage collector's work. The packed form is also what a parsing worker
 * sends (the array is transferred, not copied) and what the index snapshot
 * stores.
 *
 * `StoredSource` implements `Source`: its body's arrays are unpacked on first
 * use and kept for the most recently used sources only.
 */
import type { MetaOrigin, NameMention, Sentence, Source, SourceMeta, SourceProblem, SourceQuote, Span } from '../types';
import type { ParsedSource } from '../sources/parseSource';
import { fileOffsetFunction } from '../sources/html';

/** A parsed source as flat data: strings, plain records and one Int32Array. */
export interface PackedSource {
  id: string;
  relativePath: string;
  key: string;
  meta: SourceMeta;
  metaOrigin: Partial<Record<keyof SourceMeta, MetaOrigin>>;
  problems: SourceProblem[];
  bodyStart: number;
  text: string;
  fileText?: string;
  /** The body: see `BodyLayout`. */
  body: Int32Array;
  /** Per quotation, its speaker (`null`: none named). */
  speakers: Array<string | null>;
  /** Per name, its text when it differs from the text at its span (`''` otherwise, the common case). */
  nameTexts: string[];
}

/**
 * The body array: five counts (paragraphs, sentences, quotations, names,
 * offset-map triples), then paragraphs as (start, end), sentences as (start,
 * end, paragraph), quotations as (start, end), names as (start, end, kind),
 * then the HTML offset map's triples.
 */
const HEADER = 5;
/** Name kinds by their number in a packed body. */
export const NAME_KINDS: NameMention['kind'][] = ['person', 'organisation', 'place', 'other'];

/** Packs a parsed source (its key not yet made unique). */
export function packSource(parsed: ParsedSource): PackedSource {
  const { paragraphs, sentences, quotes, names, text } = parsed;
  const map = parsed.fileOffsetMap ?? new Int32Array(0);
  const body = new Int32Array(HEADER + 2 * paragraphs.length + 3 * sentences.length + 2 * quotes.length + 3 * names.length + map.length);
  body[0] = paragraphs.length;
  body[1] = sentences.length;
  body[2] = quotes.length;
  body[3] = names.length;
  body[4] = map.length / 3;
  let at = HEADER;
  for (const p of paragraphs) {
    body[at++] = p.start;
    body[at++] = p.end;
  }
  for (const s of sentences) {
    body[at++] = s.start;
    body[at++] = s.end;
    body[at++] = s.paragraph;
  }
  for (const q of quotes) {
    body[at++] = q.start;
    body[at++] = q.end;
  }
  const nameTexts: string[] = [];
  for (const n of names) {
    body[at++] = n.start;
    body[at++] = n.end;
    body[at++] = Math.max(0, NAME_KINDS.indexOf(n.kind));
    nameTexts.push(text.slice(n.start, n.end) === n.text ? '' : n.text);
  }
  body.set(map, at);
  return {
    id: parsed.id,
    relativePath: parsed.relativePath,
    key: parsed.key,
    meta: parsed.meta,
    metaOrigin: parsed.metaOrigin,
    problems: parsed.problems,
    bodyStart: parsed.bodyStart,
    text,
    fileText: parsed.fileText,
    body,
    speakers: quotes.map((q) => q.speaker ?? null),
    nameTexts,
  };
}

/** A source's body as the arrays `Source` exposes. */
interface UnpackedBody {
  paragraphs: Span[];
  sentences: Sentence[];
  quotes: SourceQuote[];
  names: NameMention[];
  fileOffsetAt?: (textOffset: number) => number;
}

function unpackBody(packed: PackedSource): UnpackedBody {
  const { body, text } = packed;
  const [np, ns, nq, nn, nm] = [body[0], body[1], body[2], body[3], body[4]];
  let at = HEADER;
  const paragraphs: Span[] = new Array(np);
  for (let i = 0; i < np; i++, at += 2) paragraphs[i] = { start: body[at], end: body[at + 1] };
  const sentences: Sentence[] = new Array(ns);
  for (let i = 0; i < ns; i++, at += 3) sentences[i] = { start: body[at], end: body[at + 1], paragraph: body[at + 2] };
  const quotes: SourceQuote[] = new Array(nq);
  for (let i = 0; i < nq; i++, at += 2) {
    const quote: SourceQuote = { start: body[at], end: body[at + 1] };
    const speaker = packed.speakers[i];
    if (speaker !== null && speaker !== undefined) quote.speaker = speaker;
    quotes[i] = quote;
  }
  const names: NameMention[] = new Array(nn);
  for (let i = 0; i < nn; i++, at += 3) {
    const start = body[at];
    const end = body[at + 1];
    names[i] = { start, end, kind: NAME_KINDS[body[at + 2]] ?? 'other', text: packed.nameTexts[i] || text.slice(start, end) };
  }
  const fileOffsetAt = nm > 0 && packed.fileText !== undefined ? fileOffsetFunction(body.subarray(at, at + 3 * nm), text, packed.fileText) : undefined;
  return { paragraphs, sentences, quotes, names, fileOffsetAt };
}

/** Unpacked bodies of the sources used most recently; the others are unpacked again when needed. */
const RECENT_BODIES = 256;
const recentBodies = new Map<StoredSource, UnpackedBody>();

/** A source as the index keeps it; reads like any `Source`. */
export class StoredSource implements Source {
  readonly id: string;
  readonly relativePath: string;
  readonly key: string;
  readonly meta: SourceMeta;
  readonly metaOrigin: Partial<Record<keyof SourceMeta, MetaOrigin>>;
  readonly problems: SourceProblem[];
  readonly bodyStart: number;

  /**
   * @param packed the source's data; its `text` and `fileText` may be read lazily through `loadText`
   * @param key its citation key, unique in the index
   */
  constructor(
    private packed: PackedSource | LazyPackedSource,
    key: string,
  ) {
    this.id = packed.id;
    this.relativePath = packed.relativePath;
    this.key = key;
    this.meta = packed.meta;
    this.metaOrigin = packed.metaOrigin;
    this.problems = packed.problems;
    this.bodyStart = packed.bodyStart;
  }

  /** The packed data, with its text (read now if it was left on disk). */
  get data(): PackedSource {
    if (this.full) return this.full;
    const p = this.packed;
    if (!('loadText' in p)) return (this.full = p);
    return (this.full = { ...this.record, ...p.loadText() });
  }

  /**
   * The packed data without the text, as a plain record of exactly its
   * fields. Named one by one: a restored source's data is a class whose body
   * is a getter (a spread would miss it) and whose own fields include the
   * whole snapshot table (a spread would copy it into every record).
   */
  get record(): Omit<PackedSource, 'text' | 'fileText'> {
    const p = this.packed;
    return {
      id: p.id,
      relativePath: p.relativePath,
      key: p.key,
      meta: p.meta,
      metaOrigin: p.metaOrigin,
      problems: p.problems,
      bodyStart: p.bodyStart,
      body: p.body,
      speakers: p.speakers,
      nameTexts: p.nameTexts,
    };
  }

  /**
   * Lets go of the text and file text in memory: from now on they are read
   * through `load` when used (and kept again from then on). For a host that
   * has put them somewhere cheaper than the heap, such as a file, while it
   * indexes many sources.
   */
  leaveText(load: () => { text: string; fileText?: string }): void {
    const packed = this.packed;
    if ('loadText' in packed) return;
    // The packed data is this source's own: it becomes a lazy one in place, its texts let go (a copy without them
    // cost more than the rest of adding a small source).
    packed.text = '';
    packed.fileText = undefined;
    this.packed = Object.assign(packed, { loadText: load });
    this.full = undefined;
  }

  /** The body array (for the index snapshot; never needs the text). */
  get body(): Int32Array {
    return this.packed.body;
  }

  /** The text and file text, read for a moment if they are not in memory (they are not kept then: a snapshot reads them all). */
  peekTexts(): { text: string; fileText?: string } {
    if (this.full || !('loadText' in this.packed)) return this.data;
    return this.packed.loadText();
  }

  /** The sentences, quotations and names as packed spans (see `SourceSpans`), without unpacking the body. */
  spans(): SourceSpans {
    const p = this.packed;
    return spansOfBody(p.body, p.speakers, p.nameTexts);
  }

  /** True once the text is in memory (a restored source's text is read on first use). */
  get textLoaded(): boolean {
    return this.full !== undefined || !('loadText' in this.packed);
  }

  private full?: PackedSource;

  get text(): string {
    return this.data.text;
  }

  get fileText(): string | undefined {
    return this.data.fileText;
  }

  get fileOffsetMap(): Int32Array | undefined {
    const body = this.packed.body;
    const at = body.length - 3 * body[4];
    return body[4] > 0 ? body.subarray(at) : undefined;
  }

  get fileOffsetAt(): ((textOffset: number) => number) | undefined {
    return this.unpacked().fileOffsetAt;
  }

  get paragraphs(): Span[] {
    return this.unpacked().paragraphs;
  }

  get sentences(): Sentence[] {
    return this.unpacked().sentences;
  }

  get quotes(): SourceQuote[] {
    return this.unpacked().quotes;
  }

  get names(): NameMention[] {
    return this.unpacked().names;
  }

  private unpacked(): UnpackedBody {
    let body = recentBodies.get(this);
    if (body) return body;
    body = unpackBody(this.data);
    if (recentBodies.size >= RECENT_BODIES) recentBodies.delete(recentBodies.keys().next().value as StoredSource);
    recentBodies.set(this, body);
    return body;
  }
}

/**
 * A source's sentences, quotations and names as packed numbers: the
 * sentences' (start, end, paragraph) triples from `sentencesAt` in `body`,
 * the quotations' (start, end) pairs from `quotesAt`, the names' (start, end,
 * kind) triples from `namesAt` (a kind is its index in `NAME_KINDS`). For
 * parts that read every sentence, quotation or name of every source as it is
 * added or removed: read from a kept source's body, so nothing is unpacked
 * into objects.
 */
export interface SourceSpans {
  body: Int32Array;
  sentencesAt: number;
  sentenceCount: number;
  quotesAt: number;
  quoteCount: number;
  namesAt: number;
  nameCount: number;
  /** Per quotation, its speaker (`null`: none named). */
  speakers: ReadonlyArray<string | null>;
  /** Per name, its text when it differs from the text at its span (`''` otherwise). */
  nameTexts: readonly string[];
}

/** The spans of any source: read in place from a kept source's body, packed here for another. */
export function spansOf(source: Source): SourceSpans {
  if (source instanceof StoredSource) return source.spans();
  const packed = packSource(source);
  return spansOfBody(packed.body, packed.speakers, packed.nameTexts);
}

/** The spans of a packed source (see `SourceSpans`). */
export function spansOfPacked(packed: PackedSource): SourceSpans {
  return spansOfBody(packed.body, packed.speakers, packed.nameTexts);
}

function spansOfBody(body: Int32Array, speakers: ReadonlyArray<string | null>, nameTexts: readonly string[]): SourceSpans {
  const sentencesAt = HEADER + 2 * body[0];
  const quotesAt = sentencesAt + 3 * body[1];
  const namesAt = quotesAt + 2 * body[2];
  return { body, sentencesAt, sentenceCount: body[1], quotesAt, quoteCount: body[2], namesAt, nameCount: body[3], speakers, nameTexts };
}

/** A packed source whose text is read when first needed (from the index snapshot, or where a host put it: see `StoredSource.leaveText`). */
export interface LazyPackedSource extends Omit<PackedSource, 'text' | 'fileText'> {
  loadText(): { text: string; fileText?: string };
}
