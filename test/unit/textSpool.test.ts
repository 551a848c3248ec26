/**
 * The scratch file that holds source texts during a large build: what goes
 * in comes back exactly, in any order, whatever the text, and the file
 * leaves nothing behind.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextSpool, type TextReader } from '../../server/src/textSpool';
import { removeWorkspace, tempWorkspace } from '../helpers/workspace';

function openSpool(dir: string): TextSpool {
  const spool = TextSpool.open(dir);
  if ('problem' in spool) throw new Error(spool.problem);
  return spool;
}

describe('text spool', () => {
  let dir: string;
  beforeEach(() => (dir = tempWorkspace(false)));
  afterEach(() => removeWorkspace(dir));

  it('gives back every text exactly, in any order, including texts beyond ASCII and texts longer than its buffer', () => {
    const spool = openSpool(dir);
    const texts = [
      'Wang Yi said: “China firmly opposes it.”',
      '',
      'Emoji 🇨🇳 and surrogate pairs 𝄞, accents é, CJK 外交部',
      'x'.repeat(400_000) + '…' + 'y'.repeat(300_000),
      ...Array.from({ length: 500 }, (_, i) => `Article ${i}: ${'word '.repeat(i % 97)}“${i}”`),
    ];
    const readers: TextReader[] = texts.map((t, i) => spool.keep(t, i % 7 === 3 ? `<p>${t}</p>` : undefined)!);
    // Backwards, so early texts are read after later ones were written past them.
    for (let i = texts.length - 1; i >= 0; i--) {
      const read = readers[i]();
      assert.equal(read.text, texts[i], `text ${i}`);
      assert.equal(read.fileText, i % 7 === 3 ? `<p>${texts[i]}</p>` : undefined, `file text ${i}`);
    }
    spool.close();
  });

  it('reads a text kept a moment ago, before its buffer was written out', () => {
    const spool = openSpool(dir);
    const first = spool.keep('The first text.')!;
    assert.equal(first().text, 'The first text.');
    const second = spool.keep('The second, with “quotes”.')!;
    assert.equal(second().text, 'The second, with “quotes”.');
    assert.equal(first().text, 'The first text.');
    spool.close();
  });

  it('leaves no file in its folder, even while open, where the system allows', function () {
    if (process.platform === 'win32') this.skip();
    const spool = openSpool(dir);
    spool.keep('Some text.');
    assert.deepEqual(fs.readdirSync(dir), []);
    spool.close();
  });

  it('says clearly that a text can no longer be read once it is closed', () => {
    const spool = openSpool(dir);
    const reader = spool.keep('Gone soon.')!;
    spool.close();
    assert.throws(() => reader(), /text spool was closed/);
    assert.throws(() => spool.keep('Too late.'), /text spool is closed/);
  });

  it('stops taking texts when its file cannot be written (a full disk), still gives back those not yet written out, and says why once', () => {
    const spool = openSpool(dir);
    const kept = Array.from({ length: 20 }, (_, i) => `Text ${i}: ${'é'.repeat(1000)}`);
    const readers = kept.map((t) => spool.keep(t)!);
    // The texts are still in its buffer; the file then fails as a full disk would (here: its descriptor is closed).
    fs.closeSync((spool as unknown as { fd: number }).fd);
    assert.equal(spool.keep('x'.repeat(400_000)), undefined, 'a text that needs a write is refused: the caller keeps it');
    assert.equal(spool.keep('A later text.'), undefined);
    assert.match(spool.takeProblem() ?? '', /EBADF|bad file descriptor/i);
    assert.equal(spool.takeProblem(), undefined, 'said once');
    readers.forEach((read, i) => assert.equal(read().text, kept[i]));
  });

  it('reports why, instead of throwing, when its folder cannot hold a file', () => {
    const result = TextSpool.open(path.join(dir, 'no', 'such', 'folder'));
    assert.ok('problem' in result && /ENOENT/.test(result.problem));
  });
});
