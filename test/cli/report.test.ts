/**
 * `corroborate report` opened in headless Chromium (Debian's, driven by
 * playwright-core): highlights by verdict, clicks that reveal sources, the
 * summary, and a hostile source that must not run script in the page.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO, removeWorkspace, tempWorkspace } from '../helpers/workspace';
import { corroborate, requireBuild, workspaceWithDrafts } from './run';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT = path.join(REPO, 'test-output');

/** Verdicts that stand for a problem; each such highlight has one diagnostic in `check`. */
const PROBLEM_VERDICTS = ['mismatch', 'paraphrase', 'unsourced', 'contradicted', 'unknown-key'];

describe('corroborate report', function () {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let pageErrors: string[];

  before(async function () {
    requireBuild();
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    dir = workspaceWithDrafts();
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The report must need nothing from the network.
    await page.route(/^(?!file:|data:|about:)/, (route) => {
      pageErrors.push(`network request to ${route.request().url()}`);
      return route.abort();
    });
  });
  afterEach(async () => {
    await page?.close();
    removeWorkspace(dir);
  });

  async function writeReport(draft: string, out = 'out/report.html'): Promise<string> {
    const run = await corroborate(dir, ['report', draft, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Wrote ${out.replace(/[.]/g, '\\.')}: `));
    return path.join(dir, out);
  }

  it('writes one self-contained page: no external styles, scripts, images or fonts', async () => {
    const html = fs.readFileSync(await writeReport('drafts/sample.md'), 'utf8');
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    assert.doesNotMatch(html, /@import|url\(/i);
  });

  it('highlights every quotation, figure and citation by verdict, one problem highlight per diagnostic of check', async () => {
    const file = await writeReport('drafts/sample.md');
    await page.goto(pathToFileURL(file).href);
    const verdicts = await page.locator('mark[data-item]').evaluateAll((marks) => marks.map((m) => `${m.getAttribute('data-kind')}:${m.getAttribute('data-verdict')}`));
    const count = (v: string) => verdicts.filter((x) => x === v).length;
    // The sample draft's mix: correct quotations and figures, and one of each deliberate error.
    assert.ok(count('quote:verified') >= 3, `verified quotations: ${verdicts}`);
    assert.equal(count('quote:mismatch'), 1);
    assert.equal(count('quote:paraphrase'), 1);
    assert.equal(count('quote:unsourced'), 1);
    assert.equal(count('figure:contradicted'), 2, `contradicted figures: ${verdicts}`);
    assert.ok(count('figure:verified') >= 2, `figures that agree: ${verdicts}`);
    assert.equal(count('citation:cited'), 1);
    assert.equal(count('citation:unknown-key'), 1);

    const check = await corroborate(dir, ['check', 'drafts/sample.md', '--format', 'json']);
    const diagnostics = JSON.parse(check.stdout) as Array<{ code: string }>;
    assert.equal(verdicts.filter((v) => PROBLEM_VERDICTS.includes(v.split(':')[1])).length, diagnostics.length, 'the report and check agree');

    // The summary table counts what is highlighted.
    const summary = await page.locator('table.summary tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({ swatch: r.querySelector('.swatch')!.className, n: Number(r.querySelector('td.n')!.textContent) })),
    );
    const total = summary.reduce((n, row) => n + row.n, 0);
    assert.equal(total, verdicts.length);
    assert.equal(await page.locator('table.problems tbody tr').count(), diagnostics.length);
    assert.deepEqual(pageErrors, []);
  });

  it('shows the source passage, outlet, date and citation of a misquotation when it is clicked', async () => {
    const file = await writeReport('drafts/sample.md');
    await page.goto(pathToFileURL(file).href);
    assert.equal(await page.locator('.detail:visible').count(), 0, 'no panel before a click');
    const mark = page.locator('mark[data-verdict="mismatch"]');
    await mark.click();
    const detail = page.locator('.detail:visible');
    assert.equal(await detail.count(), 1);
    const text = await detail.innerText();
    assert.match(text, /Mismatch/);
    assert.match(text, /Xinhua/);
    assert.match(text, /29 December 2023/);
    assert.match(text, /We appreciate the role of the coalition/, "the source's own wording");
    assert.match(text, /\[@xinhua-2023-12-29\]/);
    assert.match(text, /corpus\/000_0a6316ea67d87268\.txt:\d+/);
    assert.match(text, /Replace with the wording from Xinhua/);
    assert.ok(await mark.evaluate((m) => m.classList.contains('selected')));
    // The README's screenshot: the summary, the draft and the open source panel in one frame.
    await page.setViewportSize({ width: 1360, height: 1700 });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'report.png') });
    assert.deepEqual(pageErrors, []);
  });

  it('lays the sources of a quotation carried by several outlets side by side', async () => {
    const file = await writeReport('drafts/sample.md');
    await page.goto(pathToFileURL(file).href);
    await page.locator('mark[data-verdict="verified"]', { hasText: 'moving toward ending the presence' }).first().click();
    const cards = page.locator('.detail:visible .source');
    assert.ok((await cards.count()) >= 2, 'the quotation is in more than one source');
    const [first, second] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
    assert.ok(first && second && Math.abs(first.y - second.y) < 2 && second.x > first.x, 'two source cards in one row');
  });

  it('opens the right panel from a row of the problems table', async () => {
    const file = await writeReport('drafts/sample.md');
    await page.goto(pathToFileURL(file).href);
    const row = page.locator('table.problems tbody tr', { hasText: 'citation-unknown' });
    await row.click();
    const detail = page.locator('.detail:visible');
    assert.match(await detail.innerText(), /Unknown key[\s\S]*reuters-2023-12-28/);
  });

  it('shows hostile source and draft text as text: no script runs, no element is injected', async () => {
    const hostile = tempWorkspace(false);
    try {
      fs.mkdirSync(path.join(hostile, 'corpus'));
      fs.writeFileSync(
        path.join(hostile, 'corpus', 'hostile.txt'),
        [
          `<script>window.__pwned = 'title'</script><img src=x onerror="window.__pwned = 'title-img'"> Minister vows to rebuild`,
          '',
          `MOSUL (Hostile Wire) -- The minister said: "We will rebuild <img src=x onerror=\\"window.__pwned = 'quote'\\"> every bridge in Mosul by spring." `,
          '',
          `Officials counted 42 bridges destroyed <script>window.__pwned = 'body'</script> in the fighting.`,
          '',
        ].join('\n'),
      );
      fs.writeFileSync(
        path.join(hostile, 'draft.txt'),
        `The minister said: "We will rebuild <img src=x onerror=\\"window.__pwned = 'quote'\\"> every bridge in Mosul by spring."\n\nOfficials counted 42 bridges destroyed. <script>window.__pwned = 'draft'</script> <b onmouseover="window.__pwned = 'hover'">bold</b> [@nobody-"><img src=x onerror=alert(1)>]\n`,
      );
      const run = await corroborate(hostile, ['report', 'draft.txt', '--out', 'report.html']);
      assert.equal(run.code, 0, run.stderr);
      await page.goto(pathToFileURL(path.join(hostile, 'report.html')).href);
      for (const mark of await page.locator('mark[data-item]').all()) await mark.click();
      await page.locator('body').hover();
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned), undefined);
      assert.equal(await page.locator('script').count(), 1, "only the report's own script");
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('b[onmouseover], [onerror]').count(), 0);
      const text = await page.locator('body').innerText();
      assert.match(text, /<script>window\.__pwned = 'draft'<\/script>/, 'the draft markup is shown as text');
      assert.match(text, /onerror/);
      assert.deepEqual(pageErrors, []);
    } finally {
      removeWorkspace(hostile);
    }
  });

  it('exits 2 with a one-line reason when the draft cannot be read or the report cannot be written', async () => {
    const run = await corroborate(dir, ['report', 'drafts/nothing.md']);
    assert.equal(run.code, 2);
    assert.deepEqual(run.stderr.trim().split('\n'), ['corroborate: cannot read drafts/nothing.md: no such file']);
    assert.ok(!fs.existsSync(path.join(dir, 'report.html')));
    const unwritable = await corroborate(dir, ['report', 'drafts/sample.md', '--out', 'no/such/folder/report.html']);
    assert.equal(unwritable.code, 2);
    assert.deepEqual(unwritable.stderr.trim().split('\n'), ['corroborate: cannot write no/such/folder/report.html: its folder does not exist']);
  });
});
