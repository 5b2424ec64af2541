import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The walking skeleton through a real Chromium against the real built server: first-run setup,
 * sign-out/in, inviting a teammate who signs up from the link, and switching to Japanese.
 * Needs `npm run build` first and Debian's chromium (`apt-get install chromium fonts-ipafont-gothic`).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results/e2e');

const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery', org: 'Acme Coffee' };
const EDITOR = { name: 'Eddie Editor', email: 'eddie@example.com', password: 'editor password 42' };

let server: ChildProcess;
let serverLog = '';
let baseUrl: string;
let dataDir: string;
let browser: Browser;
const problems: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${serverLog}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${serverLog}`);
}

/** A fresh browser profile in English; page errors and CSP violations are collected as problems. */
async function newPage(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-US', viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
  page.on('console', (message) => {
    // A 401 from GET /api/session while signed out is expected; Chrome logs every failed load.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`${name}: console: ${message.text()}`);
  });
  return { context, page };
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

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
  for (const built of [CLI, path.join(ROOT, 'web/dist/index.html')]) {
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before the e2e test`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-ipafont-gothic`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-e2e-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (serverLog += chunk));
  server.stderr!.on('data', (chunk) => (serverLog += chunk));
  await waitUntilReady(baseUrl, 30_000);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('web shell in Chromium', () => {
  it('sets up the owner, invites an editor who signs up from the link, and speaks Japanese', async () => {
    const { page: owner } = await newPage('owner');

    // First run: "/" leads to the owner setup.
    await owner.goto('/');
    await owner.waitForURL('**/setup');
    await expect.poll(() => owner.getByRole('heading', { name: 'Create the owner' }).isVisible()).toBe(true);
    await shot(owner, '01-setup');
    await owner.getByRole('textbox', { name: /^Name/ }).fill(OWNER.name);
    await owner.getByRole('textbox', { name: /^Email/ }).fill(OWNER.email);
    await owner.getByLabel(/^Password/).fill(OWNER.password);
    await owner.getByRole('textbox', { name: /^Organization name/ }).fill(OWNER.org);
    await owner.getByRole('button', { name: 'Create owner and start' }).click();
    await owner.waitForURL(/\/orgs\/[^/]+\/streams$/);
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
    const { context: inviteeContext, page: invitee } = await newPage('invitee');
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
    await owner.getByTestId('language-picker').click();
    await owner.getByRole('option', { name: '日本語' }).click();
    expect((await saved).status()).toBe(200);
    await owner.getByRole('heading', { name: '設定' }).waitFor();
    expect(await owner.locator('html').getAttribute('lang')).toBe('ja');
    expect(await owner.getByTestId('settings-tab-team').innerText()).toBe('チーム');
    expect(await editorRow.getByTestId('member-role').inputValue()).toBe('編集者');
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
    const { context: otherDevice, page: elsewhere } = await newPage('other-device');
    await elsewhere.goto('/login');
    await signIn(elsewhere, OWNER);
    await elsewhere.getByRole('heading', { name: 'ストリーム' }).waitFor();
    expect(await elsewhere.locator('html').getAttribute('lang')).toBe('ja');
    await otherDevice.close();

    expect(problems).toEqual([]);
  });

  it('says clearly when sign-in is locked after repeated failures, with a countdown', async () => {
    const { context, page } = await newPage('lockout');
    await page.goto('/login');
    const who = { email: 'mallory@example.com', password: 'not the password' };
    // The server locks an account after 5 failures in its window; the 6th attempt is refused.
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
    expect(problems).toEqual([]);
  });
});
