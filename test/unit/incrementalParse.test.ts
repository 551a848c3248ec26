/**
 * Reading a draft block by block: a draft parsed with a parse memory (blocks
 * whose text did not change are not parsed again) must read exactly as a
 * fresh parse of the whole draft, whatever the Markdown and whatever the edit.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DraftParseMemory, parseDraft, topLevelBlocks, type ParsedDraft } from '../../server/src/core/draft/parseDraft';
import { findQuotations } from '../../server/src/core/draft/quotations';
// The seeded generator the benchmark uses, so a failure can be replayed.
import { mulberry32 as random } from '../../bench/random';

const ROOT = path.resolve(__dirname, '..', '..');

/** Everything a parse says about a draft, and the quotations read from it. */
function reading(parsed: ParsedDraft): object {
  const { draft: _draft, ...rest } = parsed;
  return { ...rest, quotations: findQuotations(parsed) };
}

function draftOf(text: string, version = 1) {
  return { id: 'file:///draft.md', version, text, languageId: 'markdown' };
}

/** Parses `text` with `memory` and asserts it reads as a fresh parse does. */
function assertSameAsFresh(memory: DraftParseMemory, text: string, note = ''): void {
  const fresh = reading(parseDraft(draftOf(text)));
  const remembered = reading(parseDraft(draftOf(text), memory));
  assert.deepEqual(remembered, fresh, `${note}\n--- draft ---\n${JSON.stringify(text)}`);
}


/** Blocks of the kinds that run over blank lines or depend on what came before: the hard cases for reading blocks alone. */
const BLOCKS = [
  'He said "the coalition will leave" on Thursday, and 900 troops remain.',
  'A paragraph with *emphasis over\na line* and “curly quotes” and 2,500 soldiers.',
  '# A heading with 12 in it',
  'Setext heading 3\n===',
  '> "We appreciate the role of the coalition," he said.\n> It goes on.',
  '> one\n>\n> two "quoted words here"',
  '- item one with "a quote"\n- item two',
  '- item\n\n  continued with 40 people',
  '1. first\n\n2. second "words in marks"',
  '- a list item\n  ```\n  fenced in the item\n\n```\n\nafter "the fence" opened again',
  '- ```\n  code in an item\n\n  more\n  ```',
  '```\ncode "not a quote"\n\nstill code 100\n```',
  '~~~js\n\n"inside" tilde fence\n~~~',
  '````\n```\n\nstill inside\n````',
  '   ```\nindented fence "x y"\n\n   ```',
  '    indented code "x y"\n\n    more code',
  '<!-- corroborate-ignore -->',
  '<!--\na comment\n\nover a blank line "not prose"\n-->',
  '<div>\nhtml "in a block"\n</div>',
  '<pre>\n\n"preformatted words"\n\n</pre>',
  '<https://example.com/a> is a link, and so is www.example.com here.',
  'See [the report](https://example.com) and `inline "code"` for 3 figures.',
  '***',
  '---',
  'Cited [@xinhua-2023-12-29] and @reuters-2023-12-28 in text.',
  'Text\twith\ttabs and "tabbed quotes" here.',
  '\tA tab-indented line',
  'As reported[^1] and in [the report] and [the report][r], "with words" of 12.',
  '![an image][r] with "words in marks" and [an unknown one].',
  '[^1]: Xinhua, 29 Dec 2023.\n[^2]: Reuters, "a title".',
  '[the report]: https://example.com\n[r]: <https://example.com/r> "A title"',
  '2. a numbered item "that may not interrupt"',
  '- \n\nan empty item, then "text"',
  'Unclosed "quotation that goes on',
  'and closes here" later.',
];
const FRONT_MATTERS = [
  '---\ntitle: "A title"\n\nauthor: x\n---',
  '+++\ntitle = "x"\n+++',
  '---\nno closing fence here',
  '--- \t\ntitle: "spaces after the fences"\n\nmore: y\n---  ',
  '---\ntitle: x\n\n----\n\n"not the closing fence"\n---',
];
const INSERTS = ['\n\n', '\n', '```', '~~~', '<!--', '-->', '> ', '- ', '    ', '"', '“', ' 12 ', 'text', '\r\n', '[a]: http://x\n', '[a] ', '---\n', '<pre>'];

function randomDraft(next: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const parts: string[] = [];
  if (next() < 0.3) parts.push(pick(FRONT_MATTERS));
  const n = 3 + Math.floor(next() * 10);
  for (let i = 0; i < n; i++) parts.push(pick(BLOCKS));
  let text = parts.join(next() < 0.8 ? '\n\n' : '\n');
  if (next() < 0.1) text = text.replace(/\n/g, '\r\n');
  if (next() < 0.05) text = `\uFEFF${text}`;
  return text;
}

function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const r = next();
  if (r < 0.5) return text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
  if (r < 0.8) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 12)));
  // The benchmark's edit: a sentence appended to a paragraph.
  const end = text.indexOf('\n\n', at);
  const cut = end < 0 ? text.length : end;
  return `${text.slice(0, cut)} It was reported again.${text.slice(cut)}`;
}

describe('reading a draft block by block', () => {
  it('reads the sample drafts and fixtures as a fresh parse does, and again after each paragraph is edited', () => {
    const files = [...fs.readdirSync(path.join(ROOT, 'drafts')).map((f) => path.join(ROOT, 'drafts', f)), path.join(ROOT, 'test/fixtures/quotes/demo.md')];
    for (const file of files) {
      const memory = new DraftParseMemory();
      let text = fs.readFileSync(file, 'utf8');
      assertSameAsFresh(memory, text, file);
      // Later paragraphs first, as a writer going back through the draft.
      const ends = [...text.matchAll(/\S(?=\n\n|\n?$)/g)].map((m) => (m.index ?? 0) + 1).reverse();
      for (const end of ends) {
        text = `${text.slice(0, end)} It was reported again, "said to be 40".${text.slice(end)}`;
        assertSameAsFresh(memory, text, `${file} after an edit at ${end}`);
      }
    }
  });

  it('reads fenced code, HTML blocks, lists, block quotes and front matter as a fresh parse does through random edits', function () {
    this.timeout(60_000);
    for (let seed = 1; seed <= 100; seed++) {
      const next = random(seed);
      const memory = new DraftParseMemory();
      let text = randomDraft(next);
      assertSameAsFresh(memory, text, `seed ${seed}, start`);
      for (let step = 0; step < 20; step++) {
        text = randomEdit(text, next);
        assertSameAsFresh(memory, text, `seed ${seed}, step ${step}`);
      }
    }
  });

  it('reads what follows each kind of block as a fresh parse does when only that part changed', () => {
    const befores = ['A paragraph.', '# A heading', '> A quote', '- an item', '1. an item', '```\ncode\n```', '<!-- corroborate-ignore -->', '***', 'Setext\n===', '    indented code', '\tindented code', '    code\n    \n', '- an item\n\n      code in it', '> a\n>\n>     code in it',
      '- ```\n  a fence in an item that never closes', '> ```\n> a fence in a quote', '- <pre>\n  html in an item', '>     code in a quote', '- [a]: a definition in an item'];
    const afters = ['- \n\nAn empty item "then words".', '2. "Numbered" from two', '<span a="b">\n\n"Words".', '1.\n\nq "words here"', 'Plain "words here" 12.', '[a]: y\n\n"a b" [a]'];
    for (const before of befores) {
      for (const after of afters) {
        const memory = new DraftParseMemory();
        const text = `Intro "words".\n\n${before}\n\n${after}`;
        assertSameAsFresh(memory, text, 'first reading');
        // Only the last block changed: it alone is read again.
        assertSameAsFresh(memory, `${text} It was reported again.`, `${JSON.stringify(before)} then ${JSON.stringify(after)}`);
      }
    }
  });

  it('cuts a draft into blocks at blank lines before unindented lines', () => {
    const text = 'One "a b".\n\nTwo 12.\n\n# Three\n\nFour\n  still four\n\n  still four too';
    assert.deepEqual(topLevelBlocks(text), [0, text.indexOf('Two'), text.indexOf('# Three'), text.indexOf('Four')]);
  });

  it('never cuts inside a fenced code block or the front matter', () => {
    const text = '---\ntitle: x\n\nmore: y\n---\n\nIntro.\n\n```\ncode\n\nNot a block\n```\n\nAfter.';
    assert.deepEqual(topLevelBlocks(text), [0, text.indexOf('Intro'), text.indexOf('```'), text.indexOf('After')]);
  });

  it('reads the rest of a draft whole after an HTML block that may run over blank lines', () => {
    const text = 'One.\n\n<pre>\n\nTwo.\n\n</pre>\n\nThree.';
    assert.deepEqual(topLevelBlocks(text), [0, text.indexOf('<pre>')]);
    const comment = 'One.\n\n<!-- corroborate-ignore -->\n\nTwo.';
    assert.deepEqual(topLevelBlocks(comment), [0, comment.indexOf('<!--'), comment.indexOf('Two')]);
  });

  it('puts the prose of a draft that starts with a byte order mark where it stands', () => {
    const text = '\uFEFF---\ntitle: "not prose"\n\nauthor: x\n---\n\n# Heading\n\nHe said "the words here" today.';
    for (const memory of [undefined, new DraftParseMemory()]) {
      const parsed = parseDraft(draftOf(text), memory);
      assert.deepEqual(
        parsed.prose.map((p) => text.slice(p.start, p.end)),
        ['Heading', 'He said "the words here" today.'],
      );
      assert.deepEqual(
        findQuotations(parsed).map((q) => text.slice(q.start, q.end)),
        ['"the words here"'],
      );
    }
  });

  it('reads references as a fresh parse does when their definitions are in another block, at the end or gone', () => {
    const memory = new DraftParseMemory();
    let text = 'Intro.\n\nSee [the report] and a note[^1], "quoted words" here.\n\nMore [the report].\n\n[the report]: https://example.com\n[^1]: Xinhua, 2023.';
    assert.equal(topLevelBlocks(text)?.length, 4);
    assertSameAsFresh(memory, text, 'definitions at the end');
    text = text.replace('[the report]: https://example.com\n', '');
    assertSameAsFresh(memory, text, 'a definition removed');
    text = text.replace('Intro.', 'Intro [the report].\n\n[the report]: https://example.com');
    assertSameAsFresh(memory, text, 'a definition added near the top');
    text = `[the report]: https://example.com\n\n${text}`;
    assertSameAsFresh(memory, text, 'a definition in the first block');
    text = `${text}\n\n\`\`\`\n[x]: in a fence that never closes`;
    assertSameAsFresh(memory, text, 'a definition-like line in an open fence');
    // Seed 1208 of a longer random run: the last block ends in indented code that holds "]:".
    text = 'Intro.\n\n1. first\n\n2. second [the report] "words"\n\nMore [the report].\n\n    code [a]: http://x';
    assertSameAsFresh(memory, text, 'indented code at the end');
    assertSameAsFresh(memory, text.replace('More', 'Much more'), 'indented code at the end, a block with brackets changed');
  });
});

describe('bare addresses in a draft', () => {
  /** The prose of `text`, as the strings it covers. */
  const proseOf = (text: string) => parseDraft(draftOf(text)).prose.map((s) => text.slice(s.start, s.end));

  it('keeps a bare e-mail address, www link or URL out of prose, each alone next to a citation key', () => {
    for (const address of ['press.office@un.org', 'WWW.un.org/en/900', 'https://un.org/2500']) {
      const text = `Write to ${address} [@xinhua-2023-12-29] on the 40 attacks.`;
      const prose = proseOf(text).join('|');
      assert.ok(!prose.includes(address), `${address} read as prose: ${prose}`);
      assert.match(prose, /40 attacks/);
      assert.deepEqual(parseDraft(draftOf(text)).citations.map((c) => c.key), ['xinhua-2023-12-29']);
    }
  });

  it('reads a citation key\u2019s "@" and an at sign in prose as prose, not as an address', () => {
    const text = 'As [@xinhua-2023-12-29] says, @afp counted 40 attacks, at a rate of 3 @ day.';
    assert.deepEqual(proseOf(text), [text]);
  });
});
