/**
 * Article text and metadata from an HTML page. `@mozilla/readability` (over
 * `linkedom`, no browser) decides what the article is, leaving out navigation,
 * scripts, styles, sidebars and footers; its paragraphs become the source text,
 * one paragraph per block, separated by blank lines.
 *
 * Offsets of that text are mapped back into the HTML file word by word: the
 * page's visible text is read with `htmlparser2` (which reports where in the
 * file each piece of text, or each entity such as `&rsquo;`, stands) and the
 * article's words are aligned in order against it. Hover links and Go to
 * Definition then land on the very word in the file, not just its paragraph.
 */
import { Readability } from '@mozilla/readability';
import { Parser } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import type { SourceMeta } from '../types';
import { tokenize, type Token } from '../text';
import { normalizeDate } from './metadata';
import { lastAtOrBelow } from '../sorted';

export interface ExtractedHtml {
  text: string;
  meta: SourceMeta;
  /** Where the extracted text's words stand in the file (see `fileOffsetFunction`). */
  offsetMap: Int32Array;
  problem?: string;
}

const BLOCKS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'figcaption', 'td', 'th', 'dt', 'dd', 'div', 'section', 'article',
  'header', 'footer', 'main', 'aside', 'ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tr', 'figure', 'br', 'hr',
]);
/** Elements whose text is never article prose. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg', 'title', 'head']);

/** Minimal DOM shapes we walk (linkedom's nodes); kept structural so the core needs no DOM typings. */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomDocument {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
  title?: string;
}

/**
 * Extracts the article of an HTML page with its title, outlet
 * (`og:site_name`), date (`article:published_time`) and author. Never throws:
 * a page Readability cannot read falls back to all its visible text, with a
 * problem that says so.
 */
export function extractHtml(html: string): ExtractedHtml {
  let document: DomDocument & DomNode;
  try {
    document = domOf(html) as DomDocument & DomNode;
  } catch (e) {
    return { text: '', meta: {}, offsetMap: new Int32Array(0), problem: `the HTML cannot be parsed (${e instanceof Error ? e.message : e})` };
  }
  const meta = pageMeta(document);
  let paragraphs: string[] = [];
  let problem: string | undefined;
  try {
    const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    if (article?.content) {
      const content = domOf(`<!DOCTYPE html><html><body>${article.content}</body></html>`) as DomNode;
      paragraphs = blockTexts(content);
      meta.title ??= clean(article.title);
      meta.author ??= clean(article.byline)?.replace(/^by\s+/i, '');
      meta.outlet ??= clean(article.siteName);
      meta.date ??= normalizeDate(article.publishedTime ?? undefined);
    }
  } catch (e) {
    problem = `the article could not be extracted (${e instanceof Error ? e.message : e}); all page text is indexed`;
  }
  if (paragraphs.length === 0) {
    // Readability found no article (a short page, a list of links): index what is visible, say so.
    const page = domOf(html) as DomNode;
    paragraphs = blockTexts(page);
    problem ??= 'no article found in the page; all its visible text is indexed';
  }
  const text = paragraphs.join('\n\n');
  return { text, meta, offsetMap: alignToFile(text, html), problem };
}

/** linkedom's document for some HTML (its typings describe a browser window, hence the cast). */
function domOf(html: string): unknown {
  return (parseHTML(html) as unknown as { document: unknown }).document;
}

function clean(value: string | null | undefined): string | undefined {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : undefined;
}

/** Metadata from `<meta>` tags (Open Graph, article:*, name=author/date) and `<title>`. */
function pageMeta(document: DomDocument): SourceMeta {
  const attr = (selector: string, name = 'content') => clean(document.querySelector(selector)?.getAttribute(name));
  const date =
    attr('meta[property="article:published_time"]') ??
    attr('meta[name="article:published_time"]') ??
    attr('meta[itemprop="datePublished"]') ??
    attr('meta[name="date"]') ??
    attr('meta[name="pubdate"]') ??
    attr('time[datetime]', 'datetime');
  return {
    title: attr('meta[property="og:title"]') ?? clean(document.querySelector('title')?.textContent),
    outlet: attr('meta[property="og:site_name"]') ?? attr('meta[name="application-name"]'),
    author: attr('meta[name="author"]') ?? attr('meta[property="article:author"]'),
    date: normalizeDate(date),
    url: attr('meta[property="og:url"]') ?? attr('link[rel="canonical"]', 'href'),
    language: clean(document.querySelector('html')?.getAttribute('lang')),
  };
}

/** The text of each innermost block, whitespace collapsed; inline runs between blocks form their own paragraph. */
function blockTexts(root: DomNode): string[] {
  const out: string[] = [];
  let inline = '';
  const flush = () => {
    const t = inline.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
    inline = '';
  };
  const visit = (node: DomNode) => {
    const name = node.nodeName.toLowerCase();
    if (node.nodeType === 3) {
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    if (HIDDEN.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) flush();
    // linkedom builds childNodes afresh on every access: read it once.
    const children = Array.from(node.childNodes);
    for (const child of children) visit(child);
    if (block) flush();
  };
  visit(root);
  flush();
  return out;
}

/**
 * Aligns the words of the extracted `text` with the words of the page as it
 * stands in the file, in order, and returns the offset map. A word that cannot
 * be found (rare: Readability rewrites little) takes the place of the last one found.
 */
function alignToFile(text: string, html: string): Int32Array {
  const visible = visibleText(html);
  const fileWords = tokenize(visible.text);
  const textWords = tokenize(text);
  const map: number[] = [];
  const LOOKAHEAD = 400;
  let cursor = 0;
  for (const word of textWords) {
    const limit = Math.min(fileWords.length, cursor + LOOKAHEAD);
    for (let j = cursor; j < limit; j++) {
      if (fileWords[j].norm === word.norm) {
        const fileStart = visible.fileOffset[fileWords[j].start];
        map.push(word.start, fileStart, fileOffsetEnd(visible, fileWords[j]) - fileStart);
        cursor = j + 1;
        break;
      }
    }
  }
  return Int32Array.from(map);
}

/**
 * The offset map of an HTML source as a function from text offsets to file
 * offsets. The map is plain data (triples: a word's offset in the text, its
 * offset in the file, its length in the file) so a source can be stored and
 * sent between threads; the function is made again from it.
 */
export function fileOffsetFunction(map: Int32Array, text: string, fileText: string): (textOffset: number) => number {
  const count = map.length / 3;
  const textAt = (i: number) => map[3 * i];
  const fileAt = (i: number) => map[3 * i + 1];
  const lengthAt = (i: number) => map[3 * i + 2];
  /** `text[from, from + n)` stands just before `at` in the file (punctuation such as "$" before a figure). */
  const precedes = (from: number, n: number, at: number) => n > 0 && n <= 8 && fileText.slice(at - n, at) === text.slice(from, from + n);
  return (textOffset: number) => {
    if (count === 0) return 0;
    if (textOffset < textAt(0)) {
      const gap = textAt(0) - textOffset;
      return precedes(textOffset, gap, fileAt(0)) ? fileAt(0) - gap : fileAt(0);
    }
    const lo = lastAtOrBelow(count, textAt, textOffset);
    const delta = textOffset - textAt(lo);
    if (delta > lengthAt(lo) && lo + 1 < count) {
      // Between two words: count back from the next word when the file has the same characters there.
      const gap = textAt(lo + 1) - textOffset;
      if (precedes(textOffset, gap, fileAt(lo + 1))) return fileAt(lo + 1) - gap;
    }
    return fileAt(lo) + Math.min(delta, lengthAt(lo));
  };
}

function fileOffsetEnd(visible: { fileOffset: number[] }, word: Token): number {
  return visible.fileOffset[word.end - 1] + 1;
}

/**
 * The page's visible text with, for each of its characters, the offset in the
 * file where it stands (an entity's character stands at its `&`). Text in
 * scripts, styles and the like is left out; a tag between two pieces of text becomes a space.
 */
function visibleText(html: string): { text: string; fileOffset: number[] } {
  let text = '';
  const fileOffset: number[] = [];
  let hidden = 0;
  let lastEnd = -1;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (HIDDEN.has(name.toLowerCase())) hidden++;
      },
      onclosetag(name) {
        if (HIDDEN.has(name.toLowerCase()) && hidden > 0) hidden--;
      },
      ontext(data) {
        if (hidden > 0) return;
        const start = parser.startIndex;
        const end = parser.endIndex;
        if (lastEnd >= 0 && start > lastEnd + 1) {
          text += ' ';
          fileOffset.push(start);
        }
        const raw = end - start + 1;
        for (let i = 0; i < data.length; i++) fileOffset.push(data.length === raw ? start + i : start);
        text += data;
        lastEnd = end;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return { text, fileOffset };
}
