/** Bytes to text: UTF-8, UTF-16 with and without a byte order mark, Latin-1 and Windows-1252, binary and empty files. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeBytes } from '../../server/src/core/sources/decode';
import { MAX_SOURCE_BYTES, parseSource } from '../../server/src/core/sources/parseSource';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'sources');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const SPOKEN = 'Baghdad (IraqiNews.com) – “We appreciate the role of the coalition,” said Al-Sudani. Emoji: 😀.\n';

function textOf(bytes: Uint8Array): string {
  const d = decodeBytes(bytes);
  assert.equal(d.kind, 'text');
  return d.kind === 'text' ? d.text : '';
}

describe('decode: bytes to text', () => {
  it('reads UTF-16 with a byte order mark, little- and big-endian, curly quotes and emoji intact', () => {
    assert.equal(textOf(read('utf16le-bom.txt')), SPOKEN);
    assert.equal(textOf(read('utf16be-bom.txt')), SPOKEN);
  });

  it('reads UTF-16 saved without a byte order mark', () => {
    const le = decodeBytes(Buffer.from('Talks resumed in Baghdad on Friday.', 'utf16le'));
    assert.equal(le.kind === 'text' && le.text, 'Talks resumed in Baghdad on Friday.');
    assert.match(le.kind === 'text' ? le.encodingNote ?? '' : '', /UTF-16LE/);
  });

  it('reads Windows-1252 curly quotes and accents, with a note that the encoding was guessed', () => {
    const d = decodeBytes(read('windows-1252.txt'));
    assert.equal(d.kind === 'text' && d.text, 'Café owners in Montréal said the naïve plan cost £250,000.\n\n“We will not pay,” said René Lévesque.\n');
    assert.match(d.kind === 'text' ? d.encodingNote ?? '' : '', /not UTF-8; read as windows-1252/);
  });

  it('reads Latin-1', () => {
    assert.equal(textOf(read('latin1.txt')), 'São Paulo é grande. José Muñoz disse que a cidade tem 12 milhões de habitantes, e a população cresce.\n');
  });

  it('strips a UTF-8 byte order mark and reads UTF-8 without a note', () => {
    const d = decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('“Quoted” – café', 'utf8')]));
    assert.deepEqual(d, { kind: 'text', text: '“Quoted” – café', encoding: 'UTF-8' });
  });

  it('refuses a binary file', () => {
    assert.deepEqual(decodeBytes(read('binary.txt')), { kind: 'binary' });
  });
});

describe('decode: what a user is told about each bad file', () => {
  const parse = (name: string, bytes: Uint8Array = read(name)) => parseSource({ id: name, relativePath: name, bytes });

  it('skips a binary file with a clear message', () => {
    const { source, problems } = parse('binary.txt');
    assert.equal(source, undefined);
    assert.deepEqual(problems, [{ severity: 'skipped', message: 'binary.txt: skipped, it looks like a binary file, not text' }]);
  });

  it('skips an empty file and a blank one', () => {
    for (const name of ['empty.txt', 'blank.txt']) {
      const { source, problems } = parse(name);
      assert.equal(source, undefined);
      assert.deepEqual(problems, [{ severity: 'skipped', message: `${name}: skipped, the file is empty` }]);
    }
  });

  it('skips a file over 5 MB without decoding it', () => {
    const { source, problems } = parse('huge.txt', new Uint8Array(MAX_SOURCE_BYTES + 1));
    assert.equal(source, undefined);
    assert.match(problems[0].message, /^huge\.txt: skipped, 5\.0 MB is over the 5 MB limit/);
  });

  it('indexes a Windows-1252 file with a warning, its quotation found with its speaker', () => {
    const { source, problems } = parse('windows-1252.txt');
    assert.equal(problems[0].severity, 'warning');
    const quote = source!.quotes.find((q) => source!.text.slice(q.start, q.end) === 'We will not pay,');
    assert.equal(quote?.speaker, 'René Lévesque');
  });
});
