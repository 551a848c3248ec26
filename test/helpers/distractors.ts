/** Filler text for index tests: sources that share the vocabulary of the real ones without their sentences. */

const VOCABULARY = 'the government said that forces coalition will end presence of international iraq security talks minister prime in on and to a for with its has been said'.split(' ');

/** A deterministic stream of `words` plausible words (the same for the same seed), ending with a full stop. */
export function distractor(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x ^ (x >>> 13), 1103515245) + 12345) >>> 0;
    out.push(VOCABULARY[x % VOCABULARY.length]);
  }
  return out.join(' ') + '.';
}
