/**
 * Where a source offset stands in its file (line and UTF-16 character), and a
 * link that opens the file there. Source ids are URIs (the hosts use file URIs),
 * so a link is the id with a `#Lline,character` fragment, which VS Code opens at that spot.
 */
import type { Source } from './types';
import { lineAndCharacter, lineStarts } from './text';

const starts = new WeakMap<Source, number[]>();

/** Zero-based line and character in the file of an offset into `source.text`. */
export function sourcePosition(source: Source, textOffset: number): { line: number; character: number } {
  let s = starts.get(source);
  if (!s) {
    s = lineStarts(source.fileText ?? source.text);
    starts.set(source, s);
  }
  const fileOffset = source.fileOffsetAt ? source.fileOffsetAt(textOffset) : textOffset;
  return lineAndCharacter(s, fileOffset);
}

/** A link that opens the source file at the passage starting at `textOffset`. */
export function sourceLink(source: Source, textOffset: number): string {
  const { line, character } = sourcePosition(source, textOffset);
  return `${source.id}#L${line + 1},${character + 1}`;
}
