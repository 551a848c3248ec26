/** Paragraphs, sentences and the quotations inside sources with their speakers, on hard cases and the sample corpus. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitParagraphs, splitSentences } from '../../server/src/core/sources/sentences';
import { parseSource } from '../../server/src/core/sources/parseSource';

const CORPUS = path.resolve(__dirname, '..', '..', 'corpus');

function sentencesOf(text: string): string[] {
  return splitSentences(text, splitParagraphs(text)).map((s) => text.slice(s.start, s.end));
}

function quotesOf(text: string): Array<[string, string | undefined]> {
  const { source } = parseSource({ id: 'q.txt', relativePath: 'q.txt', bytes: Buffer.from(text, 'utf8') });
  return source!.quotes.map((q) => [source!.text.slice(q.start, q.end), q.speaker]);
}

function sampleQuotes(file: string): Array<[string, string | undefined]> {
  const { source } = parseSource({ id: file, relativePath: file, bytes: fs.readFileSync(path.join(CORPUS, file)) });
  return source!.quotes.map((q) => [source!.text.slice(q.start, q.end), q.speaker]);
}

const find = (quotes: Array<[string, string | undefined]>, start: string) => quotes.find(([q]) => q.startsWith(start));

describe('sentences: splitting', () => {
  const cases: Array<[string, string, string[]]> = [
    ['keeps titles and month abbreviations inside a sentence', 'BAGHDAD, Dec. 28 (Xinhua) -- Mr. Smith met Dr. Jones. They spoke.', ['BAGHDAD, Dec. 28 (Xinhua) -- Mr. Smith met Dr. Jones.', 'They spoke.']],
    ['keeps U.S. and initials inside a sentence', 'The U.S. Army and J. R. Smith agreed. Talks ended.', ['The U.S. Army and J. R. Smith agreed.', 'Talks ended.']],
    ['ends a sentence at a name that begins with Al-', 'The talks were led by Al-Sudani. Sanchez agreed.', ['The talks were led by Al-Sudani.', 'Sanchez agreed.']],
    ['keeps "et al." inside a sentence', 'He cited Smith et al. in his speech. Then he left.', ['He cited Smith et al. in his speech.', 'Then he left.']],
    ['keeps a closing quote with its sentence, straight or curly', '“It is over.” He left. "We stay." She stayed.', ['“It is over.”', 'He left.', '"We stay."', 'She stayed.']],
    ['does not end a sentence at a question in a quotation followed by its attribution', '“Is it over?” she asked. Nobody knew.', ['“Is it over?” she asked.', 'Nobody knew.']],
    ['splits a quotation of two sentences into its sentences, the attribution staying with the second', '"We will stay. We will fight," he said. Then silence.', ['"We will stay.', 'We will fight," he said.', 'Then silence.']],
    ['keeps an ellipsis in brackets inside a sentence', 'Protecting American personnel (…) and the United States will act. Next.', ['Protecting American personnel (…) and the United States will act.', 'Next.']],
    ['keeps decimals and thousands inside a sentence', 'It cost $2.5 billion, or 2,500 million. Fine.', ['It cost $2.5 billion, or 2,500 million.', 'Fine.']],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(sentencesOf(text), expected));

  it('reads one long line per paragraph as separate paragraphs, and joins hard-wrapped lines', () => {
    const long = 'A'.repeat(130) + '.\nShort line.\n' + 'B'.repeat(130) + '.';
    assert.equal(splitParagraphs(long).length, 3);
    const wrapped = 'This paragraph is wrapped\nat a narrow width, as plain\ntext files often are.\n\nSecond paragraph.';
    assert.equal(splitParagraphs(wrapped).length, 2);
  });

  it('splits the sample article that has one paragraph per line', () => {
    const text = fs.readFileSync(path.join(CORPUS, '003_ab0a295c0ca72cec.txt'), 'utf8');
    const paragraphs = splitParagraphs(text);
    assert.equal(paragraphs.length, text.trim().split('\n').length);
  });

  it('gives every sentence offsets that slice back to its words', () => {
    const text = fs.readFileSync(path.join(CORPUS, '002_1d7b1556ae453f1b.txt'), 'utf8');
    const sentences = splitSentences(text, splitParagraphs(text));
    for (const s of sentences) assert.equal(text.slice(s.start, s.end).trim(), text.slice(s.start, s.end));
    assert.ok(sentences.some((s) => text.slice(s.start, s.end) === 'There are approximately 2,500 American soldiers in Iraq, while about 900 American soldiers are deployed in Syria, as part of the efforts made by Washington to prevent the return of ISIS.'));
  });
});

describe('sources: quotations and their speakers', () => {
  const cases: Array<[string, string, Array<[string, string | undefined]>]> = [
    ['takes the speaker after the quotation: said X', '"We appreciate the role of the coalition," said Al-Sudani.', [['We appreciate the role of the coalition,', 'Al-Sudani']]],
    ['takes the speaker after the quotation: X said', '“It is unacceptable,” Al-Sudani said.', [['It is unacceptable,', 'Al-Sudani']]],
    ['takes a described speaker: the Iraqi Prime Minister stated', '“It is unacceptable,” the Iraqi Prime Minister stated.', [['It is unacceptable,', 'the Iraqi Prime Minister']]],
    ['takes the speaker before the quotation: He added, “…”', 'Al-Sudani spoke first. He added, “The government is in the process of rearranging.”', [['The government is in the process of rearranging.', 'Al-Sudani']]],
    ['takes the named person out of a job title', 'National Security Council spokeswoman Adrian Watson said in a statement: “A drone targeted our personnel.”', [['A drone targeted our personnel.', 'Adrian Watson']]],
    ['resolves "he said" to the last named speaker', '“We will stay,” said Mr Sanchez. Later he spoke again.\n\n“We will help,” he said.', [['We will stay,', 'Mr Sanchez'], ['We will help,', 'Mr Sanchez']]],
    ['carries a speaker through a participle: stressing that “…”', '"The first part," said the Iraqi prime minister, stressing that "the second part."', [['The first part,', 'the Iraqi prime minister'], ['the second part.', 'the Iraqi prime minister']]],
    ['reads a quotation opened curly and closed straight', 'Mr Al Sudani spoke. “With the presence of capable Iraqi forces, we go on." Then he left.', [['With the presence of capable Iraqi forces, we go on.', undefined]]],
    ['reads single-quoted words in a headline but not apostrophes', "Iraq plans to 'end presence' of gov't forces, Iraq's PM says", [['end presence', undefined]]],
    ['does not take a weekday for a speaker', '“We met,” said Thursday’s statement.', [['We met,', undefined]]],
    [
      'follows a quotation across paragraphs and gives every piece the speaker named at the end',
      '“The first paragraph of a long statement goes on\n\n“and the second paragraph ends it,” said Adrian Watson.',
      [['The first paragraph of a long statement goes on', 'Adrian Watson'], ['and the second paragraph ends it,', 'Adrian Watson']],
    ],
    ['ends a quotation left open at its paragraph', '“An unclosed quotation runs to the end\n\nNext paragraph without marks.', [['An unclosed quotation runs to the end', undefined]]],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(quotesOf(text), expected));

  it('attributes the Xinhua quotations to Al-Sudani and the prime minister', () => {
    const quotes = sampleQuotes('000_0a6316ea67d87268.txt');
    assert.equal(find(quotes, 'We appreciate the role of the coalition')?.[1], 'Al-Sudani');
    assert.equal(find(quotes, 'The Iraqi government is in the process')?.[1], 'the Iraqi prime minister');
    assert.equal(find(quotes, 'the Iraqi government is moving toward ending')?.[1], 'the Iraqi prime minister');
    assert.equal(find(quotes, 'courageous stance')?.[1], 'Al-Sudani', '"He appreciated Spain\'s role and “courageous stance…”" after "Al-Sudani pointed out"');
  });

  it('resolves every "He said" of the translated report to Al-Sudani, and "She added" to the spokeswoman', () => {
    const quotes = sampleQuotes('002_1d7b1556ae453f1b.txt');
    for (const start of ['this visit also comes', 'more efforts to pressure', 'The meeting with the Spanish Prime Minister', 'There have recently been attacks', 'there will be practical steps']) {
      assert.equal(find(quotes, start)?.[1], 'Al-Sudani', start);
    }
    assert.equal(find(quotes, 'The Iranian-backed Kataib Hezbollah')?.[1], 'Adrian Watson');
  });

  it('attributes the Davos quotation to Al-Sudani although the article never opens with his name', () => {
    const quotes = sampleQuotes('003_ab0a295c0ca72cec.txt');
    assert.match(find(quotes, 'The end of the international coalition’s mission')?.[1] ?? '', /Al-Sudani/);
    assert.equal(find(quotes, 'Today, according to the analysis')?.[1], 'Sudani');
  });

  it('tells Sanchez’s words from Al Sudani’s in the same article', () => {
    const quotes = sampleQuotes('004_bb8dced5199b2cb5.txt');
    assert.equal(find(quotes, 'We are in the process of reorganising')?.[1], 'Mr Al Sudani');
    assert.equal(find(quotes, 'With the presence of capable Iraqi forces')?.[1], 'Mr Al Sudani', 'a paragraph that is only a quotation continues the speaker before');
    assert.equal(find(quotes, 'must be within the framework')?.[1], 'Mr Al Sudani');
    assert.equal(find(quotes, 'I directed the strikes')?.[1], 'President Joe Biden');
    assert.equal(find(quotes, 'My country, always at the request')?.[1], 'Mr Sanchez');
    assert.equal(find(quotes, 'In Iraq, Spain has demonstrated')?.[1], 'Mr Sanchez');
    assert.equal(find(quotes, 'terrorist acts')?.[1], undefined, 'a scare quote has no speaker');
  });
});
