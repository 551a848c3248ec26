/**
 * Front matter read without the YAML parser (the simple `key: value` form)
 * must read exactly as the YAML parser reads it; anything else still goes to
 * the YAML parser, with its warnings.
 */
import * as assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { readFrontMatter, metaFromRecord } from '../../server/src/core/sources/parseSource';

/** What the YAML parser alone makes of a front matter body. */
function viaYaml(body: string): { meta: object } | { error: true } {
  try {
    const data = parseYaml(body);
    if (data === null || data === undefined) return { meta: {} };
    if (typeof data !== 'object' || Array.isArray(data)) return { error: true };
    return { meta: metaFromRecord(data as Record<string, unknown>) };
  } catch {
    return { error: true };
  }
}

const VALUES = [
  '"State of the Union, 1842, John Tyler"', '"Re: [gst-devel] Red Hat 8.0"', '"Brown CA (wire)"', '"“Curly” quotes and l’apostrophe"',
  '"Café Müller — São Paulo"', '"He said \\"no\\""', "'single quoted'", '"tab\\there"', '""', '"trailing" ', '"a" # comment',
  '1842', '0', '007', '2023', '1e3', '0x1F', '0o17', '1_000', '12.50', '-5', '+5', '123456789012345', '12345678901234567890',
  '2023-12-29', '2023-12-29T13:44:00Z', '2002-09-29 ', '2023-1-2', 'December 29, 2023',
  'transcript', 'article', 'John Tyler', 'true', 'True', 'FALSE', 'null', 'Null', '~', 'yes', 'No', 'on', 'Off', 'y', 'n', '.inf', '.NaN',
  'plain: colon', 'plain # comment', '[a, b]', '{a: b}', '- item', '&anchor x', '*alias', '!tag x', '|', '>', '@at', '`tick`', '%pct',
  'Xinhua', 'IraqiNews.com', "it's", 'a  b', 'word ', '',
];
const KEYS = ['title', 'outlet', 'date', 'type', 'speaker', 'author', 'key', 'id', 'url', 'published', 'lang', 'other_field'];

describe('front matter read without the YAML parser', () => {
  it('gives the YAML reading of every simple and not-so-simple value', () => {
    let compared = 0;
    for (const key of KEYS) {
      for (const value of VALUES) {
        for (const eol of ['\n', '\r\n']) {
          const body = [`title: "A headline"`, `${key}: ${value}`, `outlet: Wire`].join(eol);
          const text = `---${eol}${body}${eol}---${eol}${eol}Body text.${eol}`;
          const fm = readFrontMatter(text);
          assert.ok(fm, `front matter found for ${JSON.stringify(body)}`);
          const expected = viaYaml(body);
          if ('error' in expected) assert.ok(fm.error, `YAML rejects ${JSON.stringify(body)}, so must we`);
          else assert.deepEqual({ ...fm.meta }, { ...expected.meta }, JSON.stringify(body));
          compared++;
        }
      }
    }
    assert.ok(compared > 1000);
  });

  it('still refuses repeated keys, as the YAML parser does', () => {
    const fm = readFrontMatter('---\ntitle: "One"\ntitle: "Two"\n---\nText.\n');
    assert.ok(fm?.error, 'a repeated key is reported');
    assert.deepEqual(fm?.meta, {});
  });

  it('reads a year as a date and a quoted title with brackets and colons', () => {
    const fm = readFrontMatter('---\ntitle: "Re: [gst-devel] Red Hat 8.0"\ndate: 1961\ntype: transcript\nspeaker: "John Tyler"\n---\n\nText.');
    assert.equal(fm?.meta.title, 'Re: [gst-devel] Red Hat 8.0');
    assert.equal(fm?.meta.date, '1961');
    assert.equal(fm?.meta.type, 'transcript');
    assert.equal(fm?.meta.speaker, 'John Tyler');
  });

  it('reads front matter with comments, lists and escapes through the YAML parser', () => {
    const fm = readFrontMatter('---\n# saved from the web\ntitle: "He said \\"no\\""\ntags:\n  - a\n  - b\n---\nText.');
    assert.equal(fm?.meta.title, 'He said "no"');
    assert.equal(fm?.error, undefined);
  });
});
