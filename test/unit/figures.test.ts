/** Figure verification in the core: the labelled figures of the sample corpus, messages, fixes, hovers, index updates. */
import * as assert from 'node:assert/strict';
import { sampleIndex } from '../fixtures/figures/sampleIndex';
import { LABELLED, type LabelledFigure } from '../fixtures/figures/labelled';
import { createService, type CorroborateService } from '../../server/src/core/service';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { FigureIndex } from '../../server/src/core/index/figureIndex';
import { parseDraft } from '../../server/src/core/draft/parseDraft';
import { checkFigures, type FigureCheck } from '../../server/src/core/features/figures';
import type { QuoteCheck } from '../../server/src/core/features/quotes';
import type { Draft, Source } from '../../server/src/core/types';
import { NEVER_CANCELLED } from '../../server/src/core/types';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { createCorpusIndex } from '../../server/src/core/index/parts';

const draft = (text: string, languageId = 'markdown', version = 1): Draft => ({ id: 'file:///draft.md', version, text, languageId });

/** The figure check covering the first occurrence of `figure` in `text`, if any. */
function figureAt(service: CorroborateService, text: string, figure: string, languageId = 'markdown'): FigureCheck | undefined {
  const at = text.indexOf(figure);
  assert.ok(at >= 0, `"${figure}" is in the draft`);
  return service.analyze(draft(text, languageId)).figures.find((f) => f.start <= at && at < f.end);
}

function applyFix(text: string, check: FigureCheck): string {
  const fix = check.findings[0].fixes.find((f) => f.preferred);
  assert.ok(fix, 'a preferred fix');
  let out = text;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('figures: the labelled sample-corpus cases', () => {
  let service: CorroborateService;
  before(() => {
    service = createService({ index: sampleIndex() });
  });

  it('has at least 40 labelled figures of every kind', () => {
    assert.ok(LABELLED.length >= 40);
    for (const label of ['agrees', 'contradicted', 'unsourced', 'not a figure'] as const) {
      assert.ok(LABELLED.filter((c) => c.label === label).length >= 4, label);
    }
  });

  const title = (c: LabelledFigure) =>
    c.label === 'not a figure' ? `never reads "${c.figure}" as a figure (${c.what})` : `${c.label === 'agrees' ? 'accepts' : c.label === 'contradicted' ? 'flags' : 'stays silent on'} "${c.figure}" (${c.what})`;

  for (const c of LABELLED) {
    it(title(c), () => {
      const check = figureAt(service, c.draft, c.figure, c.languageId);
      if (c.label === 'not a figure') {
        assert.equal(check, undefined, `no figure at "${c.figure}"`);
        return;
      }
      assert.ok(check, `a figure at "${c.figure}"`);
      const at = c.draft.indexOf(c.figure);
      assert.deepEqual([check.start, check.end], [at, at + c.figure.length], 'the span covers the figure as written');
      assert.equal(check.verdict, c.label);
      if (c.label === 'contradicted') {
        assert.equal(check.findings.length, 1);
        assert.equal(check.findings[0].code, 'figure-mismatch');
        assert.equal(check.findings[0].severity, 'warning');
        assert.ok(check.findings[0].related.length > 0, 'points at the source sentence');
        assert.equal(applyFix(c.draft, check), c.fixed);
      } else {
        assert.deepEqual(check.findings, [], 'no finding');
      }
      if (c.label === 'agrees') assert.ok(check.support.length > 0, 'lists the agreeing source sentences');
    });
  }

  it('raises no figure warning anywhere in a draft made of every agreeing, unsourced and non-figure case', () => {
    // A sentence with a right and a wrong figure is labelled once for each: only sentences with nothing wrong belong here.
    const flagged = new Set(LABELLED.filter((c) => c.label === 'contradicted').map((c) => c.draft));
    const text = LABELLED.filter((c) => c.label !== 'contradicted' && c.languageId === undefined && !flagged.has(c.draft))
      .map((c) => c.draft)
      .join('\n\n');
    const findings = service.diagnostics(draft(text)).filter((f) => f.code.startsWith('figure'));
    assert.deepEqual(findings, []);
  });

  it('raises no figure warning when each sample article is checked as a draft against the others', () => {
    const index = sampleIndex();
    for (const source of [...index.all()]) {
      const others = sampleIndex();
      others.remove(source.id);
      const findings = createService({ index: others })
        .diagnostics(draft(source.text, 'plaintext'))
        .filter((f) => f.code === 'figure-mismatch');
      assert.deepEqual(
        findings.map((f) => f.message),
        [],
        source.key,
      );
    }
  });
});

describe('figures: what a warning says', () => {
  let service: CorroborateService;
  before(() => {
    service = createService({ index: sampleIndex() });
  });

  it('names the source figure, outlet or key and date, and the draft figure', () => {
    const check = figureAt(service, 'Biden directed strikes against four sites used by Kataib Hezbollah.', 'four')!;
    assert.equal(check.findings[0].message, 'Sources say 3 sites (al-sudani-iraqi-government-nd); the draft says four');
    assert.equal(check.findings[0].fixes[0].title, 'Replace with three (from al-sudani-iraqi-government-nd)');
  });

  it('lists every disagreeing source of the same time frame with the time frame', () => {
    const check = figureAt(service, 'Washington has counted 203 attacks against its forces in Iraq and Syria since October 17.', '203')!;
    assert.match(check.findings[0].message, /^Sources say 103 attacks \(al-sudani-iraqi-government-nd, since October 17\); the draft says 203$/);
  });

  it('points the related information at the source sentence holding the figure', () => {
    const index = sampleIndex();
    const svc = createService({ index });
    const text = 'Iraq appealed for $88 million for reconstruction.';
    const check = figureAt(svc, text, '$88 million')!;
    const ref = check.findings[0].related[0];
    const source = index.get(ref.sourceId)!;
    assert.match(source.text.slice(ref.start, ref.end), /^Iraq appealed for about \$88 billion for reconstruction/);
    assert.equal(check.findings[0].message, 'Sources say about $88 billion (iraq-plans-end-2023-12-28, in 2018); the draft says $88 million');
  });

  it('keeps "more than" from the source in the fix and a capital at the start of a sentence', () => {
    const text = 'Fewer than 50 attacks were counted by the Pentagon in Iraq and Syria between October 17 and January 11.';
    const check = figureAt(service, text, 'Fewer than 50')!;
    assert.equal(check.verdict, 'contradicted');
    assert.equal(applyFix(text, check), 'At least 130 attacks were counted by the Pentagon in Iraq and Syria between October 17 and January 11.');
  });

  it('marks unsourced figures with a hint only when asked to', () => {
    const text = 'Spain has 300 troops in Iraq.';
    assert.deepEqual(service.diagnostics(draft(text)), []);
    const hinting: Settings = { ...DEFAULT_SETTINGS, figures: { hintUnsourced: true } };
    const svc = createService({ index: sampleIndex(), settings: () => hinting });
    const findings = svc.diagnostics(draft(text));
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, text.slice(f.start, f.end)]),
      [['figure-unsourced', 'hint', '300']],
    );
  });
});

describe('figures: what a draft holds that is not a figure to check', () => {
  let service: CorroborateService;
  before(() => {
    service = createService({ index: sampleIndex() });
  });

  it('skips numbers in headings, list markers, code and links of Markdown', () => {
    const text = '# 3 things about the 2,500 troops\n\n1. First point\n2. Second point\n\nSee `900 troops in Iraq` and <https://example.com/900>.\n';
    assert.deepEqual(service.analyze(draft(text)).figures, []);
  });

  it('leaves figures inside a verified or misquoted quotation to the quote check', () => {
    const text = 'He said "the US has 900 troops in Iraq" yesterday. The US has 900 troops in Iraq.';
    const parsed = parseDraft(draft(text));
    const quote = (verdict: QuoteCheck['verdict']): QuoteCheck => ({
      kind: 'quote',
      verdict,
      text: text.slice(9, 39),
      start: 8,
      end: 40,
      innerStart: 9,
      innerEnd: 39,
      block: false,
      draftId: 'file:///draft.md',
      support: [],
      findings: [],
      evidence: [],
    });
    const index = sampleIndex();
    const outside = text.lastIndexOf('900');
    for (const verdict of ['verified', 'mismatch'] as const) {
      const checks = checkFigures(parsed, index, DEFAULT_SETTINGS, NEVER_CANCELLED, [quote(verdict)]);
      assert.deepEqual(
        checks.map((c) => c.start),
        [outside],
        verdict,
      );
    }
    const unsourcedQuote = checkFigures(parsed, index, DEFAULT_SETTINGS, NEVER_CANCELLED, [quote('unsourced')]);
    assert.equal(unsourcedQuote.length, 2, 'a quotation no source holds does not hide its figures');
  });

  it('stops between figures when the check is cancelled', () => {
    const text = 'The US has 900 troops in Iraq. Biden hit four sites. US strikes killed 60 militiamen.';
    let asked = 0;
    const token = {
      get isCancellationRequested() {
        return ++asked > 1;
      },
    };
    const checks = checkFigures(parseDraft(draft(text)), sampleIndex(), DEFAULT_SETTINGS, token, []);
    assert.equal(checks.length, 1);
  });
});

describe('figures: the hover', () => {
  it('shows the verdict, the source sentence with the figure in bold, outlet, date, key, a link and a citation', () => {
    const index = sampleIndex();
    const service = createService({ index });
    const text = 'The US has about 900 troops in Syria.';
    const hover = service.hover(draft(text), text.indexOf('900'))!;
    assert.equal(text.slice(hover.start, hover.end), 'about 900');
    assert.match(hover.markdown, /^\*\*Figure agrees with 2 sources\*\*/);
    assert.match(hover.markdown, /while \*\*about 900\*\* American soldiers are deployed in Syria/);
    assert.match(hover.markdown, /The United States has about 2,500 troops in Iraq and \*\*about 900\*\* in Syria/);
    assert.match(hover.markdown, /`al-sudani-davos-nd`/);
    assert.match(hover.markdown, /\[open passage\]\(file:\/\/\/.*003_ab0a295c0ca72cec\.txt#L\d+,\d+\)/);
    assert.match(hover.markdown, /Insert citation/);
  });

  it('says when the sources disagree and lists each value with its source and time frame', () => {
    const service = createService({ index: sampleIndex() });
    const text = 'There have been more than 100 attacks on US forces in Iraq and Syria since mid-October.';
    const hover = service.hover(draft(text), text.indexOf('100'))!;
    assert.match(hover.markdown, /Sources differ:/);
    assert.match(hover.markdown, /- more than 100 attacks \(al-sudani-iraqi-government-nd, since mid-October\)/);
    assert.match(hover.markdown, /- 103 attacks \(al-sudani-iraqi-government-nd, since October 17\)/);
    assert.match(hover.markdown, /- at least 130 attacks \(al-sudani-davos-nd, between October 17 and January 11\)/);
  });

  it('shows the contradicting source sentences on a flagged figure', () => {
    const service = createService({ index: sampleIndex() });
    const text = 'US strikes have so far killed 60 militiamen.';
    const hover = service.hover(draft(text), text.indexOf('60'))!;
    assert.match(hover.markdown, /^\*\*Figure contradicted by the sources\*\*/);
    assert.match(hover.markdown, /so far killed \*\*16\*\* militiamen/);
    assert.match(hover.markdown, /The National|2023-12-28/);
  });
});

describe('figures: the index follows the corpus', () => {
  const extra = (id: string, body: string): Source => {
    const { source } = parseSource({ id, relativePath: 'extra.md', bytes: new TextEncoder().encode(`---\noutlet: Wire\ndate: 2024-01-02\n---\n\n${body}\n`) });
    return source as Source;
  };

  it('flags a figure once a source about it is added and forgets it when the source is removed', () => {
    const index: CorpusIndex = sampleIndex();
    const service = createService({ index });
    const text = 'The Spanish contingent in Iraq numbers 300 troops.';
    assert.equal(figureAt(service, text, '300')!.verdict, 'unsourced');
    index.upsert(extra('file:///extra.md', 'The Spanish contingent in Iraq numbers about 150 troops, the ministry said.'));
    const check = figureAt(service, text, '300')!;
    assert.equal(check.verdict, 'contradicted');
    assert.equal(check.findings[0].message, 'Sources say about 150 troops (Wire, 2024-01-02); the draft says 300');
    index.remove('file:///extra.md');
    assert.equal(figureAt(service, text, '300')!.verdict, 'unsourced');
    assert.equal(index.part(FigureIndex)!.size, sampleIndex().part(FigureIndex)!.size);
  });

  it('finds a figure whose every word around it is common in a large corpus, by the least common of them', () => {
    // Hundreds of articles use each word of the sentence: each alone says little, which the index leaves out of its
    // ranking; a figure with nothing else around it must still find its source.
    const index = createCorpusIndex();
    for (let i = 0; i < 300; i++) index.upsert(extra(`file:///school-${i}.md`, `Federal funds over the next ${2 + (i % 7)} years paid for school meals in district ${i}.`));
    for (let i = 0; i < 250; i++) index.upsert(extra(`file:///highway-${i}.md`, `Highways were repaired in ${3 + (i % 5)} towns of county ${i} last spring.`));
    index.upsert(extra('file:///plan.md', 'The state will spend federal funds on highways over the next 9 years.'));
    const service = createService({ index });
    const kept = figureAt(service, 'Officials said federal funds on highways over the next 9 years.', '9')!;
    assert.equal(kept.verdict, 'agrees');
    assert.equal(kept.evidence[0]?.sourceId, 'file:///plan.md');
    assert.equal(figureAt(service, 'Officials said federal funds on highways over the next 11 years.', '11')!.verdict, 'contradicted');
  });
});
