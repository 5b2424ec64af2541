import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { invite, signUpFromInvitation } from './support/invitations.js';
import { EDITOR, OWNER, type Person } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * Two-factor sign-in and sessions in a real Chromium against the built server: the owner sees
 * this browser in the sessions list, enrols an authenticator app from the QR page (the test
 * plays the app, computing codes from the secret the page shows), signs out, and signs back in
 * with a code and then with a recovery code. The owner then requires two-factor sign-in for the
 * org, and a newly invited editor is led to enrolment before the org opens to them.
 * Needs `npm run build` and Debian's chromium.
 */

let app: E2eSession;

/**
 * The app's code for the step after now: inside the server's ±1 step window, and newer than
 * any code used before it, so signing in right after enrolling never replays a used step.
 */
const nextCode = (secret: string): string => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + 30_000 });

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await page.waitForURL('**/login');
}

async function passwordStep(page: Page, who: Person): Promise<void> {
  await page.getByRole('textbox', { name: /^Email/ }).fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('two-factor-form').waitFor();
}

/** Enrols from whichever page shows the set-up form; returns the secret and the recovery codes. */
async function enrol(page: Page, who: Person): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page
    .getByTestId('two-factor-start')
    .getByLabel(/^Current password/)
    .fill(who.password);
  await page.getByTestId('two-factor-begin').click();
  await page.getByTestId('two-factor-qr').waitFor();
  const secret = (await page.getByTestId('two-factor-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByTestId('two-factor-confirm-code').fill(TOTP.generate({ secret: Secret.fromBase32(secret) }));
  await page.getByTestId('two-factor-confirm').click();
  await page.getByTestId('recovery-codes').waitFor();
  const recoveryCodes = await page.getByTestId('recovery-code').allInnerTexts();
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

beforeAll(async () => {
  app = await startE2eSession({ name: 'two-factor' });
});

afterAll(async () => {
  await app?.close();
});

describe('two-factor sign-in in Chromium', () => {
  it(
    'enrols from the QR page, signs in with a code and a recovery code; an org that requires it leads a new member to enrolment',
    { timeout: 180_000 },
    async () => {
      const { page: owner } = await app.newPage('owner');
      await setUpOwner(owner, OWNER);

      // Settings → Security: this browser is the one session.
      await owner.getByTestId('nav-settings').click();
      await owner.getByTestId('settings-tab-security').click();
      const row = owner.getByTestId('session-row');
      await row.waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.getAttribute('data-current')).toBe('true');
      expect(await row.innerText()).toContain('Chrome on Linux');
      expect(await row.getByTestId('this-browser').textContent()).toBe('This browser');
      expect(await owner.getByTestId('two-factor-state').textContent()).toBe('Off');

      await owner.getByTestId('two-factor-set-up').click();
      const { secret, recoveryCodes } = await enrol(owner, OWNER);
      await screenshot(owner, 'two-factor-01-recovery-codes');
      await owner.getByTestId('recovery-codes-saved').click();
      await expect.poll(() => owner.getByTestId('two-factor-state').textContent()).toBe('On');

      // Sign out; the password alone no longer signs in, the code does.
      await signOut(owner);
      await passwordStep(owner, OWNER);
      await screenshot(owner, 'two-factor-02-code-step');
      await owner.getByTestId('two-factor-code').fill(nextCode(secret));
      await owner.getByRole('button', { name: 'Verify' }).click();
      await owner.waitForURL(/\/orgs\/[^/]+\/streams$/);
      await owner.getByRole('heading', { name: 'Streams' }).waitFor();

      // And once with a recovery code, which then counts as used.
      await signOut(owner);
      await passwordStep(owner, OWNER);
      await owner.getByTestId('two-factor-switch').click();
      await owner.getByTestId('recovery-code-input').fill(recoveryCodes[0]!);
      await owner.getByRole('button', { name: 'Verify' }).click();
      await owner.waitForURL(/\/orgs\/[^/]+\/streams$/);
      await owner.getByTestId('nav-settings').click();
      await owner.getByTestId('settings-tab-security').click();
      await owner.getByText('Unused recovery codes: 9').waitFor();

      // Settings → Organization: require two-factor sign-in of every member.
      await owner.getByTestId('settings-tab-organization').click();
      const required = owner.waitForResponse((r) => r.url().endsWith('/security') && r.request().method() === 'PATCH');
      await owner.getByRole('switch', { name: 'Require two-factor sign-in for every member' }).click();
      expect((await required).status()).toBe(200);
      await owner.getByText('Two-factor sign-in is now required in this organization').waitFor();

      // A new editor joins and is asked to enrol before the org opens.
      const link = await invite(owner, 'Editor');
      const { page: editor } = await app.newPage('editor');
      await signUpFromInvitation(editor, link, EDITOR);
      await editor.getByTestId('two-factor-required').waitFor();
      expect(await editor.getByTestId('nav-settings').count()).toBe(0);
      await screenshot(editor, 'two-factor-03-required');
      await enrol(editor, EDITOR);
      await editor.getByTestId('recovery-codes-saved').click();
      await editor.getByRole('heading', { name: 'Streams' }).waitFor();
      expect(await editor.getByTestId('two-factor-required').count()).toBe(0);

      // The owner sees who signs in with two factors.
      await owner.reload();
      const editorRow = owner.locator(`[data-testid="member-row"][data-email="${EDITOR.email}"]`);
      await editorRow.waitFor();
      expect(await editorRow.getByTestId('member-two-factor').textContent()).toBe('On');

      expect(app.problems).toEqual([]);
    },
  );
});
