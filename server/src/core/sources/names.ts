/**
 * Names of people, organisations and places as each source spells them.
 * A first version: runs of capitalised words not at a sentence start.
 */
import type { NameMention, Sentence } from '../types';

const STOP = new Set(['The', 'A', 'An', 'In', 'On', 'At', 'He', 'She', 'It', 'We', 'They', 'This', 'That', 'But', 'And', 'For', 'Since', 'After', 'During', 'According', 'Also']);

export function findNames(text: string, sentences: Sentence[]): NameMention[] {
  const names: NameMention[] = [];
  const re = /[\p{Lu}][\p{L}'’]*(?:[-\s](?:al-|Al-|bin\s|de\s|of\s)?[\p{Lu}][\p{L}'’-]*)+/gu;
  for (const s of sentences) {
    const chunk = text.slice(s.start, s.end);
    for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
      let value = m[0];
      let start = s.start + m.index;
      const first = value.split(/\s/)[0];
      if (STOP.has(first)) {
        value = value.slice(first.length + 1);
        start += first.length + 1;
        if (!/\s/.test(value)) continue;
      }
      names.push({ start, end: start + value.length, text: value, kind: 'other' });
    }
  }
  return names;
}
