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

const IGNORE_MARKER = /^[ \t]*(?:<!--\s*corroborate-ignore\s*-->|corroborate-ignore)[ \t]*$/gm;

export function parseDraft(draft: Draft): ParsedDraft {
  const text = draft.text;
  const prose: Span[] = [];
  const blockQuotes: Span[] = [];
  const structural: Span[] = [];
  if (draft.languageId === 'markdown') {
    let tree: MdNode;
    try {
      // GFM autolink literals: a bare URL or address becomes a link node, so it is never read as prose.
      tree = fromMarkdown(text, {
        extensions: [frontmatter(['yaml', 'toml']), gfmAutolinkLiteral()],
        mdastExtensions: [frontmatterFromMarkdown(['yaml', 'toml']), gfmAutolinkLiteralFromMarkdown()],
      }) as MdNode;
    } catch {
      tree = { type: 'root', children: [{ type: 'text', position: { start: { offset: 0 }, end: { offset: text.length } } }] };
    }
    collect(tree, prose, blockQuotes, structural);
    prose.sort((a, b) => a.start - b.start);
  } else {
    prose.push({ start: 0, end: text.length });
  }
  return { draft, prose: mergeAdjacent(prose, text), blockQuotes, ignored: ignoredRanges(text), citations: findCitations(text, prose), structural };
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
