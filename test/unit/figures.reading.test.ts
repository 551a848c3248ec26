/** Reading and writing figures: what the recogniser lacks (glued scales, currency marks), qualifiers, ranges, the counted thing, the draft's notation. */
import * as assert from 'node:assert/strict';
import { recognizeNumbers } from '../../server/src/core/figures/recognize';
import { readSentenceFigures } from '../../server/src/core/figures/read';
import { valuesAgree } from '../../server/src/core/figures/compare';
import { formatLike, numberToWords } from '../../server/src/core/figures/format';

const read = (sentence: string) => readSentenceFigures(sentence, { start: 0, end: sentence.length });
const one = (sentence: string) => {
  const figures = read(sentence);
  assert.equal(figures.length, 1, JSON.stringify(figures.map((f) => f.text)));
  return figures[0];
};

describe('figures: reading', () => {
  it('reads a scale glued to the digits, which the recogniser misses', () => {
    const found = recognizeNumbers('Pledges of $30bn, €2.5m and £3 bn.').map((r) => [r.value, r.unit]);
    assert.deepEqual(found, [
      [30e9, 'USD'],
      [2.5e6, 'EUR'],
      [3e9, 'GBP'],
    ]);
  });

  it('leaves "5m" without a currency alone: it may be metres', () => {
    assert.deepEqual(read('The wall is 5m high.'), []);
  });

  it('reads currency written after the number and percentages in words or signs', () => {
    assert.deepEqual(
      recognizeNumbers('It cost 88 billion dollars, 12% more, or twelve per cent.').map((r) => [r.value, r.unit]),
      [
        [88e9, 'USD'],
        [12, 'percent'],
        [12, 'percent'],
      ],
    );
  });

  it('takes the qualifier into the figure as written', () => {
    const figure = one('There are approximately 2,500 American soldiers in Iraq.');
    assert.equal(figure.text, 'approximately 2,500');
    assert.equal(figure.qualifier, 'approx');
    assert.equal(figure.head, 'soldier');
    assert.equal(figure.headText, 'American soldiers');
    assert.deepEqual(figure.places, ['iraq']);
  });

  it('gives each figure of a sentence its own place', () => {
    const [iraq, syria] = read('There are about 2,500 American soldiers in Iraq, while about 900 American soldiers are deployed in Syria.');
    assert.deepEqual([iraq.places, syria.places], [['iraq'], ['syria']]);
  });

  it('lends the counted thing to an elliptical figure', () => {
    const [, syria] = read('The United States has about 2,500 troops in Iraq and about 900 in Syria.');
    assert.equal(syria.head, 'troop');
  });

  it('lends an elliptical figure the subject and the counted thing, never the other clause’s place', () => {
    const [iraq, syria] = read('The United States has about 2,500 troops in Iraq and about 900 in Syria.');
    assert.deepEqual([iraq.places, syria.places], [['iraq'], ['syria']]);
    assert.ok(syria.names.includes('us'), JSON.stringify(syria.names));
    assert.ok(!syria.names.includes('iraq') && !syria.context.has('iraq'), 'Iraq stays with the Iraq figure');
    assert.ok(syria.context.has('troop'));
  });

  it('gives a place before a figure to that figure, not to the figure of the clause before', () => {
    const [iraq, syria] = read('In Iraq the US keeps about 2,500 troops and in Syria about 900.');
    assert.deepEqual([iraq.places, syria.places], [['iraq'], ['syria']]);
  });

  it('gives each figure of a sentence its own time frame', () => {
    const [since, between] = read('The Pentagon counted 103 attacks since October 17 and at least 130 between October 17 and January 11.');
    assert.deepEqual([since.timeFrame, between.timeFrame], ['since October 17', 'between October 17 and January 11']);
  });

  it('reads "Washington" alone as the US, but not inside a longer name', () => {
    assert.deepEqual(one('Washington keeps about 900 American troops in Iraq.').names, ['us']);
    assert.deepEqual(one('In Washington, officials counted 900 troops.').places, ['us']);
    assert.ok(one('George Washington led 900 troops.').names.includes('washington'));
    assert.ok(one('The Washington Post counted 900 troops.').names.includes('washington'));
    assert.ok(!one('Washington state has 900 troops.').names.includes('us'));
  });

  it('reads the time frame next to a figure', () => {
    assert.equal(one('According to the Pentagon, between October 17 and January 11, there were at least 130 attacks.').timeFrame, 'between October 17 and January 11');
    assert.equal(one('Washington has counted 103 attacks since October 17.').timeFrame, 'since October 17');
  });

  it('reads "between X and Y" as one range, and "from X to Y" as a change', () => {
    const range = one('The US has between 2,000 and 3,000 troops in Iraq.');
    assert.deepEqual([range.value, range.high, range.qualifier], [2000, 3000, 'range']);
    assert.equal(read('The US cut its troops from about 5,000 to 2,500.').length, 2);
  });

  it('never throws on odd input', () => {
    for (const text of ['', '$$$', '%%%', '1e308 9999999999999999999999', '\u0000\uffff😀 2,500 😀', 'a'.repeat(5000) + ' 3 ' + 'b'.repeat(5000)]) {
      assert.doesNotThrow(() => read(text));
    }
  });
});

describe('figures: comparing values', () => {
  const f = (value: number, qualifier: 'exact' | 'approx' | 'moreThan' | 'atLeast' | 'lessThan', unit = 'count') => ({ value, qualifier, unit });
  it('lets "more than 100" agree with 103 and "about 2,500" with 2,600', () => {
    assert.ok(valuesAgree(f(103, 'exact'), f(100, 'moreThan')));
    assert.ok(valuesAgree(f(2600, 'exact'), f(2500, 'approx')));
  });
  it('never lets $88 million agree with $88 billion, nor dollars with a count', () => {
    assert.ok(!valuesAgree(f(88e6, 'exact', 'USD'), f(88e9, 'approx', 'USD')));
    assert.ok(!valuesAgree(f(88e9, 'exact', 'count'), f(88e9, 'exact', 'USD')));
  });
  it('lets "fewer than 50" disagree with "at least 130"', () => {
    assert.ok(!valuesAgree(f(50, 'lessThan'), f(130, 'atLeast')));
  });
});

describe('figures: writing a fix in the draft’s notation', () => {
  const fixOf = (sentence: string, value: number, qualifier: 'exact' | 'approx' = 'exact') => formatLike(one(sentence), { value, qualifier });
  it('spells out numbers the draft spells out', () => {
    assert.equal(numberToWords(2500), 'two thousand five hundred');
    assert.equal(numberToWords(42), 'forty-two');
    assert.equal(fixOf('Biden hit four sites.', 3), 'three');
    assert.equal(fixOf('Four sites were hit.', 3), 'Three');
  });
  it('keeps the currency mark and the scale word or abbreviation', () => {
    assert.equal(fixOf('Iraq asked for $88 million.', 88e9, 'approx'), 'about $88 billion');
    assert.equal(fixOf('Iraq got $30m in loans.', 30e9), '$30bn');
    assert.equal(fixOf('Iraq got 30 million dollars in loans.', 30e9), '30 billion dollars');
  });
  it('keeps or leaves out thousands separators as the draft does', () => {
    assert.equal(fixOf('There are 900 troops.', 2500, 'approx'), 'about 2,500');
    assert.equal(fixOf('There are 2000 troops.', 2500), '2500');
  });
  it('keeps the percent sign as written', () => {
    assert.equal(fixOf('Turnout was 40 percent.', 44), '44 percent');
    assert.equal(fixOf('Turnout was 40%.', 44), '44%');
  });
});
