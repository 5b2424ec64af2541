import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeFindings, blocking, type AxeFinding } from './support/accessibility.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';
import { connectTeamFeedChannel } from './support/team-channel.js';

/**
 * Everyone can use it: axe-core in Chromium on the six main screens (streams, publish, calendar,
 * contacts, settings, /status), in English and Japanese, at desktop width and on a 390 px phone,
 * with 0 critical and 0 serious violations. On the phone the header fits, the account menu is on
 * screen, and the board's columns snap one at a time. Needs `npm run build` and a Chromium.
 */

let app: E2eSession;

beforeAll(async () => {
  app = await startE2eSession({ name: 'accessibility' });
});

afterAll(async () => {
  await app?.close();
});

const SCREENS = [
  { name: 'streams', path: 'streams', ready: 'page-streams' },
  { name: 'publish', path: 'publish', ready: 'composer' },
  { name: 'calendar', path: 'calendar', ready: 'page-calendar' },
  { name: 'contacts', path: 'contacts', ready: 'page-contacts' },
  { name: 'settings', path: 'settings/team', ready: 'page-settings' },
] as const;

/** Runs axe on every main screen of the org, and /status, in the page's current language. */
async function checkScreens(page: Page, orgId: string, label: string): Promise<Record<string, AxeFinding[]>> {
  const found: Record<string, AxeFinding[]> = {};
  for (const screen of SCREENS) {
    await page.goto(`/orgs/${orgId}/${screen.path}`);
    await page.getByTestId(screen.ready).waitFor();
    await page
      .locator('.mantine-Loader-root')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    found[screen.name] = await axeFindings(page);
    await screenshot(page, `a11y-${label}-${screen.name}`);
  }
  await page.goto(label.startsWith('ja') ? '/status?lang=ja' : '/status');
  await page.locator('h1').waitFor();
  found.status = await axeFindings(page);
  await screenshot(page, `a11y-${label}-status`);
  return found;
}

describe('accessibility in Chromium', () => {
  it('finds no critical or serious axe violation on the main screens, in English and Japanese, on desktop and phone', { timeout: 300_000 }, async () => {
    const { context, page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    const orgId = new URL(page.url()).pathname.split('/')[2]!;

    // Something on every screen: a team channel, a column, a scheduled post, a contact.
    await connectTeamFeedChannel(page);
    await page.getByTestId('nav-streams').click();
    await page.getByTestId('board-create-first').click();
    await page.getByTestId('board-name').fill('Front desk');
    await page.getByTestId('board-save').click();
    await page.getByTestId('add-column').first().click();
    await page.getByTestId('add-column-source').click();
    await page.getByRole('listbox').getByRole('option').first().click();
    await page.getByTestId('add-column-submit').click();
    await page.getByTestId('stream-column').first().waitFor();
    await page.getByTestId('nav-publish').click();
    await page.getByTestId('account-chip').first().click();
    await page.getByTestId('composer-text').fill('Roasting class on Saturday #coffee @olivia');
    await page.getByTestId('action-schedule').click();
    await page.getByTestId('composer-sent').waitFor();
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('new-contact').click();
    await page.getByTestId('contact-name').fill('Hana Sato');
    await page.getByTestId('contact-email').fill('hana@example.com');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-contact').or(page.getByTestId('contact-row').first()).waitFor();

    const report: Record<string, Record<string, AxeFinding[]>> = {};
    report.en = await checkScreens(page, orgId, 'en');

    await page.goto(`/orgs/${orgId}/streams`);
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByRole('heading', { name: 'ストリーム', exact: true }).waitFor();
    report.ja = await checkScreens(page, orgId, 'ja');

    // A 390 px phone, in Japanese (the longer labels).
    await page.setViewportSize({ width: 390, height: 844 });
    report['ja-390'] = await checkScreens(page, orgId, 'ja-390');
    // Every screen is checked before judging, so one run lists everything that is wrong.
    const serious: string[] = [];
    for (const [label, screens] of Object.entries(report)) {
      for (const [screen, findings] of Object.entries(screens)) {
        console.log(`axe ${label} ${screen}: ${findings.map((f) => `${f.id} (${f.impact}, ${f.nodes})`).join(', ') || 'no violations'}`);
        for (const finding of blocking(findings)) serious.push(`${label} ${screen}: ${finding.id} (${finding.impact}) ${finding.targets.join(' | ')}`);
      }
    }
    await page.goto(`/orgs/${orgId}/streams`);
    await page.getByTestId('stream-column').first().waitFor();
    // Nothing sticks out sideways: the header fits and the page does not scroll horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const header = await page.locator('header').boundingBox();
    expect(header!.x + header!.width).toBeLessThanOrEqual(390);
    // The account menu opens on screen, profile and sign-out included.
    await page.getByTestId('user-menu').click();
    for (const item of [page.getByRole('menuitem').first(), page.getByTestId('sign-out')]) {
      const box = (await item.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await screenshot(page, 'a11y-ja-390-account-menu', { fullPage: false });
    await page.keyboard.press('Escape');
    // Columns snap one at a time.
    expect(await page.getByTestId('board-columns').evaluate((board) => getComputedStyle(board).scrollSnapType)).toMatch(/x mandatory/);
    expect(
      await page
        .getByTestId('stream-column')
        .first()
        .evaluate((column) => getComputedStyle(column).scrollSnapAlign),
    ).toBe('start');

    expect(serious).toEqual([]);
    await context.close();
    expect(app.problems).toEqual([]);
  });
});
