/**
 * A word diff between what a draft quotes and what a source says, for
 * messages: the source's wording, with words only the draft has as `[-…-]`
 * and words only the source has as `{+…+}` (the convention of `git diff
 * --word-diff`). Words are compared by their normal forms, so case, curly
 * marks and diacritics never show up as differences.
 */
import { diffArrays } from 'diff';

export interface Word {
  /** The word as written. */
  text: string;
  /** Its normal form (what is compared). */
  norm: string;
}

/** Renders the difference from `draft` to `source` as one line of words. */
export function renderWordDiff(draft: Word[], source: Word[]): string {
  const parts: string[] = [];
  let pendingRemoved: string[] = [];
  const changes = diffArrays(draft, source, { comparator: (a: Word, b: Word) => a.norm === b.norm });
  let inSource = 0;
  for (const change of changes) {
    let text = change.value.map((w) => w.text).join(' ');
    if (!change.removed) {
      // Unchanged and added words are taken from the source: it is the source's wording that is shown.
      text = source.slice(inSource, inSource + change.value.length).map((w) => w.text).join(' ');
      inSource += change.value.length;
    }
    if (change.removed) pendingRemoved.push(text);
    else if (change.added) {
      if (pendingRemoved.length) parts.push(`[-${pendingRemoved.join(' ')}-]`);
      pendingRemoved = [];
      parts.push(`{+${text}+}`);
    } else {
      if (pendingRemoved.length) parts.push(`[-${pendingRemoved.join(' ')}-]`);
      pendingRemoved = [];
      parts.push(text);
    }
  }
  if (pendingRemoved.length) parts.push(`[-${pendingRemoved.join(' ')}-]`);
  return parts.join(' ');
}

/** True when the two word lists say the same words. */
export function sameWords(a: Word[], b: Word[]): boolean {
  return a.length === b.length && a.every((w, i) => w.norm === b[i].norm);
}
