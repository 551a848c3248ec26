/** Completions in the core over the sample corpus: quotations, names, figures and citation keys. `|` marks the cursor. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createService, type CorroborateService } from '../../server/src/core/service';
import type { CorpusIndex } from '../../server/src/core/index/corpusIndex';
import { CompletionIndex } from '../../server/src/core/index/completionIndex';
import { MAX_COMPLETIONS, type Completion } from '../../server/src/core/features/completions';
import type { Cancellation } from '../../server/src/core/types';
import { parseSource } from '../../server/src/core/sources/parseSource';
import { tokenize } from '../../server/src/core/text';
import { sampleIndex } from '../fixtures/quotes/sampleIndex';

let version = 0;

describe('completions over the sample corpus', () => {
  let index: CorpusIndex;
  let service: CorroborateService;

  before(async function () {
    this.timeout(60_000); // reading the corpus is slow only on a loaded machine
    index = await sampleIndex();
    service = createService({ index });
  });

  /** Completions at the `|` of `marked`, and the text each would produce when accepted. */
  function complete(marked: string, languageId = 'markdown', token?: Cancellation): Array<Completion & { result: string }> {
    const offset = marked.indexOf('|');
    const text = marked.slice(0, offset) + marked.slice(offset + 1);
    return service
      .completions({ id: 'file:///drafts/c.md', version: ++version, text, languageId }, offset, token)
      .map((c) => ({ ...c, result: text.slice(0, c.edit.start) + c.edit.newText + text.slice(c.edit.end) }));
  }
  const ordered = <T extends Completion>(items: T[]): T[] => [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));

  describe('inside an open quotation', () => {
    it('continues a quotation with the exact source wording and closes it with the draft’s straight mark', () => {
      const [first] = ordered(complete('He said "We appreciate the ro|'));
      assert.equal(first.kind, 'quote');
      assert.equal(first.result, `He said "We appreciate the role of the coalition in supporting Iraq's efforts to confront the Islamic State militants"`);
      assert.match(first.detail!, /Xinhua, 29 Dec 2023/);
      assert.match(first.documentation!, /said Al-Sudani/);
      assert.match(first.documentation!, /— Al-Sudani/);
    });

    it('closes a curly quotation with a curly mark', () => {
      const [first] = ordered(complete('He said “We appreciate the ro|'));
      assert.ok(first.edit.newText.endsWith('militants\u201d'), first.edit.newText);
    });

    it('finds a passage from words in its middle and inserts from there', () => {
      const items = ordered(complete('He said "supporting Iraq\'s efforts to conf|'));
      assert.ok(items.length > 0);
      assert.equal(items[0].edit.newText, `supporting Iraq's efforts to confront the Islamic State militants"`);
    });

    it('still finds the passage when a typed word is misspelt, and replaces it with the source’s spelling', () => {
      const [first] = ordered(complete('"We apreciate the role of the coal|'));
      assert.equal(first.edit.newText.slice(0, 40), 'We appreciate the role of the coalition ');
    });

    it('ranks a translation variant from another outlet after the closest wording', () => {
      const items = ordered(complete('"the Iraqi government is moving toward ending the presence of the international coalition forces, which include sec|'));
      assert.ok(items.length >= 1);
      assert.match(items[0].edit.newText, /^the Iraqi government is moving toward ending the presence of the international coalition forces, which include security advisers/);
    });

    it('replaces a closing mark the editor already typed instead of doubling it', () => {
      const items = complete('"We appreciate the ro|" he said.');
      assert.ok(items[0].result.includes('militants" he said.'), items[0].result);
    });

    it('offers no quotation once the quotation is closed, nor inside code', () => {
      assert.ok(complete('"We appreciate the role" and the coali|').every((c) => c.kind !== 'quote'));
      assert.deepEqual(complete('`"We appreciate the ro|`'), []);
    });

    it('offers nothing for words no source contains', () => {
      assert.deepEqual(complete('"Zebras quietly xylophone|'), []);
    });
  });

  describe('names', () => {
    it('groups every outlet’s spelling of a name, most common first', () => {
      const items = ordered(complete('Prime Minister Moh|'));
      const labels = items.map((c) => c.label);
      for (const spelling of ["Mohammed Shia' al-Sudani", 'Mohammed Shia Al-Sudani', 'Muhammad Shiaa Al-Sudani', 'Mohammed Shia Al Sudani']) {
        assert.ok(labels.includes(spelling), `${spelling} in ${labels.join(', ')}`);
      }
      // The spellings are one group (one sortText prefix), ordered by how often the sources use them.
      const group = items.filter((c) => c.sortText.slice(0, 3) === items[0].sortText.slice(0, 3));
      assert.ok(group.length >= 4);
      const part = index.part(CompletionIndex)!;
      const counts = new Map([...part.nameGroups()].flatMap((g) => [...g.variants.values()].map((v) => [v.text, v.count] as const)));
      const groupCounts = group.map((c) => counts.get(c.label)!);
      assert.deepEqual(groupCounts, [...groupCounts].sort((a, b) => b - a));
      assert.match(items[0].documentation!, /spelled in the sources/);
      assert.match(items[0].detail!, /^person/);
    });

    it('finds a name from its surname and replaces only the typed words', () => {
      const items = complete('as Sud|');
      const full = items.find((c) => c.label === 'Mohammed Shia Al-Sudani')!;
      assert.ok(full);
      assert.equal(full.result, 'as Mohammed Shia Al-Sudani');
    });

    it('replaces all the words of a name already typed', () => {
      const item = complete('said Mohammed Shia Al|').find((c) => c.label === 'Mohammed Shia Al-Sudani')!;
      assert.equal(item.result, 'said Mohammed Shia Al-Sudani');
    });

    it('offers organisations and places too, with their kind', () => {
      const council = complete('the National Sec|').find((c) => c.label === 'National Security Council');
      assert.equal(council?.detail?.split(' · ')[0], 'organisation');
      const erbil = complete('near Erb|').find((c) => c.label.startsWith('Erbil'));
      assert.ok(erbil);
    });

    it('finds a misspelt name fuzzily', () => {
      assert.ok(complete('Sanches|').some((c) => c.label === 'Pedro Sanchez' || c.label === 'Sanchez'));
    });
  });

  describe('figures', () => {
    it('completes a number the writer starts with the source figures, context shown', () => {
      const items = ordered(complete('There are about 2,5|'));
      assert.ok(items.length >= 2);
      assert.ok(items.every((c) => c.kind === 'figure' && c.edit.newText === '2,500'));
      assert.ok(items.some((c) => /2,500 American soldiers in Iraq — /.test(c.detail!)));
      assert.equal(items[0].result, 'There are about 2,500');
    });

    it('puts the exact figure before longer numbers that start the same way', () => {
      const items = ordered(complete('at least 10|'));
      const digits = items.map((c) => c.edit.newText.replace(/\D/g, ''));
      assert.ok(digits.includes('100') && digits.includes('103'), digits.join(' '));
      assert.equal(complete('at least 130|')[0].edit.newText, '130');
    });

    it('after a counting word offers the figures that count it, synonyms included, in the source’s words', () => {
      const items = ordered(complete('there are troo|'));
      assert.equal(items[0].result, 'there are 2,500 troops');
      assert.ok(items.some((c) => c.edit.newText === '2,500 American soldiers'), items.map((c) => c.edit.newText).join(' | '));
      assert.ok(!items.some((c) => c.edit.newText.includes('attacks')), 'what a number counts is the noun right after it');
    });

    it('does not offer dates or years as figures', () => {
      assert.ok(complete('on 2|').every((c) => !/^20\d\d$/.test(c.edit.newText) && c.edit.newText !== '29'));
    });
  });

  describe('citation keys', () => {
    it('lists every source after [@ with its outlet and date', () => {
      const items = complete('As reported [@|');
      assert.equal(items.length, index.size);
      assert.ok(items.every((c) => c.kind === 'citation'));
      assert.match(items.find((c) => c.label === 'xinhua-2023-12-29')!.detail!, /Xinhua, 29 Dec 2023/);
    });

    it('narrows to the keys starting with what is typed and inserts the key', () => {
      const items = complete('As reported [@xin|]');
      assert.equal(items[0].label, 'xinhua-2023-12-29');
      assert.equal(items[0].result, 'As reported [@xinhua-2023-12-29]');
    });

    it('finds a mistyped key fuzzily', () => {
      assert.equal(complete('See [@sinhua|')[0]?.label, 'xinhua-2023-12-29');
    });

    it('works after another citation in the same brackets', () => {
      assert.equal(complete('See [@iraq-plans-end-2023-12-28; @xin|')[0]?.label, 'xinhua-2023-12-29');
    });
  });

  it('splits and normalises words exactly as the rest of the core does', () => {
    const part = new CompletionIndex();
    for (const source of index.all()) {
      const text = source.text.slice(source.bodyStart);
      assert.deepEqual([...part.normalWords(text)].sort(), [...new Set(tokenize(text).map((t) => t.norm))].sort(), source.key);
    }
  });

  it('answers at every offset of a messy draft without throwing', () => {
    const messy = '---\ntitle: "x\n---\n# 2,5 “Heading\n\n```\n\"We appreciate the ro\n```\n\n[@\u201cWe\u2019re «Moh 1.2.3 $ 3,,5 [@@ \"\"\" \u2018 troo\uD83D\uDE00 ';
    for (let offset = 0; offset <= messy.length; offset++) {
      for (const languageId of ['markdown', 'plaintext']) {
        const items = service.completions({ id: 'file:///drafts/messy.md', version: ++version, text: messy, languageId }, offset);
        for (const item of items) assert.ok(item.edit.start <= offset && item.edit.end >= offset && item.edit.end <= messy.length, `${offset} ${item.label}`);
      }
    }
    assert.deepEqual(complete('```\n"We appreciate the ro|'), [], 'nothing inside a fenced code block');
    const sample = fs.readFileSync(path.join(__dirname, '..', '..', 'drafts', 'sample.md'), 'utf8');
    for (let offset = 0; offset <= sample.length; offset += 3) {
      assert.ok(service.completions({ id: 'file:///drafts/sample.md', version: ++version, text: sample, languageId: 'markdown' }, offset).length <= MAX_COMPLETIONS);
    }
  });

  it('never floods the list and stops when cancelled', () => {
    for (const marked of ['"the |', 'The |', 'A|', '1|', '[@|']) assert.ok(complete(marked).length <= MAX_COMPLETIONS, marked);
    assert.deepEqual(complete('"We appreciate the ro|', 'markdown', { isCancellationRequested: true }), []);
  });

  it('forgets a source’s passages, names and figures when the source changes', async () => {
    const local = await sampleIndex();
    const svc = createService({ index: local });
    const at = (marked: string) => {
      const offset = marked.indexOf('|');
      return svc.completions({ id: 'd', version: ++version, text: marked.replace('|', ''), languageId: 'plaintext' }, offset);
    };
    const xinhua = [...local.all()].find((s) => s.key === 'xinhua-2023-12-29')!;
    assert.ok(at('"We appreciate the ro|').some((c) => c.detail?.startsWith('Xinhua')));
    const bytes = new TextEncoder().encode('Zhang Kaiwei wrote that "the weather was unusually mild" and 4,321 pigeons agreed.\n');
    const { source } = parseSource({ id: xinhua.id, relativePath: xinhua.relativePath, bytes });
    local.upsert(source!);
    assert.ok(!at('"We appreciate the ro|').some((c) => c.detail?.startsWith('Xinhua')));
    assert.equal(at('"the weather was unu|')[0]?.edit.newText, 'the weather was unusually mild"');
    assert.equal(at('about 4,3|')[0]?.edit.newText, '4,321');
    assert.ok(!at('Abdul Lat|').some((c) => c.label === 'Abdul Latif Rashid'));
  });
});
