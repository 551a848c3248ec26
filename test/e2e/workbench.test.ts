/**
 * The workbench itself, driven in Chromium as a person would use it: the status
 * bar, opening the draft from the Explorer, the squiggle, the hover. Run by
 * scripts/e2e/run.ts against the code-server it started (the address comes in
 * CORROBORATE_E2E_WORKBENCH_URL); screenshots go to test-output/e2e/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/e2e/chromium';

const url = process.env.CORROBORATE_E2E_WORKBENCH_URL;
const output = process.env.CORROBORATE_E2E_OUTPUT ?? path.resolve(__dirname, '..', '..', 'test-output', 'e2e');
/** Generous: the first workbench load on a busy 2-core machine takes 10 to 20 s. */
const WORKBENCH_MS = 90_000;

describe('Corroborate in the VS Code workbench (Chromium)', function () {
  let browser: Browser;
  let page: Page;

  before(async function () {
    if (!url) throw new Error('CORROBORATE_E2E_WORKBENCH_URL is not set: run this through npm run test:e2e');
    fs.mkdirSync(output, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 760 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_MS });
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(output, `failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  });

  it('shows the number of indexed sources in the status bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'Corroborate: 5 sources' });
    await item.waitFor({ timeout: WORKBENCH_MS });
  });

  it('underlines a problem in the draft opened from the Explorer and explains it on hover', async () => {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^draft\.md$/ });
    await row.waitFor({ timeout: WORKBENCH_MS });
    await row.dblclick();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'Iraq and the coalition' }).waitFor({ timeout: WORKBENCH_MS });

    const squiggles = editor.locator('.squiggly-warning');
    await squiggles.first().waitFor({ timeout: WORKBENCH_MS });
    // The topmost squiggle is the first problem in the draft: the misquotation once quotes are checked.
    const boxes = (await Promise.all((await squiggles.all()).map((s) => s.boundingBox()))).filter((b) => b !== null);
    const first = boxes.sort((a, b) => a.y - b.y || a.x - b.x)[0];
    assert.ok(first, 'a squiggle is on screen');
    await page.mouse.move(first.x + Math.min(first.width / 2, 40), first.y + first.height / 2);

    const hover = page.locator('.monaco-hover', { hasText: /corroborate/i }).first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    // The warning shows at once; Corroborate's own hover (the source passage) follows in a Markdown part.
    await hover.locator('.markdown-hover').first().waitFor({ state: 'visible', timeout: 20_000 });
    await hover.getByText('Loading...').waitFor({ state: 'detached', timeout: 20_000 });
    const text = await hover.innerText();
    assert.match(text, /corroborate\((quote-mismatch|figure-mismatch|citation-unknown|quote-unsourced)\)/, `hover text: ${text}`);
    await page.screenshot({ path: path.join(output, 'editor-hover.png') });
  });
});
