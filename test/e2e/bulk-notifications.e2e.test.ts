import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { invite, signUpFromInvitation } from './support/invitations.js';
import { EDITOR, OWNER } from './support/people.js';
import { postCard } from './support/post-lists.js';
import { screenshot } from './support/screenshots.js';
import { connectTeamFeedChannel } from './support/team-channel.js';

/**
 * Bulk CSV scheduling, the sign-in landing of Settings → Channels, webhooks and the header's
 * notification bell, in a real Chromium against the built server, on the team-feed channel (no
 * external network): the owner uploads a CSV with one bad row, reads the line-numbered report and
 * imports the valid rows; an editor's proposal is rejected with a comment and the editor's bell
 * shows it. Needs `npm run build` (or CHORUS_E2E_BUILD) and a Chromium.
 */

const PROPOSAL = 'Free coffee for everyone, every day, forever!';
const REVIEW = 'We cannot promise "forever": make it this Saturday only.';

let app: E2eSession;
// Shared by the steps below, which run in order against one server.
let owner: Page;
let editor: Page;
let csv: string;

beforeAll(async () => {
  app = await startE2eSession({ name: 'bulk' });
});

afterAll(async () => {
  await app?.close();
});

/** A wall-clock time in UTC (the browsers' zone), `days` from now at `hour`:00, as the CSV writes it. */
function csvTime(days: number, hour: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString().slice(0, 16).replace('T', ' ');
}

async function uploadCsv(page: Page, csv: string): Promise<void> {
  const checked = page.waitForResponse((r) => r.url().endsWith('/posts/bulk') && r.request().method() === 'POST');
  await page
    .locator('[data-testid="bulk-import"] input[type="file"]')
    .setInputFiles({ name: 'week.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  expect((await checked).status()).toBe(200);
}

async function pickJapanese(page: Page): Promise<void> {
  await page.getByTestId('language-picker').selectOption('ja');
}

async function pickEnglish(page: Page): Promise<void> {
  await page.getByTestId('language-picker').selectOption('en');
}

describe('bulk CSV, channel sign-in landing, webhooks and notifications in Chromium', () => {
  it(
    'the owner connects the team feed, sees the sign-in landing, adds a webhook, and reads the line-numbered report of a CSV with one bad row',
    { timeout: 120_000 },
    async () => {
      ({ page: owner } = await app.newPage('owner'));
      await setUpOwner(owner, OWNER);
      const orgPath = owner
        .url()
        .replace(/^(.*\/orgs\/[^/]+)\/.*$/, '$1')
        .replace(app.baseUrl, '');
      const orgApi = `${app.baseUrl}/api${orgPath}`;
      // Nothing unread yet: the bell shows no count.
      expect(await owner.getByTestId('notifications-unread').getAttribute('data-count')).toBe('0');

      // Settings → Channels: the team feed needs nothing filled in.
      await connectTeamFeedChannel(owner);
      const { channels } = (await (await owner.request.get(`${orgApi}/channels`)).json()) as {
        channels: { id: string; network: string; displayName: string }[];
      };
      const team = channels.find((c) => c.network === 'team')!;

      // Mastodon can always be connected by signing in; the paste-token form stays under it.
      await owner.getByTestId('connect-network-mastodon').click();
      await owner.getByTestId('oauth-connect-mastodon').waitFor();
      await owner.getByTestId('credentials-form-mastodon').waitFor();
      // X without the operator's app: the refusal says so and points at the paste form.
      await owner.getByTestId('connect-network-x').click();
      const xStart = owner.getByTestId('oauth-start-x');
      if ((await xStart.count()) > 0) {
        await xStart.click();
        await owner.getByTestId('oauth-start-error').waitFor();
      }
      await owner.getByTestId('credentials-form-x').waitFor();

      // Back from a network's sign-in: the new account is marked, or the reason shown; the query is cleared.
      await owner.goto(`${orgPath}/settings/channels?connected=${encodeURIComponent(team.id)}`);
      await owner.getByTestId('oauth-connected').waitFor();
      await owner.locator('[data-testid="channel-row"][data-highlighted="true"][data-network="team"]').waitFor();
      await owner.waitForURL((url) => url.search === '');
      await owner.goto(`${orgPath}/settings/channels?oauthError=${encodeURIComponent('You denied access on the server')}&network=mastodon`);
      const oauthError = owner.getByTestId('oauth-error');
      await oauthError.waitFor();
      expect(await oauthError.innerText()).toContain('You denied access on the server');
      expect(await oauthError.innerText()).toContain('Mastodon');
      await owner.waitForURL((url) => url.search === '');
      await screenshot(owner, 'b01-channels-oauth-landing');

      // Webhooks: a loopback address is refused when saved; the secret of a saved one is shown once,
      // and a test delivery that cannot reach its receiver is recorded as failed.
      await owner.getByTestId('settings-tab-webhooks').click();
      await owner.getByTestId('no-webhooks').waitFor();
      await owner.getByTestId('webhook-url').fill('http://127.0.0.1:9/chorus-events');
      const refused = owner.waitForResponse((r) => r.url().endsWith('/webhooks') && r.request().method() === 'POST');
      await owner.getByTestId('webhook-add').click();
      expect((await refused).status()).toBe(400);
      expect(await owner.getByTestId('webhook-secret').count()).toBe(0);
      // .invalid never resolves (RFC 2606): saved, then undeliverable.
      await owner.getByTestId('webhook-url').fill('https://hooks.invalid/chorus-events');
      await owner.getByTestId('webhook-add').click();
      const secret = owner.getByTestId('webhook-secret');
      await secret.waitFor();
      expect((await secret.inputValue()).length).toBeGreaterThan(16);
      const hook = owner.getByTestId('webhook-row');
      await hook.waitFor();
      await hook.getByTestId('webhook-test').click();
      await owner.locator('[data-testid="webhook-last-delivery"][data-ok="false"]').waitFor();
      await screenshot(owner, 'b02-webhooks');

      // Publish → bulk: one bad row (unknown account, a time in the past) on line 4.
      await owner.getByTestId('nav-publish').click();
      await owner.getByTestId('bulk-import').waitFor();
      csv = [
        'account,time,text,campaign',
        `${team.id},${csvTime(1, 9)},Bulk one: the week starts with fresh pastries.,bulk-week`,
        `"${team.displayName}",${csvTime(2, 12)},"Bulk two: lunch, with soup.",bulk-week`,
        `@nobody-here,2020-01-01 09:00,This row cannot go anywhere.,`,
      ].join('\n');
      await uploadCsv(owner, csv);
      const report = owner.getByTestId('bulk-report');
      await report.waitFor();
      expect(await report.getAttribute('data-rows')).toBe('3');
      expect(await report.getAttribute('data-valid')).toBe('2');
      expect(await report.getAttribute('data-invalid')).toBe('1');
      const bad = owner.locator('[data-testid="bulk-bad-row"]');
      expect(await bad.count()).toBe(1);
      expect(await bad.getAttribute('data-line')).toBe('4');
      expect(await bad.innerText()).toContain('no connected account "@nobody-here"');
      expect(await bad.innerText()).toContain('in the past');
      expect(await owner.getByTestId('bulk-import-all').count()).toBe(0);
      await owner.getByTestId('bulk-import').scrollIntoViewIfNeeded();
      await screenshot(owner, 'b03-bulk-report');
      expect(app.problems).toEqual([]);
    },
  );

  it("an editor proposes a post, the owner rejects it with a comment, and the editor's bell shows it", { timeout: 120_000 }, async () => {
    // An editor proposes a post; the owner rejects it with a comment.
    const editorInvite = await invite(owner, 'Editor');
    ({ page: editor } = await app.newPage('editor'));
    await signUpFromInvitation(editor, editorInvite, EDITOR);
    expect(await editor.getByTestId('bulk-import').count()).toBe(0);
    await editor.getByTestId('nav-publish').click();
    await editor.getByTestId('composer').waitFor();
    expect(await editor.getByTestId('bulk-import').count()).toBe(0);
    await editor.locator('[data-testid="account-chip"][data-network="team"]').click();
    await editor.getByTestId('composer-text').fill(PROPOSAL);
    const submitted = editor.waitForResponse((r) => /\/posts$/.test(r.url()) && r.request().method() === 'POST');
    await editor.getByTestId('action-submit').click();
    const { post } = (await (await submitted).json()) as { post: { id: string; status: string } };
    expect(post.status).toBe('pending_approval');

    await owner.getByTestId('nav-publish').click();
    await owner.reload();
    await owner.getByTestId('list-tab-pending').click();
    const pending = postCard(owner, 'pending', post.id);
    await pending.waitFor();
    await pending.getByTestId('post-reject').click();
    await owner.getByTestId('reject-comment').fill(REVIEW);
    const rejected = owner.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/reject`));
    await owner.getByTestId('reject-confirm').click();
    expect((await rejected).status()).toBe(200);

    // The editor's bell (it polls every 30 s; a reload asks at once) shows the rejection with the comment.
    await editor.reload();
    await editor.locator('[data-testid="notifications-unread"][data-count="1"]').waitFor();
    await editor.getByTestId('notifications-bell').click();
    const item = editor.locator('[data-testid="notification-item"][data-kind="post.rejected"]');
    await item.waitFor();
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await item.innerText()).toContain('Your post was not approved');
    expect(await item.getByTestId('notification-body').innerText()).toBe(REVIEW);
    await screenshot(editor, 'b05-editor-bell');
    // Following it opens the post among the drafts, marked, and the notification is read.
    const markedRead = editor.waitForResponse((r) => r.url().endsWith('/notifications/read'));
    await item.click();
    expect((await markedRead).status()).toBe(204);
    await editor.waitForURL((url) => url.pathname.endsWith('/publish') && url.searchParams.get('post') === post.id);
    const rejectedCard = editor.locator(`[data-testid="list-drafts"] [data-testid="post-card"][data-post-id="${post.id}"][data-highlighted="true"]`);
    await rejectedCard.waitFor();
    expect(await rejectedCard.getByTestId('review-comment').innerText()).toContain(REVIEW);
    await editor.locator('[data-testid="notifications-unread"][data-count="0"]').waitFor();
    await screenshot(editor, 'b06-editor-follows-notification');

    expect(app.problems).toEqual([]);
  });

  it('in Japanese: the bell, the bulk report and the sign-in buttons', { timeout: 120_000 }, async () => {
    await pickJapanese(editor);
    await editor.getByTestId('notifications-bell').click();
    await editor.getByText('投稿が承認されませんでした').waitFor();
    await screenshot(editor, 'b07-editor-bell-japanese');

    await pickJapanese(owner);
    await owner.getByTestId('nav-streams').click();
    await owner.getByTestId('nav-publish').click();
    await uploadCsv(owner, csv);
    await owner.getByTestId('bulk-report').waitFor();
    await owner.getByText('有効な 2 行だけを取り込む').waitFor();
    await owner.getByTestId('bulk-import').scrollIntoViewIfNeeded();
    await screenshot(owner, 'b08-bulk-report-japanese');
    await owner.getByTestId('nav-settings').click();
    await owner.getByTestId('settings-tab-channels').click();
    await owner.getByTestId('connect-network-mastodon').click();
    await owner.getByText('このサーバーでサインイン').waitFor();
    await screenshot(owner, 'b09-channels-japanese');
    await pickEnglish(owner);
    expect(app.problems).toEqual([]);
  });

  // Last: should the import hang the database, the steps above have already run.
  it('the owner imports the valid rows only and finds them scheduled', { timeout: 60_000 }, async () => {
    await owner.getByTestId('nav-streams').click();
    await owner.getByTestId('nav-publish').click();
    await uploadCsv(owner, csv);
    await owner.getByTestId('bulk-report').waitFor();
    expect(await owner.getByTestId('bulk-import-all').count()).toBe(0);
    // 15 s is ages for two rows: no answer means the import's transaction is stuck on the server.
    const imported = owner.waitForResponse((r) => r.url().endsWith('/posts/bulk') && r.request().method() === 'POST', { timeout: 15_000 });
    await owner.getByTestId('bulk-import-valid').click();
    const importedResponse = await imported.catch((error: Error) => {
      throw new Error(`POST /posts/bulk (import) did not answer: ${error.message}\n${app.server.log()}`);
    });
    expect(importedResponse.status()).toBe(200);
    const { report: done } = (await importedResponse.json()) as { report: { imported: number; postIds: string[] } };
    expect(done.imported).toBe(2);
    await owner.getByTestId('bulk-done').waitFor();
    await owner.getByTestId('list-tab-scheduled').click();
    for (const id of done.postIds) await postCard(owner, 'scheduled', id).waitFor();
    expect(await owner.locator('[data-testid="list-scheduled"] [data-testid="post-campaign"]').allInnerTexts()).toEqual(['#bulk-week', '#bulk-week']);
    await screenshot(owner, 'b04-bulk-imported');
    expect(app.problems).toEqual([]);
  });
});
