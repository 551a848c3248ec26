/**
 * Completions that pull wording, spellings and numbers out of the sources:
 *
 * - inside an open quotation, the source passages that continue the typed words
 *   (found from their start or their middle), inserted with the source's exact
 *   wording and closed with the draft's own quotation mark;
 * - names, with each outlet's spellings grouped, most common first;
 * - figures, after a number or a counting word ("2,5", "troops");
 * - citation keys after `[@`.
 *
 * Every lookup goes through `CompletionIndex` (postings and sorted prefix
 * arrays), so the cost does not grow with the corpus; fuse.js only ranks a few
 * thousand short labels (keys, names) when prefix lookups find nothing. The
 * list is capped and checked for cancellation between stages.
 */
import Fuse from 'fuse.js';
import type { Cancellation, Draft, Source, TextEdit } from '../types';
import type { CorpusIndex } from '../index/corpusIndex';
import type { Settings } from '../settings';
import { parseDraft, within } from '../draft/parseDraft';
import { CompletionIndex, type NameGroup, type SourceFigure } from '../index/completionIndex';
import { normalizeWord, tokenize, type Token } from '../text';
import { describeSource } from './citations';

export interface Completion {
  label: string;
  kind: 'quote' | 'name' | 'figure' | 'citation';
  /** Replaces `[edit.start, edit.end)` of the draft. */
  edit: TextEdit;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Ranking: lower sorts first. */
  sortText: string;
  filterText?: string;
}

/** Most items returned for one request: enough to choose from, few enough to never flood the list. */
export const MAX_COMPLETIONS = 30;
/** Candidate passages aligned for one quote completion, at most. */
const MAX_CANDIDATES = 120;
/** Above this many labels, fuse.js is too slow for the typing budget (MEASURED.md) and only prefix lookups run. */
const FUZZY_LABEL_LIMIT = 3000;

/** Opening mark → the closing mark the draft expects. */
const CLOSING: Record<string, string> = { '"': '"', '\u201c': '\u201d', '\u201e': '\u201c', '\u00ab': '\u00bb', '\u2018': '\u2019', '\u201a': '\u2018' };

/** Nouns a writer may use for the same counted thing. */
const COUNTED_SYNONYMS = [
  ['troops', 'soldiers', 'forces', 'personnel', 'servicemen', 'service'],
  ['attacks', 'strikes', 'assaults', 'raids'],
  ['people', 'persons', 'civilians', 'individuals'],
  ['killed', 'dead', 'deaths', 'fatalities'],
  ['wounded', 'injured', 'injuries'],
  ['militiamen', 'fighters', 'militants'],
];

/**
 * The completions at `offset` of a draft, best first, at most `MAX_COMPLETIONS`.
 * Which kind depends on where the cursor is: after `[@` keys, inside an open
 * quotation source passages, after digits figures, after a capitalised word
 * names, after a lower-case word the figures that count it.
 */
export function completionsAt(draft: Draft, offset: number, index: CorpusIndex, _settings: Settings, token: Cancellation): Completion[] {
  const text = draft.text;
  if (offset < 0 || offset > text.length) return [];
  const before = text.slice(Math.max(0, offset - 400), offset);
  const key = /\[[^\]\n]*?-?@([\p{L}\p{N}_:.#$%&+?<>~/-]*)$/u.exec(before);
  const part = index.part(CompletionIndex);
  if (!part || token.isCancellationRequested) return [];
  if (key) return keyCompletions(part, index, key[1], offset, token);
  if (!inProse(draft, offset)) return [];
  const quote = openQuotation(text, offset);
  if (quote) return quoteCompletions(text, part, index, quote.start, quote.mark, offset, token);
  const number = /(?<![\p{L}\p{N}])[$€£]?\p{N}[\p{N},.]*$/u.exec(before);
  if (number) return figureCompletionsByNumber(part, index, number[0], offset, token);
  const word = /(?<![\p{L}\p{M}\p{N}'’-])[\p{L}\p{M}][\p{L}\p{M}'’-]*$/u.exec(before);
  if (!word) return [];
  if (/^\p{Lu}/u.test(word[0])) return nameCompletions(part, index, before, offset, token);
  return word[0].length >= 3 ? figureCompletionsByNoun(part, index, word[0], offset, token) : [];
}

/**
 * Whether the cursor is in prose (not code, not HTML). Only the paragraph
 * around the cursor is parsed: completion runs on every keystroke, and parsing
 * a whole long draft each time would eat the typing budget. Fenced code is
 * found by counting the fences before the cursor.
 */
function inProse(draft: Draft, offset: number): boolean {
  if (draft.languageId !== 'markdown') return true;
  const text = draft.text;
  const fences = text.slice(0, offset).match(/^ {0,3}(?:```|~~~)/gm);
  if (fences && fences.length % 2 === 1) return false;
  const blank = /\n[ \t]*\n/g;
  let start = 0;
  for (let m = blank.exec(text); m && m.index + m[0].length <= offset; m = blank.exec(text)) start = m.index + m[0].length;
  blank.lastIndex = offset;
  const next = blank.exec(text);
  const end = next ? next.index : text.length;
  const block = parseDraft({ ...draft, text: text.slice(start, end) });
  const at = offset - start;
  // The cursor sits at the end of the text it is typing, so a prose span ending at `offset` counts.
  return within(block.prose, at) || within(block.prose, Math.max(0, at - 1), at);
}

/**
 * The quotation open at `offset`: its opening mark and where its words start,
 * or `undefined` when every quotation of the paragraph before the cursor is closed.
 */
export function openQuotation(text: string, offset: number): { mark: string; start: number } | undefined {
  const blank = text.lastIndexOf('\n\n', offset - 1);
  const paragraphStart = Math.max(blank < 0 ? 0 : blank + 2, offset - 2000);
  let open: { mark: string; start: number } | undefined;
  for (let i = paragraphStart; i < offset; i++) {
    const c = text[i];
    const prev = i > 0 ? text[i - 1] : ' ';
    const next = text[i + 1] ?? ' ';
    if (open) {
      const close = CLOSING[open.mark];
      // A closing single mark between letters is an apostrophe ("Iraq’s"), not the end of the quotation.
      if (c === close && !(c === '\u2019' && /\p{L}/u.test(prev) && /\p{L}/u.test(next))) open = undefined;
      continue;
    }
    if (c in CLOSING && c !== '\u2019' && c !== '\u2018') {
      open = { mark: c, start: i + 1 };
    } else if (c === '\u2018' && !/\p{L}/u.test(prev)) {
      open = { mark: c, start: i + 1 };
    }
  }
  return open;
}

/** One way to complete a quotation: source wording from an aligned start to the passage end. */
interface QuoteCandidate {
  source: Source;
  insert: string;
  score: number;
  kind: 'quote' | 'sentence';
  fromPassageStart: boolean;
  speaker?: string;
  /** Where the passage's sentence stands in the source's text (read only for the items shown). */
  sentenceStart: number;
  sentenceEnd: number;
}

function quoteCompletions(text: string, part: CompletionIndex, index: CorpusIndex, start: number, mark: string, offset: number, token: Cancellation): Completion[] {
  const typed = text.slice(start, offset);
  const queryTokens = tokenize(typed).slice(0, 30);
  if (queryTokens.length === 0 || typed.replace(/\s/g, '').length < 2) return [];
  const lastPartial = queryTokens[queryTokens.length - 1].end === typed.length;
  const query = queryTokens.map((t) => t.norm);
  const complete = lastPartial ? query.slice(0, -1) : query;

  // Candidates: the postings of the rarest complete word, or of the words the partial one may become.
  const options: Int32Array[] = complete.map((w) => part.passagesWith(w)).filter((l) => l.length > 0);
  let partialList: Int32Array | undefined;
  if (lastPartial) {
    const expansions = part.wordsStartingWith(query[query.length - 1], 64);
    const union = new Set<number>();
    // Stops when full: a common partial word ("th") has expansions with hundreds of thousands of passages each.
    for (const w of expansions) {
      for (const id of part.passagesWith(w)) {
        if (union.size === MAX_CANDIDATES) break;
        union.add(id);
      }
      if (union.size === MAX_CANDIDATES) break;
    }
    if (union.size) options.push((partialList = Int32Array.from(union)));
  }
  if (options.length === 0) return [];
  options.sort((a, b) => a.length - b.length);
  // With several typed words, keep the passages that hold the rarest ones together (postings are sorted by id, the
  // partial word's list is not).
  let candidates = options[0];
  for (let o = 1; o < Math.min(options.length, 4) && candidates.length > 100; o++) {
    const both = intersectSorted(candidates, options[o], options[o] !== partialList);
    if (both.length > 0) candidates = both;
  }
  candidates = candidates.slice(0, MAX_CANDIDATES);

  const close = CLOSING[mark] ?? mark;
  const found = new Map<string, QuoteCandidate[]>();
  for (let i = 0; i < candidates.length; i++) {
    if ((i & 255) === 255 && token.isCancellationRequested) return [];
    const passage = part.passage(candidates[i]);
    if (!passage) continue;
    const source = index.get(passage.sourceId);
    if (!source) continue;
    const words = part.tokensOf(source.text, passage.start, passage.end);
    const best = align(words, query, lastPartial);
    // Most typed words must be there, in order; one typed word must be matched as typed.
    if (!best || best.matched < Math.max(1, Math.ceil(query.length * 0.6))) continue;
    let insert = source.text.slice(words[best.at].start, passage.end).replace(/\s+/g, ' ').trim();
    insert = insert.replace(/[\s,;:]+$/, '');
    // The inserted text runs from the aligned word to the passage's end: its words are the passage's from there on.
    const norm = words.slice(best.at).map((t) => t.norm).join(' ');
    const candidate: QuoteCandidate = {
      source,
      insert,
      score: best.matched / query.length,
      kind: passage.kind,
      fromPassageStart: best.at === 0,
      speaker: passage.speaker,
      sentenceStart: passage.sentenceStart,
      sentenceEnd: passage.sentenceEnd,
    };
    const list = found.get(norm);
    if (list) {
      if (!list.some((c) => c.source.id === source.id)) list.push(candidate);
    } else found.set(norm, [candidate]);
  }

  const ranked = [...found.values()]
    .map((list) => list.sort((a, b) => rankQuote(a, b)))
    .sort((a, b) => rankQuote(a[0], b[0]) || b.length - a.length)
    .slice(0, MAX_COMPLETIONS);
  // Replace a closing mark the editor already typed after the cursor, so the quotation is not closed twice.
  const end = text[offset] === close ? offset + 1 : offset;
  return ranked.map((list, i) => {
    const best = list[0];
    const others = list.slice(1).map((c) => describeSource(c.source));
    return {
      label: best.insert.length > 90 ? best.insert.slice(0, 89) + '…' : best.insert,
      kind: 'quote' as const,
      edit: { start, end, newText: best.insert + close },
      detail: describeSource(best.source) + (others.length ? ` (also ${others.join('; ')})` : ''),
      documentation: [`> ${best.source.text.slice(best.sentenceStart, best.sentenceEnd).replace(/\s+/g, ' ')}`, best.speaker ? `— ${best.speaker}` : undefined, list.map((c) => `${describeSource(c.source)} · \`${c.source.key}\``).join('  \n')]
        .filter(Boolean)
        .join('\n\n'),
      sortText: String(i).padStart(4, '0'),
      filterText: typed,
    };
  });
}

/** Ids in both lists, in `a`'s order; `b` is sorted unless `bSorted` is false (the partial word's list: then a set is used). */
function intersectSorted(a: Int32Array, b: Int32Array, bSorted: boolean): Int32Array {
  if (!bSorted) {
    const set = new Set(b);
    return a.filter((id) => set.has(id));
  }
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return Int32Array.from(out);
}

function rankQuote(a: QuoteCandidate, b: QuoteCandidate): number {
  return (
    b.score - a.score ||
    (a.kind === 'quote' ? 0 : 1) - (b.kind === 'quote' ? 0 : 1) ||
    Number(b.fromPassageStart) - Number(a.fromPassageStart) ||
    (b.source.meta.date ?? '').localeCompare(a.source.meta.date ?? '') ||
    a.insert.length - b.insert.length
  );
}

/**
 * Where the typed words best line up with a passage: the start word and how
 * many typed words match there, in order (the last one as a prefix when it is
 * still being typed). Tries every start that puts a typed word on an equal passage word.
 */
function align(words: Array<Pick<Token, 'norm'>>, query: string[], lastPartial: boolean): { at: number; matched: number } | undefined {
  const matches = (k: number, w: string) => (k === query.length - 1 && lastPartial ? w.startsWith(query[k]) : w === query[k]);
  let best: { at: number; matched: number } | undefined;
  const tried = new Set<number>();
  for (let p = 0; p < words.length; p++) {
    for (let k = 0; k < query.length; k++) {
      const at = p - k;
      if (at < 0 || tried.has(at) || !matches(k, words[p].norm)) continue;
      tried.add(at);
      let matched = 0;
      for (let j = 0; j < query.length && at + j < words.length; j++) if (matches(j, words[at + j].norm)) matched++;
      if (!best || matched > best.matched) best = { at, matched };
    }
  }
  return best;
}

function nameCompletions(part: CompletionIndex, index: CorpusIndex, before: string, offset: number, token: Cancellation): Completion[] {
  // The last one to three words typed; the longest run that lines up with a name wins.
  const run = /(?:[\p{L}\p{M}'’-]+ ){0,2}[\p{L}\p{M}'’-]+$/u.exec(before);
  if (!run) return [];
  const typedWords = tokenize(run[0]);
  if (typedWords.length === 0) return [];
  for (let k = Math.min(3, typedWords.length); k >= 1; k--) {
    const words = typedWords.slice(typedWords.length - k);
    if (!/^\p{Lu}/u.test(run[0].slice(words[0].start))) continue;
    const query = words.map((w) => w.norm);
    if (query.join('').length < 2) continue;
    const start = offset - run[0].length + words[0].start;
    const groups = part.nameGroupsWithWord(query[0], 100);
    const hits: Array<{ group: NameGroup; atStart: boolean }> = [];
    for (const group of groups) {
      let atStart = false;
      let hit = false;
      for (const { norms } of group.variants.values()) {
        for (let i = 0; i + query.length <= norms.length; i++) {
          if (query.every((q, j) => (j === query.length - 1 ? norms[i + j].startsWith(q) : norms[i + j] === q))) {
            hit = true;
            if (i === 0) atStart = true;
          }
        }
      }
      if (hit) hits.push({ group, atStart });
    }
    if (token.isCancellationRequested) return [];
    if (hits.length === 0 && k === 1) {
      for (const group of fuzzyNameGroups(part, index, query[0])) hits.push({ group, atStart: false });
    }
    if (hits.length === 0) continue;
    hits.sort((a, b) => Number(b.atStart) - Number(a.atStart) || b.group.total - a.group.total);
    const typed = run[0].slice(words[0].start);
    const out: Completion[] = [];
    hits.forEach(({ group }, g) => {
      const variants = [...group.variants.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
      const spellings = variants.map((v) => `- ${v.text}: ${outletsOf(index, v.sources)} (${v.count})`).join('\n');
      variants.slice(0, 5).forEach((v, i) => {
        if (out.length >= MAX_COMPLETIONS) return;
        out.push({
          label: v.text,
          kind: 'name',
          edit: { start, end: offset, newText: v.text },
          detail: `${group.kind} · ${outletsOf(index, v.sources)}`,
          documentation: `**${variants[0].text}** (${group.kind}), spelled in the sources:\n\n${spellings}`,
          sortText: `${String(g).padStart(3, '0')}${String(i).padStart(2, '0')}`,
          filterText: typed,
        });
      });
    });
    return out;
  }
  return [];
}

const fuzzyNames = new WeakMap<CompletionIndex, { generation: number; fuse: Fuse<{ text: string; group: NameGroup }> }>();

/** Typos in a name ("Sudany"): fuse.js over the name labels, only while they are few enough to stay fast. */
function fuzzyNameGroups(part: CompletionIndex, index: CorpusIndex, query: string): NameGroup[] {
  if (query.length < 3 || part.nameGroupCount > FUZZY_LABEL_LIMIT) return [];
  let cached = fuzzyNames.get(part);
  if (!cached || cached.generation !== index.generation) {
    const labels = [...part.nameGroups()].flatMap((group) => [...group.variants.keys()].map((text) => ({ text, group })));
    cached = { generation: index.generation, fuse: new Fuse(labels, { keys: ['text'], threshold: 0.35, ignoreLocation: true }) };
    fuzzyNames.set(part, cached);
  }
  const groups = new Set<NameGroup>();
  for (const r of cached.fuse.search(query, { limit: 20 })) groups.add(r.item.group);
  return [...groups].slice(0, 10);
}

function outletsOf(index: CorpusIndex, sources: string[]): string {
  const names = sources.map((id) => {
    const s = index.get(id);
    return s ? s.meta.outlet ?? s.key : id;
  });
  const unique = [...new Set(names)];
  return unique.slice(0, 4).join(', ') + (unique.length > 4 ? ` +${unique.length - 4}` : '');
}

/** A figure and every source that states it in the same words. */
interface FigureGroup {
  figures: SourceFigure[];
  insert: string;
  label: string;
}

function figureItems(groups: FigureGroup[], index: CorpusIndex, start: number, end: number, typed: string): Completion[] {
  return groups.slice(0, MAX_COMPLETIONS).map((group, i) => {
    const first = group.figures[0];
    const source = index.get(first.sourceId);
    const sentence = source ? source.text.slice(first.sentenceStart, first.sentenceEnd).replace(/\s+/g, ' ') : '';
    const describe = (f: SourceFigure) => {
      const s = index.get(f.sourceId);
      return s ? describeSource(s) : f.sourceId;
    };
    return {
      label: group.label,
      kind: 'figure' as const,
      edit: { start, end, newText: group.insert },
      detail: `${group.label} — ${[...new Set(group.figures.map(describe))].join('; ')}`,
      documentation: `> ${sentence}\n\n${group.figures.map((f) => `${describe(f)} · \`${index.get(f.sourceId)?.key ?? ''}\``).join('  \n')}`,
      sortText: String(i).padStart(4, '0'),
      filterText: typed,
    };
  });
}

function groupFigures(entries: Array<{ figure: SourceFigure; insert: string; label: string }>, index: CorpusIndex): FigureGroup[] {
  const groups = new Map<string, FigureGroup>();
  for (const e of entries) {
    if (!index.get(e.figure.sourceId)) continue;
    const key = `${e.insert}\u0000${e.label.toLowerCase()}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { figures: [e.figure], insert: e.insert, label: e.label });
    else if (!group.figures.some((f) => f.sourceId === e.figure.sourceId)) group.figures.push(e.figure);
  }
  return [...groups.values()];
}

function figureCompletionsByNumber(part: CompletionIndex, index: CorpusIndex, typed: string, offset: number, token: Cancellation): Completion[] {
  const digits = typed.replace(/[^\p{N}.]/gu, '').replace(/\.$/, '');
  if (!digits) return [];
  const found = part.figuresByDigits(digits, 200);
  if (token.isCancellationRequested) return [];
  const entries = found.flatMap((figure) => {
    const source = index.get(figure.sourceId);
    const wording = source && part.wording(figure, source);
    return wording ? [{ figure, insert: figure.text, label: wording.phrase }] : [];
  });
  const groups = groupFigures(entries, index);
  groups.sort(
    (a, b) =>
      Number(b.figures[0].digits === digits) - Number(a.figures[0].digits === digits) ||
      b.figures.length - a.figures.length ||
      a.figures[0].digits.length - b.figures[0].digits.length ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  return figureItems(groups, index, offset - typed.length, offset, typed);
}

function figureCompletionsByNoun(part: CompletionIndex, index: CorpusIndex, typed: string, offset: number, token: Cancellation): Completion[] {
  const prefix = normalizeWord(typed);
  const nouns = new Set<string>([prefix]);
  for (const family of COUNTED_SYNONYMS) if (family.some((w) => w.startsWith(prefix))) family.forEach((w) => nouns.add(w));
  const entries: Array<{ figure: SourceFigure; insert: string; label: string; direct: boolean }> = [];
  for (const noun of nouns) {
    for (const { figure, noun: matched } of part.figuresByNoun(noun, 40)) {
      const source = index.get(figure.sourceId);
      const wording = source && part.wording(figure, source);
      // Insert the source's own words from the number through the counted noun ("2,500 American soldiers").
      const through = wording?.throughs[wording.nouns.indexOf(matched)];
      if (wording && through) entries.push({ figure, insert: through, label: wording.phrase, direct: matched.startsWith(prefix) });
    }
  }
  if (token.isCancellationRequested || entries.length === 0) return [];
  const direct = new Set(entries.filter((e) => e.direct).map((e) => e.figure.id));
  const groups = groupFigures(entries, index);
  groups.sort((a, b) => Number(direct.has(b.figures[0].id)) - Number(direct.has(a.figures[0].id)) || b.figures.length - a.figures.length || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return figureItems(groups, index, offset - typed.length, offset, typed);
}

const fuzzyKeys = new WeakMap<CorpusIndex, { generation: number; fuse: Fuse<string> }>();

function keyCompletions(part: CompletionIndex, index: CorpusIndex, typed: string, offset: number, token: Cancellation): Completion[] {
  const lower = typed.toLowerCase();
  // Keys starting with what is typed, from the sorted key array; then keys containing it, by a scan of the key strings only.
  const ranked: Array<{ key: string; source: Source }> = [];
  const seen = new Set<string>();
  const take = (key: string) => {
    const source = index.getByKey(key);
    if (source && !seen.has(key) && ranked.length < MAX_COMPLETIONS) {
      seen.add(key);
      ranked.push({ key, source });
    }
  };
  for (const key of part.keysStartingWith(lower, MAX_COMPLETIONS * 2)) take(key);
  if (ranked.length < MAX_COMPLETIONS && lower) {
    for (const key of index.keys()) {
      if (ranked.length >= MAX_COMPLETIONS) break;
      if (key.includes(lower) || key.toLowerCase().includes(lower)) take(key);
    }
  }
  if (token.isCancellationRequested) return [];
  if (ranked.length === 0 && lower.length >= 2 && index.size <= FUZZY_LABEL_LIMIT) {
    let cached = fuzzyKeys.get(index);
    if (!cached || cached.generation !== index.generation) {
      cached = { generation: index.generation, fuse: new Fuse(index.keys(), { threshold: 0.4, ignoreLocation: true }) };
      fuzzyKeys.set(index, cached);
    }
    for (const r of cached.fuse.search(typed, { limit: MAX_COMPLETIONS })) take(r.item);
  }
  return ranked.slice(0, MAX_COMPLETIONS).map(({ source }, i) => {
    const title = source.meta.title;
    return {
      label: source.key,
      kind: 'citation' as const,
      edit: { start: offset - typed.length, end: offset, newText: source.key },
      detail: describeSource(source),
      documentation: [title ? `**${title}**` : undefined, describeSource(source), `\`${source.relativePath}\``].filter(Boolean).join('\n\n'),
      sortText: String(i).padStart(4, '0'),
      // The server ranks (fuzzily too); the client must not drop what it ranked.
      filterText: typed || undefined,
    };
  });
}
