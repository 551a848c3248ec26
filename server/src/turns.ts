/**
 * Long work on the server's thread (indexing, writing the snapshot) is done
 * in turns of the event loop, so that requests and file events waiting are
 * answered between them: a writer typing while the corpus is indexed should
 * not notice it.
 */

/** Work holds the event loop about this long (plus one step of it) before what waits is answered. */
export const SLICE_MS = 15;

/** Settles on a later turn of the event loop: what waits (requests, file events) is answered before it. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `steps` (an index's work a part at a time) to the end, with requests answered between each step and the
 * next; settles on the generator's return value.
 */
export async function inTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/**
 * The time work has held the thread since what waits was last answered: a loop asks `due()` after each step and,
 * when it is, awaits `turn()`. Bounded by time rather than by a count of steps, whose cost varies a hundredfold
 * (a note of 1 KB, a State of the Union address of 90 KB).
 */
export class TimeSlice {
  private started = performance.now();

  constructor(private readonly ms = SLICE_MS) {}

  due(): boolean {
    return performance.now() - this.started >= this.ms;
  }

  async turn(): Promise<void> {
    await nextTurn();
    this.started = performance.now();
  }
}
