import * as assert from 'node:assert/strict';
import { lastAtOrBelow } from '../../server/src/core/sorted';

describe('lastAtOrBelow', () => {
  const starts = [0, 10, 10, 25, 40];
  const at = (x: number) => lastAtOrBelow(starts.length, (i) => starts[i], x);

  it('finds the last value at or below the target, as a line map needs', () => {
    assert.equal(at(0), 0);
    assert.equal(at(9), 0);
    assert.equal(at(10), 2, 'the last of equal values: an empty line gives way to the next');
    assert.equal(at(39), 3);
    assert.equal(at(1000), 4);
  });

  it('answers 0 below the first value and for a one-element sequence', () => {
    assert.equal(lastAtOrBelow(starts.length, (i) => starts[i] + 5, 2), 0);
    assert.equal(lastAtOrBelow(1, () => 7, 100), 0);
  });
});
