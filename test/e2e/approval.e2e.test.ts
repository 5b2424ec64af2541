import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The approval workflow in a real Chromium against the built server and its in-process
 * publisher, on the team-feed channel (no external network): an editor proposes, the owner
 * rejects with a comment, the editor fixes and resubmits, the owner approves, the post goes
 * out and lands in the team feed. A viewer sees none of the controls.
 * Needs `npm run build` and Debian's chromium.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
// CHORUS_E2E_BUILD: a copy built elsewhere (dist/ and web/dist/ side by side), when others rebuild this checkout's.
const BUILD = process.env.CHORUS_E2E_BUILD ?? ROOT;
const CLI = path.join(BUILD, 'dist/cli/main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results/e2e');

const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery', org: 'Acme Coffee' };
const EDITOR = { name: 'Eddie Editor', email: 'eddie@example.com', password: 'editor password 42' };
const VIEWER = { name: 'Vera Viewer', email: 'vera@example.com', password: 'viewer password 42' };

const FIRST_DRAFT = 'New seasonal menu launches Friday!!! Everything 50% off forever';
const REVIEW = 'Please drop the "forever": the discount ends Sunday.';
const FIXED = 'Our autumn menu launches Friday: 50% off every pastry through Sunday.';

let server: ChildProcess;
let serverLog = '';
let baseUrl: string;
let dataDir: string;
let browser: Browser;
const problems: string[] = [];
// Shared by the two steps below: the browsers and the post that goes through review.
let owner: Page;
let editor: Page;
let viewer: Page;
let postId: string;

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

async function invite(owner: Page, role: 'Editor' | 'Viewer'): Promise<string> {
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

/** The proposed time: this very minute (UTC), so approval finds it due and publishes at once. */
async function proposeNow(page: Page): Promise<void> {
  const now = new Date().toISOString();
  await page.getByTestId('schedule-date').fill(now.slice(0, 10));
  await page.getByTestId('schedule-time').fill(now.slice(11, 16));
}

const card = (page: Page, list: string, postId: string) => page.locator(`[data-testid="list-${list}"] [data-testid="post-card"][data-post-id="${postId}"]`);

beforeAll(async () => {
  for (const built of [CLI, path.join(BUILD, 'web/dist/index.html')]) {
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before the e2e test`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-ipafont-gothic`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-e2e-approval-'));
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

describe('approval in Chromium', () => {
  it('an editor proposes, the owner rejects with a comment, the editor resubmits, the owner approves; a viewer sees no controls', { timeout: 180_000 }, async () => {
    ({ page: owner } = await newPage('owner'));
    await owner.goto('/');
    await owner.waitForURL('**/setup');
    await owner.getByRole('textbox', { name: /^Name/ }).fill(OWNER.name);
    await owner.getByRole('textbox', { name: /^Email/ }).fill(OWNER.email);
    await owner.getByLabel(/^Password/).fill(OWNER.password);
    await owner.getByRole('textbox', { name: /^Organization name/ }).fill(OWNER.org);
    await owner.getByRole('button', { name: 'Create owner and start' }).click();
    await owner.waitForURL(/\/orgs\/[^/]+\/streams$/);

    // Settings → Channels → Team feed: nothing to fill in, it is the org's own network.
    await owner.getByTestId('nav-settings').click();
    await owner.getByTestId('settings-tab-channels').click();
    await owner.getByTestId('no-channels').waitFor();
    await owner.getByTestId('connect-network-team').click();
    await owner.getByTestId('submit-team').click();
    const teamRow = owner.locator('[data-testid="channel-row"][data-network="team"]');
    await teamRow.waitFor();
    expect(await teamRow.getByTestId('channel-health').getAttribute('data-status')).toBe('ok');
    await shot(owner, 'a01-team-channel-connected');

    // The editor and a viewer join from invitations, each in their own browser profile.
    const editorInvite = await invite(owner, 'Editor');
    ({ page: editor } = await newPage('editor'));
    await signUpFromInvitation(editor, editorInvite, EDITOR);
    const viewerInvite = await invite(owner, 'Viewer');
    ({ page: viewer } = await newPage('viewer'));
    await signUpFromInvitation(viewer, viewerInvite, VIEWER);

    // The editor composes: no Publish/Schedule/Queue, only a draft or a request for approval.
    await editor.getByTestId('nav-publish').click();
    await editor.getByTestId('composer').waitFor();
    await editor.locator('[data-testid="account-chip"][data-network="team"]').click();
    await editor.getByTestId('composer-text').fill(FIRST_DRAFT);
    await proposeNow(editor);
    expect(await editor.getByTestId('action-schedule').count()).toBe(0);
    expect(await editor.getByTestId('action-publish-now').count()).toBe(0);
    expect(await editor.getByTestId('action-queue').count()).toBe(0);
    expect(await editor.getByTestId('action-submit').isEnabled()).toBe(true);
    await shot(editor, 'a02-editor-composer');
    const submitted = editor.waitForResponse((r) => /\/posts$/.test(r.url()) && r.request().method() === 'POST');
    await editor.getByTestId('action-submit').click();
    const submittedResponse = await submitted;
    expect(submittedResponse.status()).toBe(201);
    const { post } = (await submittedResponse.json()) as { post: { id: string; status: string } };
    expect(post.status).toBe('pending_approval');
    postId = post.id;
    await editor.getByTestId('list-tab-pending').click();
    const pendingForEditor = card(editor, 'pending', post.id);
    await pendingForEditor.waitFor();
    // Editors cannot approve their own post.
    expect(await pendingForEditor.getByTestId('post-approve').count()).toBe(0);

    // The owner finds it under "Awaiting approval" and rejects it with a comment.
    await owner.getByTestId('nav-publish').click();
    await owner.getByTestId('list-tab-pending').click();
    const pending = card(owner, 'pending', post.id);
    await pending.waitFor();
    expect(await pending.getByTestId('post-text').innerText()).toBe(FIRST_DRAFT);
    await shot(owner, 'a03-owner-awaiting-approval');
    await pending.getByTestId('post-reject').click();
    await owner.getByTestId('reject-comment').fill(REVIEW);
    const rejected = owner.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/reject`));
    await owner.getByTestId('reject-confirm').click();
    expect((await rejected).status()).toBe(200);
    await pending.waitFor({ state: 'detached' });

    // The editor sees the comment with the rejected post, edits it and proposes again.
    await editor.reload();
    await editor.getByTestId('list-tab-drafts').click();
    const rejectedCard = card(editor, 'drafts', post.id);
    await rejectedCard.waitFor();
    expect(await rejectedCard.getAttribute('data-status')).toBe('rejected');
    expect(await rejectedCard.getByTestId('review-comment').innerText()).toContain(REVIEW);
    await shot(editor, 'a04-editor-sees-review');
    await rejectedCard.getByTestId('post-edit').click();
    expect(await editor.getByTestId('composer-text').inputValue()).toBe(FIRST_DRAFT);
    await editor.getByTestId('composer-text').fill(FIXED);
    await proposeNow(editor);
    const resubmitted = editor.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/submit`));
    await editor.getByTestId('action-submit').click();
    expect((await resubmitted).status()).toBe(200);
    await editor.getByTestId('list-tab-pending').click();
    await card(editor, 'pending', post.id).waitFor();

    // The viewer reads the same list and can change nothing, here or in Settings.
    expect(await viewer.getByTestId('nav-admin').count()).toBe(0);
    await viewer.getByTestId('nav-publish').click();
    await viewer.getByTestId('publish-read-only').waitFor();
    await viewer.getByTestId('list-tab-pending').click();
    await card(viewer, 'pending', post.id).waitFor();
    for (const control of ['composer', 'action-draft', 'action-submit', 'action-schedule', 'action-publish-now', 'action-queue']) expect(await viewer.getByTestId(control).count()).toBe(0);
    for (const control of ['post-approve', 'post-reject', 'post-edit', 'post-submit', 'post-delete', 'post-cancel', 'post-retry']) expect(await viewer.getByTestId(control).count()).toBe(0);
    await shot(viewer, 'a05-viewer-publish');
    await viewer.getByTestId('nav-settings').click();
    await viewer.getByTestId('team-read-only').waitFor();
    expect(await viewer.getByTestId('invite-form').count()).toBe(0);
    for (const tab of ['audit', 'backups']) expect(await viewer.getByTestId(`settings-tab-${tab}`).count()).toBe(0);
    await viewer.getByTestId('settings-tab-channels').click();
    await viewer.getByTestId('channels-read-only').waitFor();
    expect(await viewer.getByTestId('connect-account').count()).toBe(0);
    expect(await viewer.getByTestId('channel-remove').count()).toBe(0);
    await viewer.getByTestId('settings-tab-organization').click();
    await viewer.getByTestId('leave-org').waitFor();
    expect(await viewer.getByTestId('export-section').count()).toBe(0);
    expect(await viewer.getByTestId('delete-org').count()).toBe(0);
    await shot(viewer, 'a06-viewer-settings');
    await viewer.getByTestId('language-picker').click();
    await viewer.getByRole('option', { name: '日本語' }).click();
    await viewer.getByTestId('nav-publish').click();
    await viewer.getByTestId('publish-read-only').getByText('閲覧者').waitFor();
    await shot(viewer, 'a07-viewer-publish-japanese');

    // The owner approves the fixed text.
    await owner.reload();
    await owner.getByTestId('list-tab-pending').click();
    const again = card(owner, 'pending', post.id);
    await again.waitFor();
    expect(await again.getByTestId('post-text').innerText()).toBe(FIXED);
    const approved = owner.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/approve`));
    await again.getByTestId('post-approve').click();
    const approvedResponse = await approved;
    expect(approvedResponse.status()).toBe(200);
    expect(((await approvedResponse.json()) as { post: { workflow: string } }).post.workflow).toBe('scheduled');
    await again.waitFor({ state: 'detached' });

    expect(problems).toEqual([]);
  });

  it('the in-process publisher sends the approved post out: published in the lists and once in the team feed', { timeout: 90_000 }, async () => {
    // What the server says, with why if a target failed, so a failure here explains itself.
    const orgApi = owner.url().replace(/^(.*\/orgs\/[^/]+)\/.*$/, '$1').replace(baseUrl, `${baseUrl}/api`);
    await expect
      .poll(
        async () => {
          const { post } = (await (await owner.request.get(`${orgApi}/posts/${postId}`)).json()) as { post: { status: string; targets: { state: string; failureReason: string | null }[] } };
          return `${post.status} ${post.targets.map((t) => `${t.state}${t.failureReason ? `: ${t.failureReason}` : ''}`).join(', ')}`;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('published published');
    // The lists poll every few seconds while something is due: "published" appears without a reload.
    await owner.getByTestId('list-tab-published').click();
    const published = card(owner, 'published', postId);
    await published.waitFor({ timeout: 15_000 });
    expect(await published.getAttribute('data-status')).toBe('published');
    await shot(owner, 'a08-owner-published');

    await editor.getByTestId('nav-team').click();
    await editor.getByTestId('team-feed').waitFor();
    const inFeed = editor.locator('[data-testid="team-post"]', { hasText: FIXED });
    await inFeed.waitFor();
    expect(await inFeed.count()).toBe(1);
    expect(await editor.locator('[data-testid="team-post"]', { hasText: FIRST_DRAFT }).count()).toBe(0);
    await shot(editor, 'a09-team-feed-published');

    await owner.getByTestId('language-picker').click();
    await owner.getByRole('option', { name: '日本語' }).click();
    await owner.getByRole('heading', { name: '投稿', exact: true }).waitFor();
    await card(owner, 'published', postId).waitFor();
    await shot(owner, 'a10-owner-published-japanese');
    expect(problems).toEqual([]);
  });
});
