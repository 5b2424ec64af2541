import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { submitOwnerSetup } from './support/first-run.js';
import { EDITOR, OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * The walking skeleton through a real Chromium against the real built server: first-run setup,
 * sign-out/in, inviting a teammate who signs up from the link, and switching to Japanese.
 * Needs `npm run build` first, and a Chromium (test/e2e/support/chromium.ts finds one).
 */

let app: E2eSession;

const shot = (page: Page, name: string) => screenshot(page, name, { fromTop: false });

async function signOut(page: Page, label: string): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: label }).click();
  await page.waitForURL('**/login');
}

/** Signs in on the English sign-in page. */
async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByRole('textbox', { name: /^Email/ }).fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  // The machine's time zone, and a shorter window than the other files'.
  app = await startE2eSession({ name: 'skeleton', browserProfile: { timezoneId: undefined, viewport: { width: 1366, height: 860 } } });
});

afterAll(async () => {
  await app?.close();
});

describe('web shell in Chromium', () => {
  it('sets up the owner, invites an editor who signs up from the link, and speaks Japanese', async () => {
    const { page: owner } = await app.newPage('owner');

    // First run: "/" leads to the owner setup.
    await owner.goto('/');
    await owner.waitForURL('**/setup');
    await expect.poll(() => owner.getByRole('heading', { name: 'Create the owner' }).isVisible()).toBe(true);
    await shot(owner, '01-setup');
    await submitOwnerSetup(owner, OWNER);
    await owner.getByRole('heading', { name: 'Streams' }).waitFor();
    expect(await owner.getByTestId('org-switcher').innerText()).toContain(OWNER.org);
    await shot(owner, '02-streams');

    // Sign out, then back in.
    await signOut(owner, 'Sign out');
    await owner.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(owner, '03-login');
    await signIn(owner, OWNER);
    await owner.waitForURL(/\/orgs\/[^/]+\/streams$/);

    // Settings → Team → invite an editor.
    await owner.getByTestId('nav-settings').click();
    await owner.waitForURL(/\/settings\/team$/);
    await owner.getByTestId('invite-role').click();
    await owner.getByRole('option', { name: 'Editor' }).click();
    await owner.getByTestId('create-invitation').click();
    await owner.getByTestId('invite-url').waitFor();
    const inviteUrl = await owner.getByTestId('invite-url').inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[^/]+$/);
    await owner.getByTestId('invitation-row').first().waitFor();
    await shot(owner, '04-team-invited');

    // The invitee opens the link in their own browser profile and signs up.
    const { context: inviteeContext, page: invitee } = await app.newPage('invitee');
    await invitee.goto(inviteUrl);
    await invitee.getByTestId('invitation-summary').waitFor();
    expect(await invitee.getByTestId('invitation-org').innerText()).toBe(OWNER.org);
    expect(await invitee.getByTestId('invitation-role').textContent()).toBe('Editor');
    await shot(invitee, '05-invitation');
    await invitee.getByRole('textbox', { name: /^Name/ }).fill(EDITOR.name);
    await invitee.getByRole('textbox', { name: /^Email/ }).fill(EDITOR.email);
    await invitee.getByLabel(/^Password/).fill(EDITOR.password);
    await invitee.getByRole('button', { name: 'Create account and join' }).click();
    await invitee.waitForURL(/\/orgs\/[^/]+\/streams$/);
    // An editor sees the team but cannot manage it.
    await invitee.getByTestId('nav-settings').click();
    await invitee.getByTestId('team-read-only').waitFor();
    expect(await invitee.getByTestId('invite-form').count()).toBe(0);
    expect(await invitee.getByTestId('settings-tab-audit').count()).toBe(0);
    await shot(invitee, '06-editor-team');
    await inviteeContext.close();

    // The owner sees the new member in the team list, with the invited role.
    await owner.reload();
    const editorRow = owner.locator(`[data-testid="member-row"][data-email="${EDITOR.email}"]`);
    await editorRow.waitFor();
    expect(await editorRow.innerText()).toContain(EDITOR.name);
    expect(await editorRow.getByTestId('member-role').inputValue()).toBe('Editor');
    expect(await owner.getByTestId('no-invitations').isVisible()).toBe(true);
    await shot(owner, '07-team-with-editor');

    // Japanese: the page switches at once, <html lang> follows, and the choice is saved to the account.
    const saved = owner.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await owner.getByTestId('language-picker').selectOption('ja');
    expect((await saved).status()).toBe(200);
    await owner.getByRole('heading', { name: '設定' }).waitFor();
    expect(await owner.locator('html').getAttribute('lang')).toBe('ja');
    expect(await owner.getByTestId('settings-tab-team').innerText()).toBe('チーム');
    expect(await editorRow.getByTestId('member-role').inputValue()).toBe('編集者');
    // Japanese renders from the font the app ships, on a machine with or without CJK system fonts.
    const shippedFontLoaded = await owner.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((face) => face.family.replace(/"/g, '') === 'Noto Sans JP' && face.status === 'loaded');
    });
    expect(shippedFontLoaded).toBe(true);
    await shot(owner, '08-team-japanese');
    await owner.getByTestId('settings-tab-audit').click();
    await owner.getByText('招待から参加').waitFor();
    await shot(owner, '08b-audit-japanese');
    await owner.getByTestId('settings-tab-tokens').click();
    await owner.getByRole('textbox', { name: /^名前/ }).fill('レポート');
    await owner.getByTestId('create-token').click();
    await owner.getByTestId('new-token').waitFor();
    expect(await owner.getByTestId('new-token').inputValue()).toMatch(/^chorus_pat_/);
    await owner.getByTestId('token-row').waitFor();
    await shot(owner, '08c-tokens-japanese');

    await signOut(owner, 'サインアウト');
    await owner.getByRole('heading', { name: 'サインイン' }).waitFor();
    expect(await owner.locator('html').getAttribute('lang')).toBe('ja');
    await shot(owner, '09-login-japanese');

    // A fresh device (English browser, nothing stored) gets the account's saved language after signing in.
    const { context: otherDevice, page: elsewhere } = await app.newPage('other-device');
    await elsewhere.goto('/login');
    await signIn(elsewhere, OWNER);
    await elsewhere.getByRole('heading', { name: 'ストリーム' }).waitFor();
    expect(await elsewhere.locator('html').getAttribute('lang')).toBe('ja');
    await otherDevice.close();

    expect(app.problems).toEqual([]);
  });

  it('says clearly when sign-in is locked after repeated failures, with a countdown', async () => {
    const { context, page } = await app.newPage('lockout');
    await page.goto('/login');
    const who = { email: 'mallory@example.com', password: 'not the password' };
    // The server refuses an address after 5 failures at one account in its window: the 6th attempt.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
      await signIn(page, who);
      await answered;
    }
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Sign-in temporarily locked[\s\S]*locked until \d+:\d\d/);
    expect(await page.getByRole('button', { name: /Try again in \d+:\d\d/ }).isDisabled()).toBe(true);
    await shot(page, '10-login-locked');
    await context.close();
    expect(app.problems).toEqual([]);
  });
});
