/** Source metadata (front matter → catalog → heuristics), citation keys, HTML extraction and catalogs, on real and messy fixtures. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseKey, parseSource, type ParsedSource } from '../../server/src/core/sources/parseSource';
import { parseCatalog, type Catalog } from '../../server/src/core/sources/catalog';
import { guessMetadata, isDebris } from '../../server/src/core/sources/heuristics';
import { splitParagraphs } from '../../server/src/core/sources/sentences';
import { createCorpusIndex } from '../../server/src/core/index/parts';
import { lineAndCharacter, lineStarts } from '../../server/src/core/text';

const CORPUS = path.resolve(__dirname, '..', '..', 'corpus');
const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'sources');

function parseFile(file: string, catalog: Catalog = new Map(), relativePath = path.basename(file)): { source?: ParsedSource; problems: string[] } {
  const { source, problems } = parseSource({ id: `file://${file}`, relativePath, bytes: fs.readFileSync(file) }, catalog);
  return { source, problems: problems.map((p) => p.message) };
}

function parseText(text: string, relativePath = 'a.txt', catalog: Catalog = new Map()): ParsedSource {
  const { source } = parseSource({ id: relativePath, relativePath, bytes: Buffer.from(text, 'utf8') }, catalog);
  assert.ok(source, 'parsed');
  return source;
}

function guess(text: string) {
  return guessMetadata(text, splitParagraphs(text));
}

const sampleCatalog = (): Catalog => parseCatalog(fs.readFileSync(path.join(CORPUS, 'sources.json'), 'utf8'), 'sources.json').catalog;

describe('sources: heuristics read what the page shows', () => {
  it('takes the outlet from a dateline, not from a parenthesis inside a sentence', () => {
    assert.equal(guess('Headline here for a story\n\nBAGHDAD, Dec. 28 (Xinhua) -- The prime minister spoke.').outlet, 'Xinhua');
    assert.equal(guess('A headline about the talks\n\nBaghdad (IraqiNews.com) – The Iraqi Prime Minister confirmed it.').outlet, 'IraqiNews.com');
    assert.equal(
      guess('The strikes hit groups fighting the Islamic State (ISIS) group in Iraq since mid-October.\n\nOn Thursday, January 18 (Marghumi 28) he spoke.').outlet,
      undefined,
    );
    assert.equal(guess('Leaders meet in Baghdad today\n\nAl-Sudani (R) and Sanchez (L) attend a press conference.').outlet, undefined);
  });

  it('skips page debris before the headline', () => {
    assert.equal(guess('Home>>\n\nIraqi gov\'t moving to end U.S.-led coalition presence: PM\n\n(Xinhua) 13:44, December 29, 2023').title, "Iraqi gov't moving to end U.S.-led coalition presence: PM");
    assert.equal(guess('Friday, November 22, 2024\n\nBaghdad\n\nBaghdad to end international coalition’s presence in Iraq\n\nText.').title, 'Baghdad to end international coalition’s presence in Iraq');
    assert.equal(guess('Home > World > Middle East\n\n# Talks resume in Baghdad\n\nText.').title, 'Talks resume in Baghdad');
  });

  it('invents no headline when the text opens with prose', () => {
    const text = fs.readFileSync(path.join(CORPUS, '003_ab0a295c0ca72cec.txt'), 'utf8');
    assert.equal(guess(text).title, undefined, 'the "Also read this article" link below is not this article\'s headline');
    assert.equal(guess(text).outlet, undefined);
  });

  it('recognises debris lines', () => {
    for (const line of ['Home>>', 'Photos', 'Related Stories', 'Friday, November 22, 2024', 'Powered by automated translation', 'Also read this article', 'Home > World']) {
      assert.ok(isDebris(line), line);
    }
    for (const line of ['Baghdad to end international coalition’s presence in Iraq', 'Iraq plans to end presence of coalition forces']) assert.ok(!isDebris(line), line);
  });

  it('reads a date near the top, and a Published or Updated stamp at either end', () => {
    assert.equal(guess('Headline about the talks\n\n(Xinhua) 13:44, December 29, 2023\n\nBody.').date, '2023-12-29');
    assert.equal(guess('A headline about something\n\nBody one.\n\nBody two.\n\nUpdated: December 28, 2023, 3:59 PM').date, '2023-12-28');
    assert.equal(guess('Headline\n\nPublished 5 Jan 2024\n\nBody.\n\nUpdated: 7 January 2024').date, '2024-01-05');
    assert.equal(guess('A headline without a date\n\nThe talks on Thursday, January 18 went on.').date, undefined);
  });

  it('finds a "By" byline', () => {
    assert.equal(guess('A headline about the talks\n\nBy Jane Roe\n\nBody text.').author, 'Jane Roe');
  });
});

describe('sources: metadata order and keys', () => {
  it('prefers front matter, then the catalog, then heuristics, and says where each field came from', () => {
    const catalog: Catalog = new Map([['front-matter.md', { meta: { title: 'Catalog title', language: 'en' }, unknown: [] }]]);
    const { source } = parseFile(path.join(FIXTURES, 'front-matter.md'), catalog);
    assert.equal(source?.meta.title, 'Front matter wins');
    assert.equal(source?.metaOrigin.title, 'front-matter');
    assert.equal(source?.meta.language, 'en');
    assert.equal(source?.metaOrigin.language, 'catalog');
    assert.equal(source?.meta.url, 'https://example.org/a');
    assert.equal(source?.key, 'reuters-2024-01-05');
    assert.ok(source!.bodyStart > 0 && source!.text.slice(source!.bodyStart).trimStart().startsWith('Home'), 'the body starts after the front matter');
  });

  it('keeps indexing a file whose front matter is broken, with a warning', () => {
    const { source, problems } = parseFile(path.join(FIXTURES, 'broken-front-matter.md'));
    assert.ok(source, 'still indexed');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /broken-front-matter\.md: front matter ignored, it is not valid YAML/);
    assert.ok(source.sentences.some((s) => source.text.slice(s.start, s.end) === 'Talks resumed on Friday, officials said.'));
  });

  it('gives the sample corpus the titles, outlets, dates and keys its texts show', () => {
    const catalog = sampleCatalog();
    const got = fs
      .readdirSync(CORPUS)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => {
        const s = parseFile(path.join(CORPUS, f), catalog).source!;
        return [f.slice(0, 3), s.key, s.meta.outlet ?? null, s.meta.date ?? null, s.meta.title ?? null];
      });
    assert.deepEqual(got, [
      ['000', 'xinhua-2023-12-29', 'Xinhua', '2023-12-29', "Iraqi gov't moving to end U.S.-led coalition presence: PM"],
      ['001', 'iraqinews-nd', 'IraqiNews.com', null, 'Baghdad to end international coalition’s presence in Iraq'],
      ['002', 'al-sudani-iraqi-government-nd', null, null, 'Al-Sudani: The Iraqi government is moving toward ending the presence of the international coalition'],
      ['003', 'al-sudani-davos-nd', null, null, null],
      ['004', 'iraq-plans-end-2023-12-28', null, '2023-12-28', "Iraq plans to 'end presence' of US-led coalition forces, PM says"],
    ]);
  });

  it('lets a catalog null stop a heuristic guess (a crawl date printed at the top)', () => {
    const file = path.join(CORPUS, '001_4088df7950ed3181.txt');
    assert.equal(parseFile(file).source?.meta.date, '2024-11-22', 'without the catalog the header date is taken');
    assert.equal(parseFile(file, sampleCatalog()).source?.meta.date, undefined);
  });

  it('warns about front matter that is never closed and reads the file as text', () => {
    const { source, problems } = parseSource({ id: 'u.md', relativePath: 'u.md', bytes: Buffer.from('---\ntitle: Open\n\nThe minister spoke on Friday.\n') });
    assert.ok(source?.sentences.some((s) => source.text.slice(s.start, s.end) === 'The minister spoke on Friday.'));
    assert.deepEqual(problems.map((p) => p.message), ['u.md: front matter ignored, it has no closing --- line; the whole file is read as text']);
  });

  it('makes readable keys from outlet, author, title or file name', () => {
    assert.equal(baseKey({ outlet: 'Xinhua', date: '2023-12-29' }, 'x.txt'), 'xinhua-2023-12-29');
    assert.equal(baseKey({ outlet: 'IraqiNews.com' }, 'x.txt'), 'iraqinews-nd');
    assert.equal(baseKey({ outlet: 'Le Monde diplomatique', date: '2024' }, 'x.txt'), 'le-monde-diplomatique-2024');
    assert.equal(baseKey({ author: 'José Muñoz', date: '2024-01-02' }, 'x.txt'), 'munoz-2024-01-02');
    assert.equal(baseKey({ title: 'The End of the Mission in Iraq' }, 'x.txt'), 'end-mission-iraq-nd');
    assert.equal(baseKey({}, 'notes/My Article (draft).md'), 'my-article-draft-nd');
  });

  it('keeps keys unique across a corpus and stable when a file is re-read', () => {
    const index = createCorpusIndex();
    const a = parseText('---\noutlet: Reuters\ndate: 2024-01-05\n---\nOne.', 'a.md');
    const b = parseText('---\noutlet: Reuters\ndate: 2024-01-05\n---\nTwo.', 'b.md');
    index.upsert(a);
    index.upsert(b);
    assert.deepEqual(index.keys().sort(), ['reuters-2024-01-05', 'reuters-2024-01-05-b']);
    index.upsert(parseText('---\noutlet: Reuters\ndate: 2024-01-05\n---\nOne, edited.', 'a.md'));
    assert.equal(index.get('a.md')?.key, 'reuters-2024-01-05');
  });
});

describe('sources: catalogs', () => {
  it('reads entries by base name and by sub-folder path, with null as known-unknown', () => {
    const { catalog, problem } = parseCatalog(fs.readFileSync(path.join(FIXTURES, 'catalog-sources.json'), 'utf8'), 'sources.json');
    assert.equal(catalog.get('plain.txt')?.meta.date, '2024-01-05');
    assert.equal(catalog.get('sub/nested.md')?.meta.outlet, 'AP');
    assert.deepEqual(catalog.get('crawled.txt')?.unknown, ['date']);
    assert.match(problem ?? '', /broken-entry\.txt/);
    const source = parseText('Friday, November 22, 2024\n\nA headline about the talks\n\nBody.', 'crawled.txt', catalog);
    assert.equal(source.meta.date, undefined);
  });

  it('reads a YAML catalog given as a list', () => {
    const { catalog } = parseCatalog('- file: a.txt\n  outlet: Reuters\n  date: 2024-01-05\n', 'sources.yaml');
    assert.equal(catalog.get('a.txt')?.meta.outlet, 'Reuters');
    assert.equal(catalog.get('a.txt')?.meta.date, '2024-01-05');
  });

  it('turns a broken catalog into a message, never an exception', () => {
    const { catalog, problem } = parseCatalog('{ "a.txt": { "title": "x", }', 'sources.json');
    assert.equal(catalog.size, 0);
    assert.match(problem ?? '', /^sources\.json: ignored, it cannot be parsed/);
    assert.match(parseCatalog('"just a string"', 'sources.json').problem ?? '', /should map file names/);
  });
});

describe('sources: HTML pages', () => {
  const file = path.join(FIXTURES, 'article.html');
  const { source, problems } = parseFile(file);

  it('reads title, outlet, date and author from the page metadata', () => {
    assert.deepEqual(problems, []);
    assert.equal(source?.meta.title, 'Iraq moves to end coalition presence');
    assert.equal(source?.meta.outlet, 'The Daily Example');
    assert.equal(source?.meta.date, '2023-12-28');
    assert.equal(source?.meta.author, 'Jane Roe');
    assert.equal(source?.key, 'the-daily-example-2023-12-28');
  });

  it('keeps the article text and leaves out navigation, scripts, styles, sidebars and footers', () => {
    const text = source!.text;
    assert.match(text, /“We are in the process of reorganising this relationship,” Mr Al Sudani said/);
    assert.match(text, /\$88 billion/);
    for (const junk of ['SCRIPT TEXT', 'INLINE SCRIPT', 'STYLE TEXT', 'NAVIGATION TEXT', 'FOOTER TEXT', 'Unrelated story', 'Sport']) {
      assert.ok(!text.includes(junk), `no "${junk}"`);
    }
    assert.ok(source!.paragraphs.length >= 5, 'one paragraph per <p>');
  });

  it('maps article offsets back to the same words in the HTML file', () => {
    const text = source!.text;
    const html = source!.fileText!;
    for (const words of ['reorganising this relationship', 'multilateralism', '$88 billion', 'BAGHDAD']) {
      const at = text.indexOf(words);
      const fileAt = source!.fileOffsetAt!(at);
      assert.equal(html.slice(fileAt, fileAt + words.length), words, words);
    }
    // A quotation found in the article points at its line in the file, so a hover link lands on it.
    const quote = source!.quotes.find((q) => text.slice(q.start, q.end).startsWith('We are in the process'));
    assert.equal(quote?.speaker, 'Mr Al Sudani');
    const line = lineAndCharacter(lineStarts(html), source!.fileOffsetAt!(quote!.start)).line;
    assert.match(html.split('\n')[line], /reorganising this relationship/);
  });

  it('indexes the visible text of a short page, never its scripts', () => {
    const page = '<html><head><title>Links</title><script>var x = "hidden";</script></head><body><ul><li>One link</li><li>Two link</li></ul></body></html>';
    const { source: s } = parseSource({ id: 'l.html', relativePath: 'l.html', bytes: Buffer.from(page) });
    assert.ok(s);
    assert.ok(!s.text.includes('hidden'));
    assert.match(s.text, /One link/);
  });

  it('skips a page with no visible text, and says so', () => {
    const page = '<html><head><script>var x = "hidden";</script></head><body><script>more()</script></body></html>';
    const { source: s, problems: p } = parseSource({ id: 'e.html', relativePath: 'e.html', bytes: Buffer.from(page) });
    assert.equal(s, undefined);
    assert.deepEqual(p.map((x) => x.message), ['e.html: skipped, the page has no text']);
  });
});
