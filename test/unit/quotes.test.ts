/** Quotation checking in the core, over the labelled cases in test/fixtures/quotes/cases.yaml. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createService, type CorroborateService } from '../../server/src/core/service';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import type { Draft, TextEdit } from '../../server/src/core/types';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import { sourceName, type QuoteCheck } from '../../server/src/core/features/quotes';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';

interface Case {
  name: string;
  text: string;
  quote?: string;
  verdict?: QuoteCheck['verdict'];
  source?: string;
  fixed?: string;
}

const CASES: Case[] = parseYaml(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'quotes', 'cases.yaml'), 'utf8'));

let version = 0;
function draft(text: string, languageId = 'markdown'): Draft {
  return { id: 'file:///drafts/test.md', version: ++version, text, languageId };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('quotations checked against the sample corpus', () => {
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

  it('has at least 40 labelled quotations', () => {
    assert.ok(CASES.filter((c) => c.quote).length >= 40);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const d = draft(c.text);
      const analysis = service.analyze(d);
      if (!c.quote) {
        assert.deepEqual(analysis.quotes.map((q) => q.text), [], 'no quotation');
        assert.deepEqual(service.diagnostics(d), []);
        return;
      }
      const at = c.text.indexOf(c.quote);
      assert.ok(at >= 0, 'the fixture quote is in its text');
      const check = analysis.quotes.find((q) => q.start === at);
      assert.ok(check, `a quotation starting at ${at}; found ${JSON.stringify(analysis.quotes.map((q) => [q.start, q.end, q.text]))}`);
      assert.equal(check.end, at + c.quote.length, 'the range covers the quotation with its marks');
      assert.equal(check.verdict, c.verdict, JSON.stringify(check.findings.map((f) => f.message)));
      const source = c.source ? index.getByKey(c.source) : undefined;
      if (c.source) assert.ok(source, `fixture source ${c.source} is indexed`);
      const findings = service.diagnostics(d).filter((f) => f.start === check.start);

      switch (c.verdict) {
        case 'verified':
          assert.deepEqual(findings, []);
          assert.ok(check.support.some((s) => s.sourceId === source!.id), `supported by ${c.source}: ${check.support.map((s) => s.sourceId)}`);
          break;
        case 'paraphrase':
          assert.equal(findings.length, 1);
          assert.equal(findings[0].code, 'quote-paraphrase');
          assert.equal(findings[0].severity, 'information');
          assert.equal(check.support[0].sourceId, source!.id);
          assert.ok(findings[0].message.includes(sourceName(source)), findings[0].message);
          break;
        case 'unsourced': {
          assert.equal(findings.length, 1);
          assert.equal(findings[0].code, 'quote-unsourced');
          const short = check.text.split(/\s+/).length <= 2;
          assert.equal(findings[0].severity, short ? 'information' : 'warning');
          assert.deepEqual(check.support, []);
          break;
        }
        case 'mismatch': {
          assert.equal(findings.length, 1);
          const finding = findings[0];
          assert.equal(finding.code, 'quote-mismatch');
          assert.equal(finding.severity, 'warning');
          assert.ok(finding.message.includes(sourceName(source)), `the message names ${sourceName(source)}: ${finding.message}`);
          assert.equal(finding.related[0].sourceId, source!.id);
          const fix = finding.fixes.find((f) => f.preferred);
          assert.ok(fix, 'a preferred fix');
          assert.equal(fix.title, `Replace with the wording from ${sourceName(source)}`);
          const fixedText = applyEdits(c.text, fix.edits);
          assert.equal(fixedText, c.text.slice(0, at) + c.fixed + c.text.slice(at + c.quote.length));
          const again = service.analyze(draft(fixedText)).quotes.find((q) => q.start === at);
          assert.equal(again?.verdict, 'verified', 'the fixed quotation verifies');
          break;
        }
      }
    });
  }
});
