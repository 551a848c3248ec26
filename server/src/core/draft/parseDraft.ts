/**
 * What of a draft is prose. Markdown is parsed with mdast (positions kept), so
 * code spans, code blocks, HTML, URLs and front matter are never read as
 * quotations or figures. Plain text is all prose. Paragraphs after a
 * `<!-- corroborate-ignore -->` line (or a plain `corroborate-ignore` line in
 * plain text) are silenced.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import type { Draft, Span } from '../types';

export interface ParsedDraft {
  draft: Draft;
  /** Ranges of the draft that are prose, in order; everything else is not checked. */
  prose: Span[];
  /** Ranges of Markdown block quotes (`> …`); their prose is a quotation as a whole. */
  blockQuotes: Span[];
  /** Ranges silenced by a corroborate-ignore marker. */
  ignored: Span[];
  /** Pandoc citations `[@key]` / `@key` in prose, with the key's span. */
  citations: Array<Span & { key: string }>;
  /** Headings and list-item markers: numbers there are not figures. */
  structural: Span[];
}

const BYTE_ORDER_MARK = 0xfeff;
const IGNORE_MARKER = /^[ \t]*(?:<!--\s*corroborate-ignore\s*-->|corroborate-ignore)[ \t]*$/gm;

/**
 * Reads what of `draft` is prose. With `memory` (one per open draft), a
 * Markdown draft is read block by block and the blocks whose text is
 * unchanged since the last call are not parsed again; the result is the same
 * as without it.
 */
export function parseDraft(draft: Draft, memory?: DraftParseMemory): ParsedDraft {
  const text = draft.text;
  let prose: Span[] = [];
  let blockQuotes: Span[] = [];
  let structural: Span[] = [];
  if (draft.languageId === 'markdown') {
    const read = memory?.read(text);
    if (read) {
      ({ prose, blockQuotes, structural } = read);
    } else {
      collect(parseMarkdown(text, true), prose, blockQuotes, structural);
      prose.sort((a, b) => a.start - b.start);
      // The parser drops a leading byte order mark and counts its offsets without it.
      if (text.charCodeAt(0) === BYTE_ORDER_MARK) {
        for (const span of [...prose, ...blockQuotes, ...structural]) {
          span.start += 1;
          span.end += 1;
        }
      }
    }
  } else {
    prose.push({ start: 0, end: text.length });
  }
  return { draft, prose: mergeAdjacent(prose, text), blockQuotes, ignored: ignoredRanges(text), citations: findCitations(text, prose), structural };
}

/** The mdast tree of `text`; one text node over all of it when the parser fails. `atStart` says the text starts the draft (front matter may stand there). */
function parseMarkdown(text: string, atStart: boolean): MdNode {
  return tryParseMarkdown(text, atStart) ?? { type: 'root', children: [{ type: 'text', position: { start: { offset: 0 }, end: { offset: text.length } } }] };
}

/**
 * What every GFM autolink literal holds: an address's "x@y", "www." or a
 * protocol's "://". A text without any of them has none, and is parsed
 * without that extension, whose tokenizer tries each word as the start of an
 * address: it made about half of what a full check of a 3,000-word draft
 * allocated, and a fifth of its time (a citation's "[@key]" is no address).
 */
const MAY_HOLD_AUTOLINK = /[\w.+-]@[\w-]|www\.|:\/\//i;

/** The mdast tree of `text`, or undefined when the parser fails (a block read alone then sends the whole draft to `parseMarkdown`). */
function tryParseMarkdown(text: string, atStart: boolean): MdNode | undefined {
  // GFM autolink literals: a bare URL or address becomes a link node, so it is never read as prose.
  const autolinks = MAY_HOLD_AUTOLINK.test(text);
  try {
    return fromMarkdown(text, {
      extensions: [...(atStart ? [frontmatter(['yaml', 'toml'])] : []), ...(autolinks ? [gfmAutolinkLiteral()] : [])],
      mdastExtensions: [...(atStart ? [frontmatterFromMarkdown(['yaml', 'toml'])] : []), ...(autolinks ? [gfmAutolinkLiteralFromMarkdown()] : [])],
    }) as MdNode;
  } catch {
    return undefined;
  }
}

/** What one top-level block of a draft holds, in offsets from the block's start. */
interface BlockRead {
  prose: Span[];
  blockQuotes: Span[];
  structural: Span[];
}

/**
 * The Markdown parse of a draft's top-level blocks, remembered by their text
 * from one call to the next (the blocks of the previous version only, so it
 * never grows past one draft). A block is parsed alone only where that gives
 * the same tree as parsing the whole draft: see `topLevelBlocks`.
 */
export class DraftParseMemory {
  private previous = new Map<string, BlockRead>();

  /** The prose, block quotes and headings of `text` in draft offsets, or undefined when the draft must be parsed whole. */
  read(text: string): BlockRead | undefined {
    const blocks = scanBlocks(text);
    const context = blocks && definitionContext(text, blocks);
    if (!blocks || context === undefined) {
      this.previous.clear();
      return undefined;
    }
    const { starts } = blocks;
    const ends = starts.map((_, i) => (i + 1 < starts.length ? starts[i + 1] : text.length));
    const keys: string[] = [];
    const reads: Array<BlockRead | undefined> = [];
    let missing = 0;
    for (let i = 0; i < starts.length; i++) {
      const words = text.slice(starts[i], ends[i]);
      // The first block alone may hold front matter, so it is parsed differently and keyed apart; a block with
      // brackets may hold references, so it is keyed with the definitions that resolve them.
      const key = (i === 0 ? '\u0001' : '\u0000') + words + (context && words.includes('[') ? `\u0002${context}` : '');
      keys.push(key);
      const known = this.previous.get(key);
      reads.push(known);
      if (!known) missing++;
    }
    if (missing > Math.max(4, starts.length / 4)) {
      // Most blocks are new (a draft just opened): one parse of the whole draft, cut into its blocks, costs less than one per block.
      if (!splitWhole(text, starts, reads)) {
        this.previous.clear();
        return undefined;
      }
    }
    const current = new Map<string, BlockRead>();
    const out: BlockRead = { prose: [], blockQuotes: [], structural: [] };
    for (let i = 0; i < starts.length; i++) {
      let read = reads[i];
      if (!read) {
        const words = text.slice(starts[i], ends[i]);
        if (!context || !words.includes('[')) read = readBlock(words, 0, words.length, i === 0);
        // The definitions go after the first block (front matter must stay first) and before any other.
        else if (i === 0) read = readBlock(words + context, 0, words.length, true);
        else read = readBlock(context + words, context.length, context.length + words.length, false);
        if (!read) {
          this.previous.clear();
          return undefined;
        }
      }
      current.set(keys[i], read);
      const shift = starts[i];
      for (const s of read.prose) out.prose.push({ start: s.start + shift, end: s.end + shift });
      for (const s of read.blockQuotes) out.blockQuotes.push({ start: s.start + shift, end: s.end + shift });
      for (const s of read.structural) out.structural.push({ start: s.start + shift, end: s.end + shift });
    }
    this.previous = current;
    return out;
  }
}

/**
 * Parses `text` and keeps what lies in `[from, to)`, in offsets from `from`;
 * undefined when something runs over those bounds (the block was not independent after all).
 */
function readBlock(text: string, from: number, to: number, atStart: boolean): BlockRead | undefined {
  const prose: Span[] = [];
  const blockQuotes: Span[] = [];
  const structural: Span[] = [];
  const tree = tryParseMarkdown(text, atStart);
  if (!tree) return undefined;
  collect(tree, prose, blockQuotes, structural);
  prose.sort((a, b) => a.start - b.start);
  const read: BlockRead = { prose: [], blockQuotes: [], structural: [] };
  for (const [spans, into] of [[prose, read.prose], [blockQuotes, read.blockQuotes], [structural, read.structural]]) {
    for (const span of spans) {
      if (span.end <= from || span.start >= to) continue;
      if (span.start < from || span.end > to) return undefined;
      into.push({ start: span.start - from, end: span.end - from });
    }
  }
  return read;
}

/**
 * The reference definitions a block with brackets must be read with: the
 * text of every block that may define one (`[id]: …`, `[^1]: …`), since a
 * definition anywhere in a draft turns `[id]` anywhere into a link. Empty when
 * there are none; undefined when they cannot be read apart (in the first
 * block, where front matter may stand, or in a last block that ends inside a
 * fence, HTML block or indented code, which would change what follows it).
 */
function definitionContext(text: string, blocks: ScannedBlocks): string | undefined {
  if (!text.includes(']:')) return '';
  const { starts } = blocks;
  const parts: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const words = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
    if (!words.includes(']:')) continue;
    if (i === 0 || (i === starts.length - 1 && !blocks.clean)) return undefined;
    parts.push(words);
  }
  // Blank lines after the last, so the block read after them starts anew.
  return `${parts.join('')}\n\n`;
}

/**
 * Parses the whole of `text` once and hands each block the spans inside it
 * (block offsets), filling the gaps of `reads`. False when a span crosses a
 * block boundary, which would mean the blocks are not independent after all.
 */
function splitWhole(text: string, starts: number[], reads: Array<BlockRead | undefined>): boolean {
  const prose: Span[] = [];
  const blockQuotes: Span[] = [];
  const structural: Span[] = [];
  collect(parseMarkdown(text, true), prose, blockQuotes, structural);
  prose.sort((a, b) => a.start - b.start);
  const whole: BlockRead[] = starts.map(() => ({ prose: [], blockQuotes: [], structural: [] }));
  const place = (spans: Span[], field: keyof BlockRead): boolean => {
    let block = 0;
    for (const span of spans) {
      // Spans come in order of their start (block quotes and headings in document order).
      while (block + 1 < starts.length && starts[block + 1] <= span.start) block++;
      const end = block + 1 < starts.length ? starts[block + 1] : text.length;
      if (span.start < starts[block] || span.end > end) return false;
      whole[block][field].push({ start: span.start - starts[block], end: span.end - starts[block] });
    }
    return true;
  };
  if (!place(prose, 'prose') || !place(blockQuotes, 'blockQuotes') || !place(structural, 'structural')) return false;
  for (let i = 0; i < reads.length; i++) reads[i] ??= whole[i];
  return true;
}

const FENCE_OPEN = /^(`{3,})[^`]*$|^(~{3,})/;
const FENCE_INDENTED = /^[ \t]+(?:`{3}|~{3})/;
const HTML_START = /^ {0,3}</;
/** An HTML comment that closes on its own line (`<!-- corroborate-ignore -->`), or an autolink `<https://…>`: neither runs on. */
const HTML_SELF_CONTAINED = /^ {0,3}(?:<!--.*-->|<[A-Za-z][A-Za-z0-9+.-]{1,31}:)/;
const BLANK = /^[ \t]*$/;
const INDENTED = /^(?: {4}| {0,3}\t)/;

/**
 * Where the top-level blocks of a Markdown draft start: after a blank line,
 * at a line that starts in the first column, outside a fenced code block and
 * the front matter, and not after indented code (which the parser keeps open
 * over blank lines, so that "2. …" after it is text, not a list). Such a line
 * starts a block the parser reads exactly as it would alone: containers
 * (block quotes, list items) and paragraphs end at a blank line unless the
 * next line is indented. After a line that may open an
 * HTML block running over blank lines (`<pre>`, an open `<!--`), or an
 * indented fence (in a list item, whose end the scan does not follow), the
 * rest of the draft is one block. Undefined for a draft with lone carriage
 * returns or a byte order mark. (Reference definitions, which links anywhere read, are left to the caller.)
 */
export function topLevelBlocks(text: string): number[] | undefined {
  return scanBlocks(text)?.starts;
}

interface ScannedBlocks {
  starts: number[];
  /** The last block ends outside any fence, front matter, HTML block or indented code: text put after it starts anew. */
  clean: boolean;
}

function scanBlocks(text: string): ScannedBlocks | undefined {
  if (/\r(?!\n)/.test(text) || text.charCodeAt(0) === BYTE_ORDER_MARK) return undefined;
  const starts = [0];
  let at = 0;
  // Front matter: the first block runs at least to its closing fence.
  const front = /^(---|\+\+\+)[ \t]*\r?\n/.exec(text);
  if (front) {
    const close = new RegExp(`\n${front[1] === '---' ? '---' : '\\+\\+\\+'}[ \t]*(?:\r?\n|$)`).exec(text.slice(front[0].length - 1));
    if (!close) return { starts, clean: false };
    at = front[0].length - 1 + close.index + close[0].length;
  }
  let fence: { char: string; length: number } | undefined;
  let afterBlank = false;
  // The last line with text may be indented code, which the parser keeps open over blank lines.
  let afterIndented = false;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(at, end - 1) : text.slice(at, end);
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
      afterBlank = false;
      afterIndented = false;
    } else if (BLANK.test(line)) {
      afterBlank = true;
    } else {
      // After indented code, a list item that may not interrupt a paragraph ("2. …", an empty "- ") is read as text: not a new start.
      if (afterBlank && !afterIndented && line[0] !== ' ' && line[0] !== '\t') starts.push(at);
      afterBlank = false;
      afterIndented = INDENTED.test(line);
      if (FENCE_INDENTED.test(line) || (HTML_START.test(line) && !HTML_SELF_CONTAINED.test(line))) return { starts, clean: false };
      const open = FENCE_OPEN.exec(line);
      if (open) fence = { char: (open[1] ?? open[2])[0], length: (open[1] ?? open[2]).length };
    }
    at = end + 1;
  }
  return { starts, clean: !fence && !afterIndented };
}

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  depth?: number;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

function collect(node: MdNode, prose: Span[], blockQuotes: Span[], structural: Span[]): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  switch (node.type) {
    case 'text':
      if (start !== undefined && end !== undefined) prose.push({ start, end });
      return;
    case 'code':
    case 'inlineCode':
    case 'html':
    case 'yaml':
    case 'toml':
    case 'definition':
      return;
    case 'link':
      // A bare URL (`<https://…>`, or a GFM literal `www.…`/`https://…` whose link is its own text): not prose.
      if (node.children?.length === 1 && node.children[0].type === 'text') {
        const child = node.children[0];
        if (child.value === node.url || (child.position?.start.offset === start && child.position?.end.offset === end)) return;
      }
      break;
    case 'blockquote':
      if (start !== undefined && end !== undefined) blockQuotes.push({ start, end });
      break;
    case 'heading':
      if (start !== undefined && end !== undefined) structural.push({ start, end });
      break;
  }
  for (const child of node.children ?? []) collect(child, prose, blockQuotes, structural);
}

/** Joins prose ranges separated only by whitespace or inline markup (emphasis marks), so quotations across them are whole. */
function mergeAdjacent(spans: Span[], text: string): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && /^[\s*_~]*$/.test(text.slice(last.end, span.start)) && !/\n[ \t]*\n/.test(text.slice(last.end, span.start))) {
      last.end = Math.max(last.end, span.end);
    } else {
      out.push({ ...span });
    }
  }
  return out;
}

/** The paragraph after each ignore marker. */
function ignoredRanges(text: string): Span[] {
  const out: Span[] = [];
  IGNORE_MARKER.lastIndex = 0;
  for (let m = IGNORE_MARKER.exec(text); m; m = IGNORE_MARKER.exec(text)) {
    const start = m.index;
    const blank = /\n[ \t]*\n/g;
    blank.lastIndex = start + m[0].length + 1;
    // Skip blank lines directly after the marker, then take the paragraph.
    let from = start + m[0].length;
    while (from < text.length && /\s/.test(text[from])) from++;
    blank.lastIndex = from;
    const next = blank.exec(text);
    out.push({ start, end: next ? next.index : text.length });
  }
  return out;
}

const CITATION = /(?<![\w@])@([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*[\p{L}\p{N}_])/gu;

function findCitations(text: string, prose: Span[]): Array<Span & { key: string }> {
  const out: Array<Span & { key: string }> = [];
  for (const span of prose) {
    const chunk = text.slice(span.start, span.end);
    CITATION.lastIndex = 0;
    for (let m = CITATION.exec(chunk); m; m = CITATION.exec(chunk)) {
      // Only Pandoc citations: inside [ ], or "@key" at a word boundary in Markdown; e-mail addresses are excluded by the look-behind.
      const start = span.start + m.index + 1;
      out.push({ start, end: start + m[1].length, key: m[1] });
    }
  }
  return out;
}

/** True when `[start, end)` lies inside one of `spans`. */
export function within(spans: Span[], start: number, end = start): boolean {
  return spans.some((s) => s.start <= start && end <= s.end);
}
