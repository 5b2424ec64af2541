import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../support/postgres-url.js';

/**
 * Operations in a real Chromium against the built server: the instance admin (the first user)
 * takes a backup from Settings → Backups and sees it listed, downloads the org's export, opens,
 * updates and resolves an incident on the Admin page and reads the SLA report, and the public
 * /status page (server-rendered, outside the SPA) shows it. An org admin who is not the
 * instance admin has neither the Backups tab nor the Admin page. On PostgreSQL the Backups tab
 * shows the server's own advice instead (pgBackRest, pg_dump).
 * Needs `npm run build`, Debian's chromium and PostgreSQL (CHORUS_TEST_PG_URL=off skips that part).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
// CHORUS_E2E_BUILD: a copy built elsewhere (dist/ and web/dist/ side by side), when others rebuild this checkout's.
const BUILD = process.env.CHORUS_E2E_BUILD ?? ROOT;
const CLI = path.join(BUILD, 'dist/cli/main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results/e2e');

const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery', org: 'Acme Coffee' };
const ADMIN = { name: 'Adam Admin', email: 'adam@example.com', password: 'admin password 42' };

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

/** A fresh browser profile in English on UTC; page errors and console errors are collected as problems. */
async function newPage(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`${name}: console: ${message.text()}`);
  });
  return { context, page };
}

// From the top: the shell's header and navigation are fixed, and a scrolled full-page shot paints them mid-page.
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function invite(owner: Page, role: string): Promise<string> {
  await owner.getByTestId('nav-settings').click();
  await owner.getByTestId('settings-tab-team').click();
  await owner.getByTestId('invite-role').click();
  await owner.getByRole('option', { name: role, exact: true }).click();
  await owner.getByTestId('create-invitation').click();
  const url = owner.getByTestId('invite-url');
  await url.waitFor();
  return url.inputValue();
}

async function signUpFromInvitation(page: Page, url: string, who: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.getByTestId('invitation-summary').waitFor();
  await page.getByRole('textbox', { name: /^Name/ }).fill(who.name);
  await page.getByRole('textbox', { name: /^Email/ }).fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await page.waitForURL(/\/orgs\/[^/]+\/streams$/);
}

beforeAll(async () => {
  for (const built of [CLI, path.join(BUILD, 'web/dist/index.html')]) {
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before the e2e test`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-ipafont-gothic`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-e2e-ops-'));
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

describe('operations in Chromium', () => {
  it('the instance admin backs up, exports, runs an incident and reads the SLA; others see none of it; /status renders', { timeout: 180_000 }, async () => {
    const { page: owner } = await newPage('owner');
    await owner.goto('/');
    await owner.waitForURL('**/setup');
    await owner.getByRole('textbox', { name: /^Name/ }).fill(OWNER.name);
    await owner.getByRole('textbox', { name: /^Email/ }).fill(OWNER.email);
    await owner.getByLabel(/^Password/).fill(OWNER.password);
    await owner.getByRole('textbox', { name: /^Organization name/ }).fill(OWNER.org);
    await owner.getByRole('button', { name: 'Create owner and start' }).click();
    await owner.waitForURL(/\/orgs\/[^/]+\/streams$/);
    const orgPath = owner.url().replace(/\/streams$/, '');

    // Settings → Backups: the first user runs the installation.
    await owner.getByTestId('nav-settings').click();
    await owner.getByTestId('settings-tab-backups').click();
    await owner.getByTestId('backups-tab').waitFor();
    await owner.getByTestId('backups-table').waitFor();
    // `chorus serve` may already have taken its scheduled first backup.
    const before = await owner.getByTestId('backup-row').count();
    expect(await owner.getByTestId('backup-settings').innerText()).toContain(path.join(dataDir, 'backups'));
    const taken = owner.waitForResponse((r) => r.url().endsWith('/api/ops/backups') && r.request().method() === 'POST');
    await owner.getByTestId('backup-now').click();
    const takenResponse = await taken;
    expect(takenResponse.status()).toBe(201);
    const { backup, pruned } = (await takenResponse.json()) as { backup: { id: string; rowCounts: Record<string, number> }; pruned: string[] };
    const row = owner.locator(`[data-testid="backup-row"][data-backup-id="${backup.id}"]`);
    await row.waitFor();
    // Retention keeps one backup per hour: an earlier one from this hour is pruned and leaves the list.
    expect(await owner.getByTestId('backup-row').count()).toBe(before + 1 - pruned.length);
    const rows = Object.values(backup.rowCounts).reduce((sum, n) => sum + n, 0);
    expect(await row.getByTestId('backup-rows').innerText()).toBe(rows.toLocaleString('en-US'));
    expect(fs.existsSync(path.join(dataDir, 'backups', `${backup.id}.manifest.json`))).toBe(true);
    await shot(owner, 'o01-backups');

    // Settings → Organization: the owner's export is a plain download link.
    await owner.getByTestId('settings-tab-organization').click();
    const exportLink = owner.getByTestId('export-org');
    await exportLink.waitFor();
    const href = await exportLink.getAttribute('href');
    expect(href).toMatch(/^\/api\/orgs\/[^/]+\/export$/);
    const download = owner.waitForEvent('download');
    await exportLink.click();
    const archive = await download;
    expect(archive.suggestedFilename()).toMatch(/^chorus-export-.+\.tar\.gz$/);
    const saved = await archive.path();
    expect(fs.readFileSync(saved).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    await shot(owner, 'o02-organization-export');

    // Admin: open an incident, post an update, resolve it; the SLA report has twelve months.
    await owner.getByTestId('nav-admin').click();
    await owner.getByTestId('page-admin').waitFor();
    await owner.getByTestId('status-summary').waitFor();
    await owner.getByTestId('no-open-incidents').waitFor();
    await owner.getByTestId('incident-title').fill('Publishing to X is delayed');
    await owner.getByTestId('incident-message').fill('Posts to X are going out late. We are looking into it.');
    await owner.getByTestId('incident-components').fill('X publishing');
    await owner.keyboard.press('Enter');
    const opened = owner.waitForResponse((r) => r.url().endsWith('/api/ops/incidents') && r.request().method() === 'POST');
    await owner.getByTestId('incident-open').click();
    expect((await opened).status()).toBe(201);
    const incident = owner.locator('[data-testid="open-incidents"] [data-testid="incident"]');
    await incident.waitFor();
    expect(await incident.getAttribute('data-state')).toBe('investigating');
    expect(await incident.innerText()).toContain('X publishing');
    expect(await owner.getByTestId('status-summary').getAttribute('data-status')).toBe('degraded');
    await incident.getByTestId('update-state').click();
    await owner.getByRole('option', { name: 'Identified' }).click();
    await incident.getByTestId('update-message').fill('X is rate-limiting our API key; retries are spaced out.');
    await incident.getByTestId('update-post').click();
    await expect.poll(() => incident.getAttribute('data-state')).toBe('identified');
    expect(await incident.getByTestId('incident-update').count()).toBe(2);
    const sla = owner.getByTestId('sla-table');
    await sla.waitFor();
    expect(await sla.getByTestId('sla-row').count()).toBe(12);
    await shot(owner, 'o03-admin-incident-open');

    // The public page, loaded by the browser from the server (not a route of the SPA).
    await owner.getByTestId('admin-status-link').click();
    await owner.waitForURL(`${baseUrl}/status`);
    await owner.getByRole('heading', { name: 'Chorus status' }).waitFor();
    const publicPage = await owner.locator('body').innerText();
    expect(publicPage).toContain('Publishing to X is delayed');
    expect(publicPage).toContain('X is rate-limiting our API key');
    expect(await owner.locator('script').count()).toBe(0);
    await shot(owner, 'o04-status-page');
    await owner.goBack();
    await owner.getByTestId('page-admin').waitFor();

    const resolvable = owner.locator('[data-testid="open-incidents"] [data-testid="incident"]');
    await resolvable.getByTestId('update-state').click();
    await owner.getByRole('option', { name: 'Resolved' }).click();
    await resolvable.getByTestId('update-message').fill('Posts to X are on time again.');
    await resolvable.getByTestId('update-post').click();
    await owner.locator('[data-testid="resolved-incidents"] [data-testid="incident"][data-state="resolved"]').waitFor();
    await owner.getByTestId('no-open-incidents').waitFor();
    expect(await owner.locator('[data-testid="resolved-incidents"] [data-testid="incident-update-form"]').count()).toBe(0);

    // The same pages in Japanese.
    await owner.getByTestId('language-picker').click();
    await owner.getByRole('option', { name: '日本語' }).click();
    await owner.getByRole('heading', { name: '管理', exact: true }).waitFor();
    await owner.getByText('過去 90 日間に解決したインシデント').waitFor();
    await shot(owner, 'o05-admin-japanese');
    await owner.getByTestId('nav-settings').click();
    await owner.getByTestId('settings-tab-backups').click();
    await owner.getByText('今すぐバックアップ').waitFor();
    await shot(owner, 'o06-backups-japanese');
    await owner.getByTestId('settings-tab-organization').click();
    await owner.getByText('すべてのデータをエクスポート').waitFor();
    await shot(owner, 'o07-organization-japanese');

    // An org admin who did not set the installation up: no Backups tab, no Admin page, refused by the server too.
    const adminInvite = await invite(owner, '管理者');
    const { page: admin } = await newPage('admin');
    await signUpFromInvitation(admin, adminInvite, ADMIN);
    await admin.getByTestId('nav-settings').click();
    await admin.getByTestId('settings-tab-audit').waitFor();
    expect(await admin.getByTestId('settings-tab-backups').count()).toBe(0);
    expect(await admin.getByTestId('nav-admin').count()).toBe(0);
    expect(await admin.getByTestId('export-section').count()).toBe(0);
    await admin.goto(`${orgPath}/settings/backups`);
    await admin.waitForURL(/\/settings\/team$/);
    await admin.goto(`${orgPath}/admin`);
    await admin.waitForURL(/\/streams$/);
    expect((await admin.request.get(`${baseUrl}/api/ops/backups`)).status()).toBe(403);
    expect((await admin.request.get(`${baseUrl}/api/ops/sla`)).status()).toBe(403);
    // Everyone can reach the public status page from the navigation.
    await admin.getByTestId('nav-status-page').click();
    await admin.waitForURL(`${baseUrl}/status`);
    await admin.getByRole('heading', { name: 'Chorus status' }).waitFor();
    await shot(admin, 'o08-status-page-from-nav');

    expect(problems).toEqual([]);
  });
  it.skipIf(!testPostgresUrl())('on PostgreSQL the Backups tab shows the server\'s advice instead of backups', { timeout: 90_000 }, async () => {
    const baseDb = testPostgresUrl()!;
    const schema = `chorus_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseDb });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const dbUrl = new URL(baseDb);
    dbUrl.searchParams.set('options', `-c search_path=${schema}`);
    const port = await freePort();
    const pgBase = `http://127.0.0.1:${port}`;
    let log = '';
    const pgServer = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-e2e-ops-pg-'))], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: dbUrl.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pgServer.stdout!.on('data', (chunk) => (log += chunk));
    pgServer.stderr!.on('data', (chunk) => (log += chunk));
    try {
      const deadline = Date.now() + 30_000;
      while (!(await fetch(`${pgBase}/readyz`).then((r) => r.ok, () => false))) {
        if (pgServer.exitCode !== null || Date.now() > deadline) throw new Error(`PostgreSQL-backed server did not start:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const context = await browser.newContext({ baseURL: pgBase, locale: 'en-US', viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`pg: page error: ${error.message}`));
      await page.goto('/');
      await page.waitForURL('**/setup');
      await page.getByRole('textbox', { name: /^Name/ }).fill(OWNER.name);
      await page.getByRole('textbox', { name: /^Email/ }).fill(OWNER.email);
      await page.getByLabel(/^Password/).fill(OWNER.password);
      await page.getByRole('textbox', { name: /^Organization name/ }).fill(OWNER.org);
      await page.getByRole('button', { name: 'Create owner and start' }).click();
      await page.waitForURL(/\/orgs\/[^/]+\/streams$/);
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-tab-backups').click();
      const advice = page.getByTestId('backups-refused');
      await advice.waitFor();
      expect(await advice.innerText()).toContain('On PostgreSQL use pgBackRest');
      expect(await page.getByTestId('backup-now').isDisabled()).toBe(true);
      await shot(page, 'o09-backups-postgresql');
      await context.close();
    } finally {
      const exited = new Promise((resolve) => pgServer.once('exit', resolve));
      if (pgServer.exitCode === null) pgServer.kill('SIGTERM');
      await exited;
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
    expect(problems).toEqual([]);
  });
});
