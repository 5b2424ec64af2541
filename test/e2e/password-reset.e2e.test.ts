import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer, type MailServer } from '../support/mail-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * "Forgot password?" in a real Chromium against the built server and a real SMTP server:
 * ask for a link on the sign-in page, open the mailed link, set a new password, sign in.
 * Needs `npm run build` first.
 */

// The link in the mail names the configured public URL; the test opens its path on the server under test.
const PUBLIC_URL = 'https://chorus.example';
const NEW_PASSWORD = 'a fresh and long password';

let mail: MailServer;
let app: E2eSession;

beforeAll(async () => {
  mail = await startMailServer();
  app = await startE2eSession({
    name: 'password-reset',
    env: { CHORUS_SMTP_URL: mail.smtpUrl, CHORUS_MAIL_FROM: 'Chorus <chorus@chorus.example>', CHORUS_PUBLIC_URL: PUBLIC_URL },
  });
});

afterAll(async () => {
  await app?.close();
  await mail?.close();
});

describe('password reset in Chromium', () => {
  it('mails a link from the sign-in page, sets a new password with it, and signs in', async () => {
    const { context: ownerContext, page: owner } = await app.newPage('owner');
    await setUpOwner(owner, OWNER);
    await ownerContext.close();

    const { page } = await app.newPage('forgetful');
    await page.goto('/login');
    await page.getByRole('textbox', { name: /^Email/ }).fill(OWNER.email);
    await page.getByTestId('forgot-password').click();
    await page.waitForURL('**/forgot-password?email=*');
    expect(await page.getByRole('textbox', { name: /^Email/ }).inputValue()).toBe(OWNER.email);
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    await page.getByTestId('password-reset-sent').waitFor();
    expect(await page.getByTestId('password-reset-sent').innerText()).toContain('30 minutes');
    await screenshot(page, 'password-reset-01-sent');

    const received = await mail.nextMail();
    const link = /https:\/\/chorus\.example(\/reset-password\/[A-Za-z0-9_-]+)/.exec(received.text);
    expect(link).not.toBeNull();
    await page.goto(link![1]!);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByTestId('password-reset-done').waitFor();
    await screenshot(page, 'password-reset-02-done');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('textbox', { name: /^Email/ }).fill(OWNER.email);
    await page.getByLabel(/^Password/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/orgs\/[^/]+\/streams$/);

    // The used link says so and offers a new one.
    await page.goto(link![1]!);
    await page.getByTestId('password-reset-invalid').waitFor();
    expect(await page.getByTestId('password-reset-invalid').innerText()).toContain('already used');
    expect(app.problems).toEqual([]);
  });
});
