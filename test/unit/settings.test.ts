import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/core/settings';

describe('settings', () => {
  it('uses corpus/ when nothing is set', () => {
    assert.deepEqual(readSettings(undefined).settings.corpus.paths, ['corpus']);
  });

  it('reads nested and dotted keys alike', () => {
    const nested = readSettings({ corpus: { paths: ['a'] }, citation: { style: 'apa' } }).settings;
    const dotted = readSettings({ 'corpus.paths': ['a'], 'citation.style': 'apa' }).settings;
    assert.deepEqual(nested, dotted);
    assert.equal(nested.citation.style, 'apa');
  });

  it('keeps the last good value of a wrong setting and says why', () => {
    const good = readSettings({ validate: 'onSave' }).settings;
    const { settings, problems } = readSettings({ validate: 'sometimes', corpus: { paths: 'corpus' } }, good);
    assert.equal(settings.validate, 'onSave');
    assert.deepEqual(settings.corpus.paths, ['corpus']);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /corroborate\.corpus\.paths|corroborate\.validate/);
  });

  it('maps every field independently (no copy-paste slip between fields)', () => {
    const raw = {
      corpus: { paths: ['x'] },
      validate: 'onSave',
      validateDelay: 50,
      languages: ['latex'],
      citation: { style: 'footnote', cslFile: 'a.csl' },
      severity: { 'quote-paraphrase': 'off' },
      quotes: { shortQuotes: 'off' },
      figures: { hintUnsourced: true },
    };
    const s = readSettings(raw).settings;
    assert.deepEqual(s, raw);
    assert.notDeepEqual(s, DEFAULT_SETTINGS);
  });
});
