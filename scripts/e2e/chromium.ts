/** Debian's Chromium, driven by playwright-core (never a downloaded browser). */
import { chromium, type Browser } from 'playwright-core';
import { requireChromium } from './provision';

/** Launches headless Chromium with everything that would reach the network turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
