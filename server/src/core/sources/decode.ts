/**
 * Bytes to text. UTF-8 is the common case; UTF-16 with a BOM and legacy
 * single-byte encodings (Latin-1, Windows-1252) are detected with `chardet`
 * and decoded with `iconv-lite`. Binary files are recognised and refused.
 */
import * as chardet from 'chardet';
import * as iconv from 'iconv-lite';

export type Decoded = { kind: 'text'; text: string; encoding: string; encodingNote?: string } | { kind: 'binary' };

/**
 * Decodes the bytes of a corpus file. Never throws: a file that is not text
 * comes back as `binary`, a guessed encoding carries a note for the user.
 */
export function decodeBytes(bytes: Uint8Array): Decoded {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { kind: 'text', text: iconv.decode(buffer.subarray(2), 'utf16le'), encoding: 'UTF-16LE' };
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return { kind: 'text', text: iconv.decode(buffer.subarray(2), 'utf16be'), encoding: 'UTF-16BE' };
  }
  const body = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? buffer.subarray(3) : buffer;
  const utf16 = utf16WithoutBom(body);
  if (utf16) {
    return { kind: 'text', text: iconv.decode(body, utf16), encoding: utf16, encodingNote: `no byte order mark; read as ${utf16}` };
  }
  if (looksBinary(body)) return { kind: 'binary' };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return { kind: 'text', text: utf8.decode(body), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: ask chardet, restricted to encodings that make sense for prose.
    const guess = chardet.detect(body) ?? 'windows-1252';
    // Latin-1 files from Windows carry curly quotes and dashes in 0x80-0x9F, which
    // only Windows-1252 reads as characters (browsers decode "ISO-8859-1" the same way).
    const encoding = /^ISO-8859-1$/i.test(guess)
      ? 'windows-1252'
      : /^(ISO-8859-\d+|windows-125\d|KOI8-R|Shift_JIS|EUC-JP|GB18030|Big5|EUC-KR)$/i.test(guess)
        ? guess
        : 'windows-1252';
    return {
      kind: 'text',
      text: iconv.decode(body, encoding),
      encoding,
      encodingNote: `not UTF-8; read as ${encoding} (a guess: if characters look wrong, save the file as UTF-8)`,
    };
  }
}

/**
 * UTF-16 saved without a byte order mark: in English and most European text
 * every other byte is zero. Checked on the first 8 KB; at least 90% of the
 * odd (little-endian) or even (big-endian) bytes must be zero, and none of the others.
 */
function utf16WithoutBom(bytes: Buffer): 'UTF-16LE' | 'UTF-16BE' | undefined {
  const n = Math.min(bytes.length, 8192) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs >= 0.9 && evenZero === 0) return 'UTF-16LE';
  if (evenZero / pairs >= 0.9 && oddZero === 0) return 'UTF-16BE';
  return undefined;
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
