import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './build.js';

const SCREENSHOTS = path.join(ROOT, 'test-results/e2e');

export interface ScreenshotOptions {
  /** The whole page rather than the viewport; default true. */
  fullPage?: boolean;
  /**
   * Scroll to the top first; default true. The shell's header and navigation are fixed, and a
   * scrolled full-page shot paints them mid-page.
   */
  fromTop?: boolean;
}

/** Saves test-results/e2e/<name>.png, for a person to look at; nothing asserts on it. */
export async function screenshot(page: Page, name: string, { fullPage = true, fromTop = true }: ScreenshotOptions = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  if (fromTop) await page.evaluate(() => window.scrollTo(0, 0));
  // The web font arrives in unicode-range slices as text needs them; wait for the ones this page asked for.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}
