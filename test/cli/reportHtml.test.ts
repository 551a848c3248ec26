/**
 * The report's draft rendering in memory: highlights nest as the spans do,
 * a span that crosses its parent's end is cut there, and all text is escaped.
 */
import { strict as assert } from 'node:assert';
import { escapeHtml, renderDraft, type Layer } from '../../server/src/cli/report';
import { fixedText } from '../../server/src/cli/located';

const layer = (text: string, words: string, name: string, rank = 1, from = 0): Layer => {
  const start = text.indexOf(words, from);
  assert.ok(start >= 0, words);
  return { start, end: start + words.length, open: `<${name}>`, close: `</${name}>`, rank };
};

describe('report draft rendering', () => {
  it('nests a figure highlight inside the quotation that contains it', () => {
    const text = 'He said "we counted 103 attacks" on Tuesday.';
    const html = renderDraft(text, [layer(text, '103', 'f'), layer(text, '"we counted 103 attacks"', 'q')]);
    assert.equal(html, 'He said <q>&quot;we counted <f>103</f> attacks&quot;</q> on Tuesday.');
  });

  it('cuts a highlight that runs past the end of the one it starts in, so tags always nest', () => {
    const text = 'aaa bbb ccc ddd';
    const html = renderDraft(text, [layer(text, 'aaa bbb', 'x'), layer(text, 'bbb ccc', 'y')]);
    assert.equal(html, '<x>aaa <y>bbb</y></x> ccc ddd');
  });

  it('puts a highlight inside a heading that starts at the same place', () => {
    const text = '# 103 attacks\n\nBody.';
    const html = renderDraft(text, [layer(text, '103', 'f'), { start: 0, end: 13, open: '<h>', close: '</h>', rank: 0 }]);
    assert.equal(html, '<h># <f>103</f> attacks</h>\n\nBody.');
  });

  it('escapes markup in the draft text, inside and outside highlights', () => {
    const text = `<script>alert(1)</script> "<img src=x onerror='alert(2)'>" & more`;
    const html = renderDraft(text, [layer(text, `"<img src=x onerror='alert(2)'>"`, 'q')]);
    assert.equal(html, `&lt;script&gt;alert(1)&lt;/script&gt; <q>&quot;&lt;img src=x onerror=&#39;alert(2)&#39;&gt;&quot;</q> &amp; more`);
    assert.equal(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });

  it('keeps text between and after highlights whole, and ignores empty spans', () => {
    const text = 'one two three four';
    const html = renderDraft(text, [layer(text, 'two', 'a'), layer(text, 'four', 'b'), { start: 3, end: 3, open: '<e>', close: '</e>', rank: 1 }]);
    assert.equal(html, 'one <a>two</a> three <b>four</b>');
  });
});

describe('fixed text of a suggested fix', () => {
  it('applies several edits to the stretch of draft they cover', () => {
    const text = 'We value the role of the coalition';
    const fixed = fixedText(text, [
      { start: 3, end: 8, newText: 'appreciate' },
      { start: 25, end: 34, newText: 'alliance' },
    ]);
    assert.deepEqual(fixed, { start: 3, end: 34, text: 'appreciate the role of the alliance' });
  });
});
