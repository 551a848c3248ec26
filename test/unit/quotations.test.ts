/** Finding quotations in a draft: which marks open and close one, and what is never prose. */
import * as assert from 'node:assert/strict';
import { parseDraft } from '../../server/src/core/draft/parseDraft';
import { findQuotations } from '../../server/src/core/draft/quotations';

function quotations(text: string, languageId = 'markdown'): string[] {
  return findQuotations(parseDraft({ id: 'file:///d.md', version: 1, text, languageId })).map((q) => text.slice(q.start, q.end));
}

describe('finding quotations in a draft', () => {
  it('finds straight, curly, low-high and guillemet double quotations', () => {
    assert.deepEqual(quotations('He said "one two" and “three four” and „fünf sechs“ and «sept huit».'), [
      '"one two"',
      '“three four”',
      '„fünf sechs“',
      '«sept huit»',
    ]);
  });

  it('pairs unbalanced mixes of curly and straight marks', () => {
    assert.deepEqual(quotations('It was “an unbalanced quote" and "another one” too.'), ['“an unbalanced quote"', '"another one”']);
  });

  it('finds single-quoted quotations but not apostrophes', () => {
    assert.deepEqual(quotations("Iraq's 'end presence' plan, the '90s, rock 'n' roll, the militias' drones and ‘a curly one’."), [
      "'end presence'",
      '‘a curly one’',
    ]);
  });

  it('keeps a single-quoted quotation inside a double one as part of it', () => {
    assert.deepEqual(quotations('He said "they called it \'a plan\' at first" yesterday.'), ['"they called it \'a plan\' at first"']);
  });

  it('reads an inch mark after a digit as no quotation', () => {
    assert.deepEqual(quotations('A 12" screen and a 15" one.'), []);
  });

  it('runs a quotation over a line break but never over a blank line', () => {
    assert.deepEqual(quotations('He said "one\ntwo three" then.\n\nAnd "an open one\n\nthat never closes" here.'), ['"one\ntwo three"']);
  });

  it('never runs a quotation over a blank line in plain text either', () => {
    assert.deepEqual(quotations('And "an open one\n\nthat never closes" here, then "a closed one".', 'plaintext'), ['"a closed one"']);
  });

  it('takes a Markdown block quote as one quotation and leaves its marks out of the words', () => {
    const text = 'Intro.\n\n> We appreciate the role\n> of the coalition\n\nAfter.';
    const [q] = findQuotations(parseDraft({ id: 'd', version: 1, text, languageId: 'markdown' }));
    assert.equal(text.slice(q.start, q.end), '> We appreciate the role\n> of the coalition');
    assert.equal(q.block, true);
    assert.equal(text.slice(q.innerStart, q.innerEnd), 'We appreciate the role\n> of the coalition');
  });

  it('ignores code spans, code blocks, bare URLs and front matter', () => {
    const text = [
      '---',
      'title: "a quoted title"',
      '---',
      '',
      'Code `"in a span"` and a URL https://example.com/?q="in+a+url" and www.example.org/"also".',
      '',
      '```',
      'say("in a block")',
      '```',
      '',
      'But "this one" counts.',
    ].join('\n');
    assert.deepEqual(quotations(text), ['"this one"']);
  });

  it('reads plain text drafts as prose throughout', () => {
    assert.deepEqual(quotations('> not a block quote in plain text, but "this" is', 'plaintext'), ['"this"']);
  });

  it('gives the inner words without the marks', () => {
    const text = 'He said “we will stay”.';
    const [q] = findQuotations(parseDraft({ id: 'd', version: 1, text, languageId: 'markdown' }));
    assert.equal(q.text, 'we will stay');
    assert.equal(text.slice(q.innerStart, q.innerEnd), 'we will stay');
  });
});

describe('finding quotations in odd drafts', () => {
  it('finds the closed quotation after thousands of unclosed marks in one paragraph', () => {
    const text = '«unclosed '.repeat(5000) + 'and "a closed one" here.';
    const found = quotations(text);
    assert.equal(found[found.length - 1], '"a closed one"');
  });
});
