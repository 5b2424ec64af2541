import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../support/postgres-url.js';
import { startChorusServer, type ChorusServer } from './support/chorus-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { invite, signUpFromInvitation } from './support/invitations.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * Operations in a real Chromium against the built server: the instance admin (the first user)
 * takes a backup from Settings → Backups and sees it listed, downloads the org's export, opens,
 * updates and resolves an incident on the Admin page and reads the SLA report, and the public
 * /status page (server-rendered, outside the SPA) shows it. An org admin who is not the
 * instance admin has neither the Backups tab nor the Admin page. On PostgreSQL the Backups tab
 * shows the server's own advice instead (pgBackRest, pg_dump).
 * Needs `npm run build`, a Chromium and PostgreSQL (CHORUS_TEST_PG_URL=off skips that part).
 */

const ADMIN = { name: 'Adam Admin', email: 'adam@example.com', password: 'admin password 42' };

let app: E2eSession;

beforeAll(async () => {
  app = await startE2eSession({ name: 'ops' });
});

afterAll(async () => {
  await app?.close();
});

describe('operations in Chromium', () => {
  it('the instance admin backs up, exports, runs an incident and reads the SLA; others see none of it; /status renders', { timeout: 180_000 }, async () => {
    const { page: owner } = await app.newPage('owner');
    await setUpOwner(owner, OWNER);
    const orgPath = owner.url().replace(/\/streams$/, '');

    // Settings → Backups: the first user runs the installation.
    await owner.getByTestId('nav-settings').click();
    await owner.getByTestId('settings-tab-backups').click();
    await owner.getByTestId('backups-tab').waitFor();
    await owner.getByTestId('backups-table').waitFor();
    // `chorus serve` may already have taken its scheduled first backup.
    const before = await owner.getByTestId('backup-row').count();
    expect(await owner.getByTestId('backup-settings').innerText()).toContain(path.join(app.server.dataDir, 'backups'));
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
    expect(fs.existsSync(path.join(app.server.dataDir, 'backups', `${backup.id}.manifest.json`))).toBe(true);
    await screenshot(owner, 'o01-backups');

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
    await screenshot(owner, 'o02-organization-export');

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
    await screenshot(owner, 'o03-admin-incident-open');

    // The public page, loaded by the browser from the server (not a route of the SPA).
    await owner.getByTestId('admin-status-link').click();
    await owner.waitForURL(`${app.baseUrl}/status`);
    await owner.getByRole('heading', { name: 'Chorus status' }).waitFor();
    const publicPage = await owner.locator('body').innerText();
    expect(publicPage).toContain('Publishing to X is delayed');
    expect(publicPage).toContain('X is rate-limiting our API key');
    expect(await owner.locator('script').count()).toBe(0);
    await screenshot(owner, 'o04-status-page');
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
    await owner.getByTestId('language-picker').selectOption('ja');
    await owner.getByRole('heading', { name: '管理', exact: true }).waitFor();
    await owner.getByText('過去 90 日間に解決したインシデント').waitFor();
    await screenshot(owner, 'o05-admin-japanese');
    await owner.getByTestId('nav-settings').click();
    await owner.getByTestId('settings-tab-backups').click();
    await owner.getByText('今すぐバックアップ').waitFor();
    await screenshot(owner, 'o06-backups-japanese');
    await owner.getByTestId('settings-tab-organization').click();
    await owner.getByText('すべてのデータをエクスポート').waitFor();
    await screenshot(owner, 'o07-organization-japanese');

    // An org admin who did not set the installation up: no Backups tab, no Admin page, refused by the server too.
    const adminInvite = await invite(owner, '管理者');
    const { page: admin } = await app.newPage('admin');
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
    expect((await admin.request.get(`${app.baseUrl}/api/ops/backups`)).status()).toBe(403);
    expect((await admin.request.get(`${app.baseUrl}/api/ops/sla`)).status()).toBe(403);
    // Everyone can reach the public status page from the navigation.
    await admin.getByTestId('nav-status-page').click();
    await admin.waitForURL(`${app.baseUrl}/status`);
    await admin.getByRole('heading', { name: 'Chorus status' }).waitFor();
    await screenshot(admin, 'o08-status-page-from-nav');

    expect(app.problems).toEqual([]);
  });
  it.skipIf(!testPostgresUrl())("on PostgreSQL the Backups tab shows the server's advice instead of backups", { timeout: 90_000 }, async () => {
    const baseDb = testPostgresUrl()!;
    const schema = `chorus_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseDb });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const dbUrl = new URL(baseDb);
    dbUrl.searchParams.set('options', `-c search_path=${schema}`);
    let pgChorus: ChorusServer | undefined;
    try {
      pgChorus = await startChorusServer({ name: 'ops-pg', env: { DATABASE_URL: dbUrl.toString() } });
      // The PostgreSQL-backed server, not the session's, so not app.newPage; only page errors count here.
      const context = await app.browser.newContext({ baseURL: pgChorus.baseUrl, locale: 'en-US', viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => app.problems.push(`pg: page error: ${error.message}`));
      await setUpOwner(page, OWNER);
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-tab-backups').click();
      const advice = page.getByTestId('backups-refused');
      await advice.waitFor();
      expect(await advice.innerText()).toContain('On PostgreSQL use pgBackRest');
      expect(await page.getByTestId('backup-now').isDisabled()).toBe(true);
      await screenshot(page, 'o09-backups-postgresql');
      await context.close();
    } finally {
      await pgChorus?.stop();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
    expect(app.problems).toEqual([]);
  });
});
