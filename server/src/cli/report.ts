/**
 * The HTML fact-check report: one self-contained page (inline style and
 * script, no network) with a summary at the top and the draft with every
 * quotation, figure and citation key highlighted by verdict; a click shows its
 * source passages side by side. It reads the same analysis as the editor's
 * diagnostics and hovers. Every piece of draft and source text goes through
 * `escapeHtml`: a hostile article cannot put markup or script in the page.
 */
import { createHash } from 'node:crypto';
import { diffWords } from 'diff';
import type { Draft, Finding, Source, SourceRef, Span } from '../core/types';
import type { CorpusIndex } from '../core/index/corpusIndex';
import type { DraftAnalysis } from '../core/service';
import { formatCitation } from '../core/features/citations';
import type { Settings } from '../core/settings';
import { DraftPlaces, fixedText, sourcePlace } from './located';
import { severityWord } from './format';
import { REPORT_CSS, REPORT_JS } from './reportAssets';

export interface ReportInput {
  /** The draft's path as shown to the reader. */
  file: string;
  draft: Draft;
  analysis: DraftAnalysis;
  /** The findings after the user's severity settings (what `check` prints). */
  diagnostics: Finding[];
  index: CorpusIndex;
  /** For citations in the configured style. */
  settings: Settings;
  cwd: string;
  generated: Date;
}

/** The verdict classes a highlight can have; each has a colour in the style sheet. */
export type Verdict = 'verified' | 'mismatch' | 'unsourced' | 'paraphrase' | 'contradicted' | 'unchecked' | 'cited' | 'unknown-key';

interface ReportItem extends Span {
  id: number;
  kind: 'quote' | 'figure' | 'citation';
  verdict: Verdict;
  support: SourceRef[];
  findings: Finding[];
  /** For a citation: the source its key names. */
  citedSourceId?: string;
}

/** Rows of the summary table, in reading order: what each verdict means to a fact-checker. */
const SUMMARY_ROWS: Array<{ kind: ReportItem['kind']; verdict: Verdict; label: string }> = [
  { kind: 'quote', verdict: 'verified', label: 'Quotations verified word for word' },
  { kind: 'quote', verdict: 'mismatch', label: 'Quotations that differ from the source' },
  { kind: 'quote', verdict: 'paraphrase', label: 'Paraphrases presented as quotations' },
  { kind: 'quote', verdict: 'unsourced', label: 'Quotations found in no source' },
  { kind: 'figure', verdict: 'verified', label: 'Figures the sources agree with' },
  { kind: 'figure', verdict: 'contradicted', label: 'Figures the sources contradict' },
  { kind: 'figure', verdict: 'unchecked', label: 'Figures the sources do not mention' },
  { kind: 'citation', verdict: 'cited', label: 'Citation keys of known sources' },
  { kind: 'citation', verdict: 'unknown-key', label: 'Unknown citation keys' },
];

const VERDICT_LABEL: Record<ReportItem['kind'], Partial<Record<Verdict, string>>> = {
  quote: { verified: 'Verified', mismatch: 'Mismatch', unsourced: 'Unsourced', paraphrase: 'Paraphrase' },
  figure: { verified: 'Agrees', contradicted: 'Contradicted', unchecked: 'Not in the sources' },
  citation: { cited: 'Cited source', 'unknown-key': 'Unknown key' },
};

/** What a source passage is to an item of each verdict, as the card's heading says. */
const ROLE: Record<Verdict, string> = {
  verified: 'Source',
  mismatch: 'Closest source wording',
  paraphrase: "The reporter's words, not a quotation",
  unsourced: 'Nearest passage',
  contradicted: 'What the source says',
  unchecked: 'Related passage',
  cited: 'The cited source',
  'unknown-key': 'Source',
};

const KIND_LABEL: Record<ReportItem['kind'], string> = { quote: 'Quotation', figure: 'Figure', citation: 'Citation key' };

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function items(analysis: DraftAnalysis, diagnostics: Finding[]): ReportItem[] {
  // The report lists findings at the severity the user configured, and not at all when silenced.
  const shown = (findings: Finding[]) =>
    findings.flatMap((f) => diagnostics.filter((d) => d.code === f.code && d.start === f.start && d.end === f.end)).filter((f, i, all) => all.indexOf(f) === i);
  const out: Array<Omit<ReportItem, 'id'>> = [
    ...analysis.quotes.map((q) => ({ kind: 'quote' as const, verdict: q.verdict as Verdict, start: q.start, end: q.end, support: q.support, findings: shown(q.findings) })),
    ...analysis.figures.map((f) => ({
      kind: 'figure' as const,
      verdict: (f.verdict === 'agrees' ? 'verified' : f.verdict === 'contradicted' ? 'contradicted' : 'unchecked') as Verdict,
      start: f.start,
      end: f.end,
      support: f.support,
      findings: shown(f.findings),
    })),
    ...analysis.citations.map((c) => ({
      kind: 'citation' as const,
      verdict: (c.sourceId ? 'cited' : 'unknown-key') as Verdict,
      start: c.start,
      end: c.end,
      support: [] as SourceRef[],
      findings: shown(c.findings),
      citedSourceId: c.sourceId,
    })),
  ];
  return out.sort((a, b) => a.start - b.start || b.end - a.end).map((item, id) => ({ ...item, id }));
}

/** A span of the draft drawn differently: a highlight, or markup that is not prose (headings, front matter, comments). */
export interface Layer extends Span {
  open: string;
  close: string;
  /** Highlights go inside decorations that start at the same place. */
  rank: number;
}

function decorations(draft: Draft, analysis: DraftAnalysis): Layer[] {
  const out: Layer[] = [];
  const text = draft.text;
  if (draft.languageId === 'markdown') {
    const front = /^(?:---|\+\+\+)\r?\n[\s\S]*?\r?\n(?:---|\+\+\+)[ \t]*(?=\r?\n|$)/.exec(text);
    if (front) out.push({ start: 0, end: front[0].length, open: '<span class="aside">', close: '</span>', rank: 0 });
    for (const m of text.matchAll(/<!--[\s\S]*?-->/g)) {
      out.push({ start: m.index, end: m.index + m[0].length, open: '<span class="aside">', close: '</span>', rank: 0 });
    }
    for (const heading of analysis.parsed.structural) {
      if (/^#{1,6}\s/.test(text.slice(heading.start, heading.end))) out.push({ ...heading, open: '<span class="heading">', close: '</span>', rank: 0 });
    }
  }
  return out;
}

/**
 * The draft as HTML: escaped text with the layers nested in it. A layer that
 * would cross the end of the one it starts in is cut there, so tags always nest.
 */
export function renderDraft(text: string, layers: Layer[]): string {
  const sorted = [...layers].filter((l) => l.end > l.start).sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  let html = '';
  let at = 0;
  const stack: Layer[] = [];
  const closeUntil = (offset: number) => {
    while (stack.length && stack[stack.length - 1].end <= offset) {
      const top = stack.pop()!;
      html += escapeHtml(text.slice(at, top.end)) + top.close;
      at = top.end;
    }
  };
  for (const layer of sorted) {
    closeUntil(layer.start);
    const parent = stack[stack.length - 1];
    const end = parent ? Math.min(layer.end, parent.end) : layer.end;
    if (end <= layer.start) continue;
    html += escapeHtml(text.slice(at, layer.start)) + layer.open;
    at = layer.start;
    stack.push({ ...layer, end });
  }
  closeUntil(Infinity);
  return html + escapeHtml(text.slice(at));
}

/** The draft line around an item, with the item in bold, cut to a readable window. */
function inContext(text: string, item: Span): string {
  const WINDOW = 160;
  const lineStart = text.lastIndexOf('\n', item.start - 1) + 1;
  const lineEnd = text.indexOf('\n', item.end) < 0 ? text.length : text.indexOf('\n', item.end);
  const start = Math.max(lineStart, item.start - WINDOW);
  const end = Math.min(lineEnd, item.end + WINDOW);
  const clean = (s: string) => escapeHtml(s.replace(/\s+/g, ' '));
  return `${start > lineStart ? '… ' : ''}${clean(text.slice(start, item.start))}<b>${clean(text.slice(item.start, item.end))}</b>${clean(text.slice(item.end, end))}${end < lineEnd ? ' …' : ''}`;
}

/** The sentences of a source around a passage, with the passage itself in bold. */
function passageInContext(source: Source, ref: Span): string {
  const text = source.text;
  const around = source.sentences.filter((s) => s.end > ref.start && s.start < ref.end);
  let start = around.length ? Math.min(ref.start, around[0].start) : Math.max(source.bodyStart, ref.start - 160);
  let end = around.length ? Math.max(ref.end, around[around.length - 1].end) : Math.min(text.length, ref.end + 160);
  // Long sentences are cut to a readable window around the passage.
  const MAX_CONTEXT = 220;
  const before = ref.start - start > MAX_CONTEXT;
  const after = end - ref.end > MAX_CONTEXT;
  if (before) start = ref.start - MAX_CONTEXT;
  if (after) end = ref.end + MAX_CONTEXT;
  const clean = (s: string) => escapeHtml(s.replace(/\s+/g, ' '));
  return `${before ? '… ' : ''}${clean(text.slice(start, ref.start))}<b>${clean(text.slice(ref.start, ref.end))}</b>${clean(text.slice(ref.end, end))}${after ? ' …' : ''}`;
}

function formatDate(date: string | undefined): string {
  if (!date) return 'date unknown';
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : undefined;
  return parsed && !Number.isNaN(parsed.getTime())
    ? parsed.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    : date;
}

function sourceCard(source: Source, role: string, input: ReportInput, ref?: SourceRef): string {
  const place = ref ? sourcePlace(ref, input.index, input.cwd) : undefined;
  const m = source.meta;
  const file = place ? `${place.file}:${place.line}` : sourcePlace({ sourceId: source.id, start: source.bodyStart, end: source.bodyStart }, input.index, input.cwd)?.file ?? source.relativePath;
  return [
    `<div class="source">`,
    `<div class="role">${escapeHtml(role)}</div>`,
    `<div><span class="outlet">${escapeHtml(m.outlet ?? 'Unknown outlet')}</span> · <span class="date">${escapeHtml(formatDate(m.date))}</span></div>`,
    m.title ? `<div class="title">${escapeHtml(m.title)}</div>` : '',
    ref ? `<div class="passage">${passageInContext(source, ref)}</div>` : '',
    `<div class="cite">Cite as <code>${escapeHtml(formatCitation(source, input.settings))}</code></div>`,
    `<div class="file code">${escapeHtml(file)}</div>`,
    `</div>`,
  ].join('');
}

function detailPanel(item: ReportItem, input: ReportInput, places: DraftPlaces): string {
  const { draft, index } = input;
  const where = places.of(item);
  const parts: string[] = [];
  parts.push(
    `<section class="detail v-${item.verdict}" id="detail-${item.id}" hidden>`,
    `<h3><span class="badge">${escapeHtml(VERDICT_LABEL[item.kind][item.verdict] ?? item.verdict)}</span>${escapeHtml(KIND_LABEL[item.kind])} <span class="where">line ${where.line}, column ${where.column}</span></h3>`,
    `<blockquote class="said">${inContext(draft.text, item)}</blockquote>`,
  );
  if (item.verdict === 'mismatch') {
    const closest = [...item.support, ...item.findings.flatMap((f) => f.related)].find((ref) => index.get(ref.sourceId));
    if (closest) parts.push(wordDiff(stripMarks(draft.text.slice(item.start, item.end)), index.get(closest.sourceId)!.text.slice(closest.start, closest.end)));
  }
  for (const finding of item.findings) {
    const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
    parts.push(
      `<div class="finding"><span class="sev sev-${finding.severity}">${escapeHtml(severityWord(finding.severity))}</span> <code>${escapeHtml(finding.code)}</code>`,
      `<div class="msg">${escapeHtml(finding.message)}</div>`,
      fix && fix.edits.length ? `<div class="fix">${escapeHtml(fix.title)}: <span class="fixtext">${escapeHtml(fixedText(draft.text, fix.edits).text)}</span></div>` : '',
      `</div>`,
    );
  }
  const cards: string[] = [];
  const seen = new Set<string>();
  const addRef = (ref: SourceRef, role: string) => {
    const id = `${ref.sourceId}#${ref.start}-${ref.end}`;
    const source = index.get(ref.sourceId);
    if (!source || seen.has(id)) return;
    seen.add(id);
    cards.push(sourceCard(source, role, input, ref));
  };
  item.support.forEach((ref) => addRef(ref, ROLE[item.verdict]));
  item.findings.forEach((f) => f.related.forEach((ref) => addRef(ref, ROLE[item.verdict])));
  if (item.kind === 'citation' && item.citedSourceId) {
    const source = index.get(item.citedSourceId);
    if (source) cards.push(sourceCard(source, 'The cited source', input));
  }
  if (cards.length) parts.push(`<div class="sources">${cards.join('')}</div>`);
  else if (item.kind !== 'citation') parts.push(`<p class="none">No source passage is close to these words.</p>`);
  parts.push(`</section>`);
  return parts.join('');
}

/** The quoted words without the quotation marks and trailing punctuation around them. */
function stripMarks(quoted: string): string {
  return quoted.replace(/^[\s"'“‘«„]+|[\s"'”’»,.;:!?]+$/gu, '');
}

/** The draft's words against the source's, word by word: what the draft dropped struck out, what it lacks underlined. */
function wordDiff(draftWords: string, sourceWords: string): string {
  const changes = diffWords(draftWords, sourceWords, { ignoreCase: true });
  const html = changes
    .map((c) => (c.removed ? `<del title="only in the draft">${escapeHtml(c.value)}</del>` : c.added ? `<ins title="in the source">${escapeHtml(c.value)}</ins>` : escapeHtml(c.value)))
    .join('');
  return `<div class="diff"><div class="role">Draft against source</div>${html}</div>`;
}

function summaryTable(reportItems: ReportItem[]): string {
  const rows = SUMMARY_ROWS.map(({ kind, verdict, label }) => {
    const n = reportItems.filter((i) => i.kind === kind && i.verdict === verdict).length;
    return `<tr class="${n ? '' : 'zero'}"><td><span class="swatch v-${verdict}"></span>${escapeHtml(label)}</td><td class="n">${n}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>Verdict</th><th class="n">Count</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function problemsTable(reportItems: ReportItem[], places: DraftPlaces): string {
  const rows = reportItems.flatMap((item) =>
    item.findings.map((f) => {
      const where = places.of(f);
      return `<tr data-item="${item.id}" tabindex="0"><td class="where">${where.line}:${where.column}</td><td><span class="sev sev-${f.severity}">${escapeHtml(severityWord(f.severity))}</span></td><td><code>${escapeHtml(f.code)}</code></td><td>${escapeHtml(f.message)}</td></tr>`;
    }),
  );
  if (rows.length === 0) return `<p class="none">No problems: every quotation, figure and citation key checked out.</p>`;
  return `<table class="problems"><thead><tr><th>Where</th><th>Severity</th><th>Code</th><th>Message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function sourcesTable(input: ReportInput): string {
  const rows = input.index.summaries().map((s) => {
    const file = sourcePlace({ sourceId: s.id, start: 0, end: 0 }, input.index, input.cwd)?.file ?? s.relativePath;
    return `<tr><td class="key"><code>${escapeHtml(s.key)}</code></td><td>${escapeHtml(s.outlet ?? '')}</td><td>${escapeHtml(s.date ?? '')}</td><td>${escapeHtml(s.title ?? '')}</td><td class="code">${escapeHtml(file)}</td></tr>`;
  });
  if (rows.length === 0) return `<p class="none">No sources were indexed.</p>`;
  return `<table class="sources-list"><thead><tr><th>Key</th><th>Outlet</th><th>Date</th><th>Title</th><th>File</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Only the report's own script may run: defence in depth behind the escaping. */
const SCRIPT_HASH = `sha256-${createHash('sha256').update(REPORT_JS).digest('base64')}`;

/** The whole report page for one draft. */
export function renderReport(input: ReportInput): string {
  const { draft, analysis, file } = input;
  const places = new DraftPlaces(draft);
  const reportItems = items(analysis, input.diagnostics);
  const highlights: Layer[] = reportItems.map((item) => ({
    start: item.start,
    end: item.end,
    rank: 1,
    open: `<mark class="hl ${item.kind} v-${item.verdict}" data-item="${item.id}" data-kind="${item.kind}" data-verdict="${item.verdict}" tabindex="0" role="button" title="${escapeHtml(`${KIND_LABEL[item.kind]}: ${VERDICT_LABEL[item.kind][item.verdict] ?? item.verdict}`)}">`,
    close: '</mark>',
  }));
  const problems = input.diagnostics.length;
  const legend = (['verified', 'mismatch', 'paraphrase', 'unsourced', 'contradicted', 'unchecked', 'cited', 'unknown-key'] as Verdict[])
    .filter((v) => reportItems.some((i) => i.verdict === v))
    .map((v) => `<span><span class="swatch v-${v}"></span>${escapeHtml(legendLabel(v))}</span>`)
    .join('');
  const title = `Corroborate report: ${file}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><h1><span class="brand">Corroborate</span>${escapeHtml(file)}</h1>
<div class="meta">${problems === 0 ? 'No problems' : `${problems} problem${problems === 1 ? '' : 's'}`} · ${reportItems.length} item${reportItems.length === 1 ? '' : 's'} checked against ${input.index.size} source${input.index.size === 1 ? '' : 's'} · generated ${escapeHtml(input.generated.toISOString().replace('T', ' ').slice(0, 16))} UTC</div></header>
<main>
<div class="summary-grid">
<section class="card" id="summary"><h2>Summary</h2>${summaryTable(reportItems)}</section>
<section class="card" id="problems"><h2>Problems</h2>${problemsTable(reportItems, places)}</section>
</div>
<div class="workspace">
<section class="card draft" id="draft"><div class="legend">${legend}</div>${renderDraft(draft.text, [...decorations(draft, analysis), ...highlights])}</section>
<aside class="card panel" id="panel"><h2>Sources</h2><p class="hint" id="detail-empty">Click a highlighted quotation, figure or citation to see the source passages behind it.</p>${reportItems.map((item) => detailPanel(item, input, places)).join('')}</aside>
</div>
<section class="card" id="corpus"><h2>Sources indexed</h2>${sourcesTable(input)}</section>
</main>
<footer>Made by Corroborate from the draft and the sources alone; nothing was sent over the network.</footer>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}

function legendLabel(verdict: Verdict): string {
  return {
    verified: 'verified / agrees',
    mismatch: 'misquoted',
    paraphrase: 'paraphrase as quote',
    unsourced: 'unsourced',
    contradicted: 'contradicted figure',
    unchecked: 'figure not in sources',
    cited: 'citation',
    'unknown-key': 'unknown citation',
  }[verdict];
}
