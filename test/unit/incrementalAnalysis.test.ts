/**
 * Checking a draft again after an edit: the service keeps what the last
 * analysis of a draft found (block parses, verdicts of unchanged quotations,
 * figures and citation keys), and every answer must be the one a fresh
 * service gives for the same text: verdicts, evidence, findings and fixes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createService, type CorroborateService } from '../../server/src/core/service';
import { analyzeDraft, type DraftAnalysis } from '../../server/src/core/features/analysis';
import { parseDraft } from '../../server/src/core/draft/parseDraft';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import { NEVER_CANCELLED, SILENT_LOGGER, type Cancellation, type Draft } from '../../server/src/core/types';
import { sampleIndex } from '../fixtures/figures/sampleIndex';
import { LABELLED } from '../fixtures/figures/labelled';
// The seeded generator the benchmark uses, so a failure can be replayed.
import { mulberry32 as random } from '../../bench/random';

const ROOT = path.resolve(__dirname, '..', '..');

/** The sample drafts, the quote demo, every labelled quotation case and every labelled figure sentence, as one long draft. */
function hardDraft(): string {
  const cases: Array<{ text: string }> = parseYaml(fs.readFileSync(path.join(ROOT, 'test/fixtures/quotes/cases.yaml'), 'utf8'));
  return [
    fs.readFileSync(path.join(ROOT, 'drafts/sample.md'), 'utf8'),
    fs.readFileSync(path.join(ROOT, 'test/fixtures/quotes/demo.md'), 'utf8'),
    ...cases.map((c) => c.text),
    ...LABELLED.map((f) => f.draft),
    fs.readFileSync(path.join(ROOT, 'drafts/clean.md'), 'utf8').replace(/^---[\s\S]*?\n---\n/, ''),
  ].join('\n\n');
}

/** Everything an analysis says: the parse, every verdict with its evidence, the findings with their fixes. */
function answers({ parsed, quotes, figures, citations, findings }: DraftAnalysis): object {
  return { parsed, quotes, figures, citations, findings };
}

/**
 * Asserts that `service`, which has seen earlier versions of the draft, answers as a fresh analysis does:
 * the analysis as `analyzeDraft` gives it with nothing remembered, the diagnostics as a new service gives them.
 */
function assertAsFresh(service: CorroborateService, index: CorpusIndex, draft: Draft, settings: Settings, note: string): void {
  const fresh = analyzeDraft(parseDraft(draft), index, settings, NEVER_CANCELLED, SILENT_LOGGER);
  assert.deepEqual(answers(service.analyze(draft)), answers(fresh), note);
  assert.deepEqual(service.diagnostics(draft), createService({ index, settings: () => settings }).diagnostics(draft), note);
}


/** Sentences with quotations (exact, misquoted, invented), figures (right, wrong) and citation keys (known, unknown). */
const SENTENCES = [
  ' It was reported again.',
  ' "We value the role of the coalition in supporting Iraq\'s efforts," he said.',
  ' "We value the role of the coalition in backing Iraq\'s efforts," he said.',
  ' "Nobody ever said these words at all," he claimed.',
  ' The Pentagon counted 130 attacks in Iraq and Syria since October 17.',
  ' The United States keeps about 2,000 troops in Iraq.',
  ' About 900 American soldiers are deployed in Syria.',
  ' It was cited [@xinhua-2023-12-29] and [@xinhau-2023-12-29].',
  ' Three American soldiers were injured.',
];

/** One edit to one paragraph of the draft, or a paragraph added, removed, moved or repeated. */
function editOne(text: string, next: () => number): string {
  const paragraphs = text.split('\n\n');
  const i = Math.floor(next() * paragraphs.length);
  const sentence = SENTENCES[Math.floor(next() * SENTENCES.length)];
  const r = next();
  if (r < 0.35) paragraphs[i] += sentence;
  else if (r < 0.5) paragraphs[i] = paragraphs[i].replace(/\b(the|of|in|attacks|troops|900|130)\b/, (w) => (w === 'the' ? 'a' : w === '900' ? '90' : w === '130' ? '113' : 'the'));
  else if (r < 0.65) paragraphs.splice(i, 0, sentence.trim());
  else if (r < 0.75) paragraphs.splice(i, 1);
  else if (r < 0.9) paragraphs.splice(Math.floor(next() * paragraphs.length), 0, ...paragraphs.splice(i, 1));
  else paragraphs.splice(i, 0, paragraphs[Math.floor(next() * paragraphs.length)]);
  return paragraphs.join('\n\n');
}

describe('checking a draft again after an edit', () => {
  let index: CorpusIndex;
  before(() => {
    index = sampleIndex();
  });

  it('answers for the sample drafts and fixtures as a fresh service does, before and after each paragraph is edited', () => {
    for (const file of ['drafts/sample.md', 'drafts/clean.md', 'test/fixtures/quotes/demo.md']) {
      const service = createService({ index });
      let text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      let version = 1;
      assertAsFresh(service, index, { id: 'file:///d.md', version: version++, text, languageId: 'markdown' }, DEFAULT_SETTINGS, file);
      const ends = [...text.matchAll(/\S(?=\n\n|\n?$)/g)].map((m) => (m.index ?? 0) + 1).reverse();
      for (const end of ends) {
        text = `${text.slice(0, end)} The Pentagon counted 130 attacks, "confront the Islamic State militants".${text.slice(end)}`;
        assertAsFresh(service, index, { id: 'file:///d.md', version: version++, text, languageId: 'markdown' }, DEFAULT_SETTINGS, `${file} at ${end}`);
      }
    }
  });

  it('answers as a fresh service does through random single-paragraph edits of a long draft of hard cases', function () {
    this.timeout(120_000);
    for (const [seed, languageId] of [[1, 'markdown'], [2, 'markdown'], [3, 'plaintext']] as const) {
      const next = random(seed);
      const service = createService({ index });
      let text = hardDraft();
      for (let version = 1; version <= 25; version++) {
        assertAsFresh(service, index, { id: 'file:///hard.md', version, text, languageId }, DEFAULT_SETTINGS, `seed ${seed}, version ${version}`);
        text = editOne(text, next);
      }
    }
  });

  it('moves remembered findings and their fixes with the text when a paragraph is added above them', () => {
    const service = createService({ index });
    const below = '"We value the role of the coalition in backing Iraq\'s efforts," he said. The United States keeps about 2,000 troops in Iraq [@xinhau-2023-12-29].';
    const first = service.diagnostics({ id: 'file:///m.md', version: 1, text: below, languageId: 'markdown' });
    const added = 'A new first paragraph.\n\n';
    const moved = service.diagnostics({ id: 'file:///m.md', version: 2, text: added + below, languageId: 'markdown' });
    assert.ok(first.some((f) => f.code === 'quote-mismatch') && first.some((f) => f.code === 'citation-unknown'), 'the fixture has a misquote and an unknown key');
    assert.deepEqual(
      moved,
      first.map((f) => ({ ...f, start: f.start + added.length, end: f.end + added.length, fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, start: e.start + added.length, end: e.end + added.length })) })) })),
    );
  });

  it('answers anew when the settings or the corpus change', () => {
    let settings: Settings = DEFAULT_SETTINGS;
    const service = createService({ index, settings: () => settings });
    const text = hardDraft();
    service.analyze({ id: 'file:///s.md', version: 1, text, languageId: 'markdown' });
    settings = { ...DEFAULT_SETTINGS, quotes: { shortQuotes: 'off' }, figures: { hintUnsourced: true } };
    assertAsFresh(service, index, { id: 'file:///s.md', version: 2, text, languageId: 'markdown' }, settings, 'after a settings change');
    assert.ok(service.diagnostics({ id: 'file:///s.md', version: 2, text, languageId: 'markdown' }).some((f) => f.code === 'figure-unsourced'));

    // A source changes: its figures and quotations are no longer what they were.
    const changed = sampleIndex();
    const changing = createService({ index: changed, settings: () => settings });
    changing.analyze({ id: 'file:///s.md', version: 3, text, languageId: 'markdown' });
    const xinhua = [...changed.all()].find((s) => s.meta.outlet === 'Xinhua')!;
    const bytes = Buffer.from(xinhua.text.replace(/coalition/g, 'alliance').replace(/\d+/g, '7'));
    const { source } = parseSource({ id: xinhua.id, relativePath: xinhua.relativePath, bytes });
    changed.upsert(source!);
    assertAsFresh(changing, changed, { id: 'file:///s.md', version: 4, text, languageId: 'markdown' }, settings, 'after a source changed');
  });

  it('answers in full after a check was cancelled half way', () => {
    const service = createService({ index });
    const text = hardDraft();
    let calls = 0;
    // Cancelled after a few looks: the analysis stops between items.
    const token: Cancellation = {
      get isCancellationRequested() {
        return ++calls > 20;
      },
    };
    service.analyze({ id: 'file:///c.md', version: 1, text, languageId: 'markdown' }, token);
    assertAsFresh(service, index, { id: 'file:///c.md', version: 2, text: `${text} It was reported again.`, languageId: 'markdown' }, DEFAULT_SETTINGS, 'after a cancelled check');
  });
});
