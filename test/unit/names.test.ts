/** Name extraction from source text, and the grouping of spellings that completion relies on. */
import * as assert from 'node:assert/strict';
import { findNames } from '../../server/src/core/sources/names';
import { splitParagraphs, splitSentences } from '../../server/src/core/sources/sentences';
import { nameSkeleton } from '../../server/src/core/index/completionIndex';

function names(text: string): Array<[string, string]> {
  const sentences = splitSentences(text, splitParagraphs(text));
  return findNames(text, sentences).map((n) => {
    assert.equal(text.slice(n.start, n.end), n.text, 'offsets point at the name');
    return [n.text, n.kind];
  });
}

describe('names in sources', () => {
  it('peels titles and possessives off a person’s name', () => {
    const found = names("BAGHDAD, Dec. 28 (Xinhua) -- Iraq's Prime Minister Mohammed Shia' al-Sudani said Thursday that talks went on.");
    assert.deepEqual(
      found.find(([t]) => t.startsWith('Mohammed')),
      ["Mohammed Shia' al-Sudani", 'person'],
    );
    const possessive = names('The talks followed Mr Al Sudani’s announcement in Baghdad.');
    assert.ok(possessive.some(([t, k]) => t === 'Al Sudani' && k === 'person'), JSON.stringify(possessive));
  });

  it('tells organisations and places from people', () => {
    const found = new Map(names('Officials from the US National Security Council met at Erbil Civil Airport with Adrian Watson, who said little.'));
    assert.equal(found.get('US National Security Council'), 'organisation');
    assert.equal(found.get('Erbil Civil Airport'), 'place');
    assert.equal(found.get('Adrian Watson'), 'person');
  });

  it('does not take hyphenated adjectives, sentence openers or dates for names', () => {
    const found = names('Forces of the US-led coalition left. Thursday was calm. On December 29 the Iran-backed militias struck.').map(([t]) => t);
    assert.ok(!found.some((t) => /-led|-backed|Thursday|December/.test(t)), found.join(', '));
  });

  it('cuts "of Spain" off a person but keeps "Department of Defense" whole', () => {
    const found = names('He met Prime Minister Pedro Sanchez of Spain and officials of the Department of Defense.').map(([t]) => t);
    assert.ok(found.includes('Pedro Sanchez'), found.join(', '));
    assert.ok(found.includes('Department of Defense'), found.join(', '));
  });
});

describe('name spelling groups', () => {
  it('puts every transliteration of the same name in one group', () => {
    const spellings = ["Mohammed Shia' al-Sudani", 'Mohammed Shia Al-Sudani', 'Muhammad Shiaa Al-Sudani', 'Mohammed Shia Al Sudani', 'Muhammad Shia Al-Sudani'];
    assert.equal(new Set(spellings.map(nameSkeleton)).size, 1);
  });

  it('keeps different names apart', () => {
    const keys = ['Pedro Sanchez', 'Saddam Hussein', 'Joe Biden', 'Al-Sudani', 'Adrian Watson', 'Zhang Kaiwei'].map(nameSkeleton);
    assert.equal(new Set(keys).size, keys.length);
  });
});
