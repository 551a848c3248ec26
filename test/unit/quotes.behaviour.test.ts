/** What a writer sees around a quotation: messages, settings, transcripts, hover, definition, cancellation. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createService, type CorroborateService } from '../../server/src/core/service';
import { createCorpusIndex } from '../../server/src/core/index/parts';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { parseDraft } from '../../server/src/core/draft/parseDraft';
import { checkQuotes } from '../../server/src/core/features/quotes';
import { formatCitation } from '../../server/src/core/features/citations';
import type { Draft } from '../../server/src/core/types';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../../server/src/core/settings';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';

let version = 0;
function draft(text: string): Draft {
  return { id: 'file:///drafts/behaviour.md', version: ++version, text, languageId: 'markdown' };
}

function addSource(index: CorpusIndex, name: string, text: string): string {
  const id = `file:///corpus/${name}`;
  const { source } = parseSource({ id, relativePath: name, bytes: new TextEncoder().encode(text) });
  index.upsert(source!);
  return id;
}

describe('quotations: messages, settings and hovers', () => {
  let index: CorpusIndex;
  let service: CorroborateService;
  let settings: Settings = DEFAULT_SETTINGS;

  before(async () => {
    index = await sampleIndex();
    service = createService({ index, settings: () => settings });
  });
  afterEach(() => {
    settings = DEFAULT_SETTINGS;
  });

  it('shows every verdict in the demo draft used for the README', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'quotes', 'demo.md'), 'utf8');
    assert.deepEqual(service.analyze(draft(text)).quotes.map((q) => q.verdict), ['verified', 'mismatch', 'verified', 'unsourced', 'paraphrase']);
  });

  it("shows the source's wording with what differs in a mismatch message", () => {
    const [finding] = service.diagnostics(draft(`"We appreciate the role of the coalition in backing Iraq's efforts," he said.`));
    assert.equal(finding.code, 'quote-mismatch');
    assert.match(finding.message, /Xinhua/);
    assert.match(finding.message, /coalition in \[-backing-\] \{\+supporting\+\} Iraq's efforts/);
    const xinhua = index.getByKey('xinhua-2023-12-29')!;
    const related = finding.related[0];
    assert.equal(xinhua.text.slice(related.start, related.end), "We appreciate the role of the coalition in supporting Iraq's efforts");
  });

  it('drops short unsourced quotes when quotes.shortQuotes is off, and keeps long ones', () => {
    const text = 'A "charm offensive", he said, and "a sentence that no source has ever printed anywhere".';
    assert.deepEqual(service.diagnostics(draft(text)).map((f) => [f.code, f.severity]), [
      ['quote-unsourced', 'information'],
      ['quote-unsourced', 'warning'],
    ]);
    settings = readSettings({ quotes: { shortQuotes: 'off' } }).settings;
    assert.deepEqual(service.diagnostics(draft(text)).map((f) => [f.code, f.severity]), [['quote-unsourced', 'warning']]);
  });

  it('follows a severity setting per code', () => {
    settings = readSettings({ severity: { 'quote-mismatch': 'error', 'quote-unsourced': 'off' } }).settings;
    const text = `"We appreciate the role of the coalition in backing Iraq's efforts," and "a sentence that no source has ever printed".`;
    assert.deepEqual(service.diagnostics(draft(text)).map((f) => [f.code, f.severity]), [['quote-mismatch', 'error']]);
  });

  it('stays silent on a paragraph after a corroborate-ignore marker', () => {
    const text = `<!-- corroborate-ignore -->\n"a sentence that no source has ever printed anywhere"\n\n"another sentence that no source has printed anywhere"`;
    const findings = service.diagnostics(draft(text));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].start, text.lastIndexOf('"another'));
  });

  it('hovers a verified quotation with its sources, the quoted words in bold, the speaker, other wordings and a citation', () => {
    const text = `He said "the Iraqi government is moving toward ending the presence of the international coalition forces".`;
    const d = draft(text);
    const hover = service.hover(d, text.indexOf('moving'))!;
    assert.ok(hover);
    assert.equal(hover.start, text.indexOf('"the'));
    assert.match(hover.markdown, /Quotation verified/);
    assert.match(hover.markdown, /\*\*Xinhua\*\* · 2023-12-29/);
    assert.match(hover.markdown, /`xinhua-2023-12-29`/);
    assert.match(hover.markdown, /\*\*the Iraqi government is moving toward ending the presence of the international coalition forces\*\*/);
    assert.match(hover.markdown, /\[Open the source at the passage\]\(file:\/\/\/.*000_0a6316ea67d87268\.txt#L\d+,\d+\)/);
    assert.match(hover.markdown, /Other wordings:[\s\S]*heading towards ending the presence/);
    const xinhua = index.getByKey('xinhua-2023-12-29')!;
    assert.ok(hover.markdown.includes(formatCitation(xinhua, DEFAULT_SETTINGS)), 'a ready citation');
  });

  it('hovers a mismatch with the closest source passage', () => {
    const text = `"We are now in the process of reorganising this relationship," he said.`;
    const hover = service.hover(draft(text), 5)!;
    assert.match(hover.markdown, /differs from the source/);
    assert.match(hover.markdown, /\*\*We are in the process of reorganising this relationship\*\*/);
  });

  it('goes to the source passage from a quotation', () => {
    const text = `"We appreciate the role of the coalition in supporting Iraq's efforts," he said.`;
    const [ref] = service.definition(draft(text), 3);
    const xinhua = index.getByKey('xinhua-2023-12-29')!;
    assert.equal(ref.sourceId, xinhua.id);
    assert.equal(xinhua.text.slice(ref.start, ref.end), "We appreciate the role of the coalition in supporting Iraq's efforts");
  });

  it('stops between quotations when the check is cancelled', () => {
    const text = '"a sentence that no source has ever printed" and "another sentence no source has ever printed".';
    let asked = 0;
    const token = {
      get isCancellationRequested() {
        return asked++ > 0;
      },
    };
    const checks = checkQuotes(parseDraft(draft(text)), index, DEFAULT_SETTINGS, token);
    assert.equal(checks.length, 1);
  });
});

describe('quotations from transcripts', () => {
  let index: CorpusIndex;
  let service: CorroborateService;

  before(() => {
    index = createCorpusIndex();
    addSource(
      index,
      'briefing.md',
      '---\ntitle: Press briefing\noutlet: Ministry of Defence\ntype: transcript\nspeaker: Jane Doe\ndate: 2024-02-01\n---\n\nGood morning. We have no plans to withdraw our advisers before the summer, and the talks continue.\n',
    );
    addSource(index, 'speech.md', '---\ntitle: A speech\nauthor: John Roe\n---\n\nWe will build one hundred schools in the north before the end of the year.\n');
    addSource(index, 'report.md', '---\ntitle: A report\noutlet: Daily\n---\n\nThe minister said the talks continue. "We have no quarrel with anyone," he said.\n');
    service = createService({ index });
  });

  it('verifies words of a transcript without a paraphrase notice and names the speaker', () => {
    const text = 'She said "we have no plans to withdraw our advisers before the summer".';
    assert.deepEqual(service.diagnostics(draft(text)), []);
    assert.match(service.hover(draft(text), 12)!.markdown, /Said by Jane Doe/);
  });

  it("takes a source without quotation marks as its author's own words", () => {
    const text = 'He promised "we will build one hundred schools in the north".';
    assert.deepEqual(service.diagnostics(draft(text)), []);
    assert.match(service.hover(draft(text), 14)!.markdown, /Said by John Roe/);
  });

  it("still flags a report's narration presented as a quotation", () => {
    const [finding] = service.diagnostics(draft('He said "the minister said the talks continue" today.'));
    assert.equal(finding?.code, 'quote-paraphrase');
    assert.match(finding.message, /Daily/);
  });
});

describe('quotations: bad and odd input', () => {
  it('flags nothing as unsourced while no source is indexed', () => {
    const service = createService({ index: createCorpusIndex() });
    const d = draft('He said "we will rebuild every bridge in the north before winter".');
    assert.deepEqual(service.diagnostics(d), []);
    assert.equal(service.analyze(d).quotes[0].verdict, 'unsourced');
  });

  it('answers anew for the same words once the corpus changes', () => {
    const index = createCorpusIndex();
    addSource(index, 'a.txt', 'He said "we will stay the course in Baghdad" on Friday.');
    const service = createService({ index });
    const text = 'She said "the bridges of the north will be rebuilt by winter".';
    assert.equal(service.analyze(draft(text)).quotes[0].verdict, 'unsourced');
    const id = addSource(index, 'b.txt', 'The minister said "the bridges of the north will be rebuilt by winter" on Monday.');
    assert.equal(service.analyze(draft(text)).quotes[0].verdict, 'verified');
    index.remove(id);
    assert.equal(service.analyze(draft(text)).quotes[0].verdict, 'unsourced');
  });

  it('checks a draft of odd marks and a pasted page without failing', () => {
    const index = createCorpusIndex();
    addSource(index, 'a.txt', 'He said "we will stay the course in Baghdad" on Friday.');
    const service = createService({ index });
    const page = `"${'word '.repeat(5000).trim()}"`;
    const odd = ['"', '“”', '"…"', '"[...]"', '"[]"', "''", '« »', '"\u0000 ok ok"', '"we will stay the course … … in Baghdad"', page].join('\n\n');
    const analysis = service.analyze(draft(odd));
    assert.equal(analysis.quotes.find((q) => q.text.includes('stay the course'))?.verdict, 'verified');
    assert.equal(analysis.quotes.some((q) => q.text.length > 10_000), false, 'the pasted page is not aligned');
  });
});
