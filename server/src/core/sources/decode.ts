/**
 * Bytes to text. UTF-8 is the common case; UTF-16 with a BOM and legacy
 * single-byte encodings (Latin-1, Windows-1252) are detected with `chardet`
 * and decoded with `iconv-lite`. Binary files are recognised and refused.
 */
import * as chardet from 'chardet';
import * as iconv from 'iconv-lite';

export type Decoded = { kind: 'text'; text: string; encoding: string; encodingNote?: string } | { kind: 'binary' };

export function decodeBytes(bytes: Uint8Array): Decoded {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { kind: 'text', text: iconv.decode(buffer.subarray(2), 'utf16le'), encoding: 'UTF-16LE' };
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return { kind: 'text', text: iconv.decode(buffer.subarray(2), 'utf16be'), encoding: 'UTF-16BE' };
  }
  const body = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? buffer.subarray(3) : buffer;
  if (looksBinary(body)) return { kind: 'binary' };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return { kind: 'text', text: utf8.decode(body), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: ask chardet, restricted to encodings that make sense for prose.
    const guess = chardet.detect(body) ?? 'windows-1252';
    const encoding = /^(ISO-8859-\d+|windows-125\d|UTF-16(LE|BE)|KOI8-R|Shift_JIS|EUC-JP|GB18030|Big5|EUC-KR)$/i.test(guess)
      ? guess
      : 'windows-1252';
    return {
      kind: 'text',
      text: iconv.decode(body, encoding),
      encoding,
      encodingNote: `not UTF-8; read as ${encoding}`,
    };
  }
}

/** A NUL byte, or many control characters, in the first 8 KB means this is not prose. */
function looksBinary(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}
