/**
 * Citation keys in drafts, and citations and bibliographies in the configured
 * style. Every formatted citation and reference entry comes from a CSL
 * processor (`@citation-js/core` + `@citation-js/plugin-csl`): APA as bundled,
 * a small inline style of our own ("(Xinhua, 29 Dec 2023)"), or the user's CSL
 * file. Metadata is never invented: a missing date is left to the style, which
 * writes "n.d.".
 *
 * The core does no IO: the host reads the user's CSL file and hands its text
 * to `useCslStyle`.
 */
import Fuse from 'fuse.js';
import type { Finding, Fix, Source, SourceRef, Span, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import type { ParsedDraft } from '../draft/parseDraft';
import type { DraftAnalysis } from './analysis';

// citation-js ships no type declarations; this is the small surface used here.
interface CslEngineConfig {
  styles: { add(name: string, xml: string): void; has(name: string): boolean };
}
interface CitationJs {
  Cite: new (data: object[]) => { format(kind: 'bibliography' | 'citation', options: Record<string, unknown>): string };
  plugins: { config: { get(name: string): CslEngineConfig } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const citationJs = require('@citation-js/core') as CitationJs;
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@citation-js/plugin-csl');

export interface CitationCheck extends Span {
  kind: 'citation';
  key: string;
  sourceId?: string;
  findings: Finding[];
  support: [];
}

/** How many closest keys an unknown key's quick fixes offer. */
const KEY_FIXES = 3;

const keyFinders = new WeakMap<CorpusIndex, { generation: number; fuse: Fuse<string> }>();

/** The known keys closest to `key`, best first (fuse.js over the keys: a few thousand short strings). */
export function closestKeys(key: string, index: CorpusIndex, limit = KEY_FIXES): string[] {
  let cached = keyFinders.get(index);
  if (!cached || cached.generation !== index.generation) {
    cached = { generation: index.generation, fuse: new Fuse(index.keys(), { threshold: 0.6, ignoreLocation: true, includeScore: true }) };
    keyFinders.set(index, cached);
  }
  // Only keys nearly as close as the best: a fix to an unrelated key is noise.
  const results = cached.fuse.search(key, { limit });
  const best = results[0]?.score ?? 1;
  return results.filter((r) => (r.score ?? 1) <= Math.min(0.4, best + 0.15)).map((r) => r.item);
}

/** Checks each citation key of a draft; an unknown one gets `citation-unknown` with fixes to the closest keys. */
export function checkCitationKeys(parsed: ParsedDraft, index: CorpusIndex, memory?: CitationMemory): CitationCheck[] {
  return parsed.citations.map((c) => (memory ? memory.check(c, () => checkCitationKey(c, index)) : checkCitationKey(c, index)));
}

/** Lets the analysis of a draft keep the checks of its citation keys from one version to the next (a check depends only on the key and the index). */
export interface CitationMemory {
  /** The check of `citation`: `run()`, or the one remembered for the same key. */
  check(citation: Span & { key: string }, run: () => CitationCheck): CitationCheck;
}

function checkCitationKey(c: Span & { key: string }, index: CorpusIndex): CitationCheck {
  const source = index.getByKey(c.key);
  const findings: Finding[] = [];
  if (!source) {
    const fixes: Fix[] = closestKeys(c.key, index).map((key, i) => ({
      title: `Change to ${key}`,
      edits: [{ start: c.start, end: c.end, newText: key }],
      preferred: i === 0 ? true : undefined,
    }));
    const hint = fixes.length ? ` Did you mean ${closestKeys(c.key, index, 1)[0]}?` : '';
    findings.push({ code: 'citation-unknown', severity: 'warning', start: c.start, end: c.end, message: `No source has the citation key "${c.key}".${hint}`, related: [], fixes });
  }
  return { kind: 'citation', key: c.key, start: c.start, end: c.end, sourceId: source?.id, findings, support: [] };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Xinhua, 29 Dec 2023": outlet (or title, or key) and whatever part of the date is known. For labels, not citations. */
export function describeSource(source: Source): string {
  const who = source.meta.outlet ?? source.meta.title ?? source.key;
  const parts = (source.meta.date ?? '').split('-').map(Number);
  const date = parts[0] ? [parts[2], parts[1] ? MONTHS[parts[1] - 1] : undefined, parts[0]].filter(Boolean).join(' ') : '';
  return date ? `${who}, ${date}` : who;
}

/** The source as a CSL-JSON item, with only the fields we know. */
export function cslItem(source: Source): Record<string, unknown> {
  const m = source.meta;
  const item: Record<string, unknown> = { id: source.key, type: 'article-newspaper' };
  if (m.title) item.title = m.title;
  if (m.outlet) item['container-title'] = m.outlet;
  if (m.author) item.author = [{ literal: m.author }];
  if (m.url) item.URL = m.url;
  if (m.language) item.language = m.language;
  const parts = (m.date ?? '').split('-').map(Number).filter((n) => Number.isFinite(n) && n > 0);
  if (parts.length) item.issued = { 'date-parts': [parts] };
  if (!m.title && !m.outlet) item.title = source.relativePath;
  return item;
}

/** Our inline style: "(Outlet, 29 Dec 2023)", "(Outlet, n.d.)"; a CSL style, so the processor does the formatting. */
const INLINE_CSL = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-GB">
  <info><title>Corroborate inline</title><id>corroborate-inline</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=", ">
        <choose>
          <if variable="container-title"><text variable="container-title"/></if>
          <else-if variable="title"><text variable="title"/></else-if>
          <else><text variable="citation-key"/></else>
        </choose>
        <choose>
          <if variable="issued">
            <date variable="issued"><date-part name="day" suffix=" "/><date-part name="month" form="short" strip-periods="true" suffix=" "/><date-part name="year"/></date>
          </if>
          <else><text term="no date" form="short"/></else>
        </choose>
      </group>
    </layout>
  </citation>
  <bibliography>
    <layout><group delimiter=". "><text variable="title"/><text variable="container-title"/><date variable="issued" form="text"/></group></layout>
  </bibliography>
</style>`;

const cslConfig = () => citationJs.plugins.config.get('@csl');
cslConfig().styles.add('corroborate-inline', INLINE_CSL);

/** User CSL files registered by `useCslStyle`: path → template name (or the problem that stopped it). */
const userStyles = new Map<string, { xml: string; template?: string; problem?: string }>();

/**
 * Registers the text of the CSL file the user named in `corroborate.citation.cslFile`
 * (read by the host). Returns a problem message when it is not a usable CSL
 * style; citations then fall back to APA. Registering the same text twice is free.
 */
export function useCslStyle(path: string, xml: string): string | undefined {
  const known = userStyles.get(path);
  if (known && known.xml === xml) return known.problem;
  const template = `corroborate-user-${userStyles.size + 1}`;
  let problem: string | undefined;
  try {
    if (!/<style[\s>]/.test(xml)) throw new Error('it is not a CSL style (no <style> element)');
    cslConfig().styles.add(template, xml);
    // Format a sample so a broken style is reported now, not on the user's next citation.
    new citationJs.Cite([{ id: 'probe', type: 'article-newspaper', title: 'Probe', 'container-title': 'Probe' }]).format('bibliography', { template, format: 'text', lang: 'en-US' });
  } catch (e) {
    problem = `corroborate.citation.cslFile: cannot use ${path}: ${e instanceof Error ? e.message : String(e)}; using APA instead`;
  }
  userStyles.set(path, { xml, template: problem ? undefined : template, problem });
  return problem;
}

/** The CSL template for reference entries (and APA-style in-text citations) under these settings. */
function entryTemplate(settings: Settings): string {
  const user = settings.citation.cslFile ? userStyles.get(settings.citation.cslFile)?.template : undefined;
  return user ?? 'apa';
}

const formatted = new WeakMap<Source, Map<string, string>>();

/** Formats one source through the CSL processor; cached per source object (a changed file is a new object). */
function cslFormat(source: Source, kind: 'bibliography' | 'citation', template: string): string {
  let cache = formatted.get(source);
  if (!cache) formatted.set(source, (cache = new Map()));
  const cacheKey = `${kind}\u0000${template}`;
  let out = cache.get(cacheKey);
  if (out === undefined) {
    try {
      out = new citationJs.Cite([cslItem(source)]).format(kind, { template, format: 'text', lang: 'en-US', entry: [source.key] }).trim();
    } catch {
      out = template === 'apa' ? `${source.meta.title ?? source.relativePath}. ${source.meta.outlet ?? ''}`.trim() : cslFormat(source, kind, 'apa');
    }
    cache.set(cacheKey, out);
  }
  return out;
}

/**
 * Formats a sample item in the styles these settings use, so the CSL
 * processor's one-time start (parsing the style and locale: seconds on a busy
 * machine) happens when the host chooses, not inside the first hover or citation.
 */
export function warmCitationStyles(settings: Settings): void {
  const probe = new citationJs.Cite([{ id: 'warm', type: 'article-newspaper', title: 'Warm', 'container-title': 'Warm', issued: { 'date-parts': [[2024, 1, 1]] } }]);
  const templates = new Set([entryTemplate(settings), settings.citation.style === 'inline' ? 'corroborate-inline' : 'apa']);
  for (const template of templates) {
    try {
      probe.format('bibliography', { template, format: 'text', lang: 'en-US' });
      probe.format('citation', { template, format: 'text', lang: 'en-US' });
    } catch {
      // A broken user style is reported when it is loaded; warming is best effort.
    }
  }
}

/** The reference-list entry of a source (APA, or the user's CSL style). */
export function bibliographyEntry(source: Source, settings: Settings): string {
  return cslFormat(source, 'bibliography', entryTemplate(settings));
}

/**
 * The in-text citation of a source in the configured style: `[@key]` (pandoc),
 * the note text (footnote: the number depends on the draft, see `citationEdit`),
 * "(Xinhua, 29 Dec 2023)" (inline), or the CSL citation (apa, or the user's CSL file).
 */
export function formatCitation(source: Source, settings: Settings): string {
  switch (settings.citation.style) {
    case 'pandoc':
      return `[@${source.key}]`;
    case 'footnote':
      return bibliographyEntry(source, settings);
    case 'inline':
      return cslFormat(source, 'citation', settings.citation.cslFile && userStyles.get(settings.citation.cslFile)?.template ? entryTemplate(settings) : 'corroborate-inline');
    case 'apa':
    default:
      return cslFormat(source, 'citation', entryTemplate(settings));
  }
}

/** Markdown for the hover on a citation key: the source it names, or the closest keys. */
export function citationHover(check: CitationCheck, index: CorpusIndex): string {
  const source = check.sourceId ? index.get(check.sourceId) : undefined;
  if (!source) {
    const near = closestKeys(check.key, index);
    return `No source has the citation key \`${check.key}\`.` + (near.length ? ` Closest: ${near.map((k) => `\`${k}\``).join(', ')}.` : '');
  }
  const m = source.meta;
  return [
    `**${m.title ?? source.relativePath}**`,
    [m.outlet, m.author, m.date ?? 'date unknown'].filter(Boolean).join(' · '),
    m.url ? `<${m.url}>` : undefined,
    `\`${source.key}\` · [${source.relativePath}](${source.id})`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Footnote labels used in a draft (`[^3]`, `[^note]`) and the definitions already written. */
function footnotes(text: string): { max: number; definitions: Map<string, string> } {
  let max = 0;
  for (const m of text.matchAll(/\[\^(\d+)\]/g)) max = Math.max(max, Number(m[1]));
  const definitions = new Map<string, string>();
  for (const m of text.matchAll(/^\[\^([^\]\s]+)\]:[ \t]*(.*)$/gm)) definitions.set(m[2].trim(), m[1]);
  return { max, definitions };
}

/** An edit appending `block` at the end of the draft, after one blank line. */
function appendAtEnd(text: string, block: string): TextEdit {
  const trailing = /\s*$/.exec(text)![0];
  const start = text.length - trailing.length;
  return { start, end: text.length, newText: (start > 0 ? '\n\n' : '') + block + '\n' };
}

/**
 * Cites `source` right after the quotation at `offset` (after its closing
 * mark), at the end of the sentence holding the figure at `offset` (before its
 * full stop; a footnote marker after it), or at `offset` itself when nothing
 * is there. Footnote style adds `[^n]` and its definition at the end,
 * numbering after the draft's own footnotes and reusing an existing note for the same source.
 */
export function citationEdit(analysis: DraftAnalysis, offset: number, source: Source, _index: CorpusIndex, settings: Settings): TextEdit[] {
  const text = analysis.parsed.draft.text;
  const quote = analysis.quotes.find((i) => i.start <= offset && offset <= i.end);
  const figure = quote ? undefined : analysis.figures.find((i) => i.start <= offset && offset <= i.end);
  let at = Math.min(quote ? quote.end : offset, text.length);
  if (figure) {
    // "About 2,500 troops remain [@key]." reads better than a citation between a number and what it counts.
    const end = /[.!?](?=["”’)\]]*(?:\s|$))|\n|$/.exec(text.slice(figure.end));
    at = figure.end + (end ? end.index : 0);
    if (settings.citation.style === 'footnote' && /[.!?]/.test(text[at] ?? '')) at++;
  }
  if (settings.citation.style === 'footnote') {
    const entry = bibliographyEntry(source, settings);
    const { max, definitions } = footnotes(text);
    const existing = definitions.get(entry);
    if (existing) return [{ start: at, end: at, newText: `[^${existing}]` }];
    const label = String(max + 1);
    return [{ start: at, end: at, newText: `[^${label}]` }, appendAtEnd(text, `[^${label}]: ${entry}`)];
  }
  return [{ start: at, end: at, newText: ' ' + formatCitation(source, settings) }];
}

const REFERENCES_START = '<!-- corroborate:references -->';
const REFERENCES_END = '<!-- /corroborate:references -->';

/** The sources a draft cites: its known `[@key]` citations, footnotes and inline citations that name a source, in order of first citation. */
export function citedSources(parsed: ParsedDraft, index: CorpusIndex, settings: Settings): Source[] {
  const out = new Map<string, Source>();
  const cited: Array<{ at: number; source: Source }> = [];
  for (const c of parsed.citations) {
    const source = index.getByKey(c.key);
    if (source) cited.push({ at: c.start, source });
  }
  const text = parsed.draft.text;
  // Inline citations as this module writes them: "(Xinhua, 29 Dec 2023)", "(IraqiNews.com, n.d.)".
  const parentheticals = [...text.matchAll(/\(([^()\n]{2,200}?, (?:\d{1,2} )?(?:[A-Z][a-z]{2} )?(?:\d{4}|n\.d\.))\)/g)];
  if (parentheticals.length) {
    const byLabel = new Map<string, Source>();
    for (const source of index.all()) {
      const label = source.meta.date ? describeSource(source) : `${describeSource(source)}, n.d.`;
      if (!byLabel.has(label)) byLabel.set(label, source);
    }
    for (const p of parentheticals) {
      const source = byLabel.get(p[1]);
      if (source) cited.push({ at: p.index ?? 0, source });
    }
  }
  const definitions = [...text.matchAll(/^\[\^([^\]\s]+)\]:[ \t]*(.*)$/gm)];
  if (definitions.length) {
    // The processor turns straight apostrophes into curly ones: compare without them.
    const plain = (s: string) => s.replace(/['’‘]/g, '').toLowerCase();
    const notes = definitions.map((d) => ({ at: d.index ?? 0, text: plain(d[2]) }));
    for (const source of index.all()) {
      const title = source.meta.title ? plain(source.meta.title) : undefined;
      for (const d of notes) {
        // Formatting every source would be slow on a large corpus: only sources without a title, whose outlet the note names, are formatted.
        const outlet = source.meta.outlet ? plain(source.meta.outlet) : undefined;
        const named = title ? title.length >= 12 && d.text.includes(title) : !!outlet && d.text.includes(outlet) && d.text.trim() === plain(bibliographyEntry(source, settings));
        if (named) {
          cited.push({ at: d.at, source });
          break;
        }
      }
    }
  }
  for (const c of cited.sort((a, b) => a.at - b.at)) if (!out.has(c.source.id)) out.set(c.source.id, c.source);
  return [...out.values()];
}

/**
 * Edits that write a references list of the sources the draft cites, in the
 * configured style (reference entries come from the CSL processor, APA or the
 * user's CSL file). Replaces an earlier Corroborate references section, else appends at the end.
 */
export function bibliographyEdit(parsed: ParsedDraft, index: CorpusIndex, settings: Settings): TextEdit[] {
  const sources = citedSources(parsed, index, settings);
  if (sources.length === 0) return [];
  const template = entryTemplate(settings);
  let entries: string[];
  try {
    // One processor call for all entries, so the style sorts and disambiguates them ("2023a", "2023b").
    const out = new citationJs.Cite(sources.map(cslItem)).format('bibliography', { template, format: 'text', lang: 'en-US' });
    entries = out.split(/\n+/).map((e) => e.trim()).filter(Boolean);
  } catch {
    entries = sources.map((s) => bibliographyEntry(s, settings));
  }
  const body = entries.join('\n\n');
  const heading = parsed.draft.languageId === 'markdown' ? '## References' : 'References';
  const block = `${REFERENCES_START}\n${heading}\n\n${body}\n${REFERENCES_END}`;
  const text = parsed.draft.text;
  const start = text.indexOf(REFERENCES_START);
  const end = start >= 0 ? text.indexOf(REFERENCES_END, start) : -1;
  if (start >= 0 && end >= 0) return [{ start, end: end + REFERENCES_END.length, newText: block }];
  return [appendAtEnd(text, block)];
}

/**
 * The citation part of a hover on a verified quotation or figure: for each
 * supporting source, a ready citation in the configured style and an
 * "Insert citation" command link. Quote and figure hovers append it.
 * `draftId` and `offset` say where the citation goes (after the item at offset).
 */
export function citationHoverSection(support: SourceRef[], draftId: string, offset: number, index: CorpusIndex, settings: Settings): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const ref of support) {
    const source = index.get(ref.sourceId);
    if (!source || seen.has(source.id)) continue;
    seen.add(source.id);
    const args = encodeURIComponent(JSON.stringify([draftId, offset, source.key]));
    const shown = settings.citation.style === 'footnote' ? `[^n]: ${formatCitation(source, settings)}` : formatCitation(source, settings);
    lines.push(`Cite ${describeSource(source)}: \`${shown.replace(/`/g, "'")}\` · [Insert citation](command:corroborate.server.insertCitation?${args})`);
  }
  return lines.join('\n\n');
}
