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
 * The approval workflow in a real Chromium against the built server and its in-process
 * publisher, on the team-feed channel (no external network): an editor proposes, the owner
 * rejects with a comment, the editor fixes and resubmits, the owner approves, the post goes
 * out and lands in the team feed. A viewer sees none of the controls.
 * Needs `npm run build` and a Chromium.
 */

const VIEWER = { name: 'Vera Viewer', email: 'vera@example.com', password: 'viewer password 42' };

const FIRST_DRAFT = 'New seasonal menu launches Friday!!! Everything 50% off forever';
const REVIEW = 'Please drop the "forever": the discount ends Sunday.';
const FIXED = 'Our autumn menu launches Friday: 50% off every pastry through Sunday.';

let app: E2eSession;
// Shared by the two steps below: the browsers and the post that goes through review.
let owner: Page;
let editor: Page;
let viewer: Page;
let postId: string;

/** The proposed time: this very minute (UTC), so approval finds it due and publishes at once. */
async function proposeNow(page: Page): Promise<void> {
  const now = new Date().toISOString();
  await page.getByTestId('schedule-date').fill(now.slice(0, 10));
  await page.getByTestId('schedule-time').fill(now.slice(11, 16));
}

beforeAll(async () => {
  app = await startE2eSession({ name: 'approval' });
});

afterAll(async () => {
  await app?.close();
});

describe('approval in Chromium', () => {
  it(
    'an editor proposes, the owner rejects with a comment, the editor resubmits, the owner approves; a viewer sees no controls',
    { timeout: 180_000 },
    async () => {
      ({ page: owner } = await app.newPage('owner'));
      await setUpOwner(owner, OWNER);

      // Settings → Channels → Team feed: nothing to fill in, it is the org's own network.
      const teamRow = await connectTeamFeedChannel(owner);
      expect(await teamRow.getByTestId('channel-health').getAttribute('data-status')).toBe('ok');
      await screenshot(owner, 'a01-team-channel-connected');

      // The editor and a viewer join from invitations, each in their own browser profile.
      const editorInvite = await invite(owner, 'Editor');
      ({ page: editor } = await app.newPage('editor'));
      await signUpFromInvitation(editor, editorInvite, EDITOR);
      const viewerInvite = await invite(owner, 'Viewer');
      ({ page: viewer } = await app.newPage('viewer'));
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
      await screenshot(editor, 'a02-editor-composer');
      const submitted = editor.waitForResponse((r) => /\/posts$/.test(r.url()) && r.request().method() === 'POST');
      await editor.getByTestId('action-submit').click();
      const submittedResponse = await submitted;
      expect(submittedResponse.status()).toBe(201);
      const { post } = (await submittedResponse.json()) as { post: { id: string; status: string } };
      expect(post.status).toBe('pending_approval');
      postId = post.id;
      await editor.getByTestId('list-tab-pending').click();
      const pendingForEditor = postCard(editor, 'pending', post.id);
      await pendingForEditor.waitFor();
      // Editors cannot approve their own post.
      expect(await pendingForEditor.getByTestId('post-approve').count()).toBe(0);

      // The owner finds it under "Awaiting approval" and rejects it with a comment.
      await owner.getByTestId('nav-publish').click();
      await owner.getByTestId('list-tab-pending').click();
      const pending = postCard(owner, 'pending', post.id);
      await pending.waitFor();
      expect(await pending.getByTestId('post-text').innerText()).toBe(FIRST_DRAFT);
      await screenshot(owner, 'a03-owner-awaiting-approval');
      await pending.getByTestId('post-reject').click();
      await owner.getByTestId('reject-comment').fill(REVIEW);
      const rejected = owner.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/reject`));
      await owner.getByTestId('reject-confirm').click();
      expect((await rejected).status()).toBe(200);
      await pending.waitFor({ state: 'detached' });

      // The editor sees the comment with the rejected post, edits it and proposes again.
      await editor.reload();
      await editor.getByTestId('list-tab-drafts').click();
      const rejectedCard = postCard(editor, 'drafts', post.id);
      await rejectedCard.waitFor();
      expect(await rejectedCard.getAttribute('data-status')).toBe('rejected');
      expect(await rejectedCard.getByTestId('review-comment').innerText()).toContain(REVIEW);
      await screenshot(editor, 'a04-editor-sees-review');
      await rejectedCard.getByTestId('post-edit').click();
      expect(await editor.getByTestId('composer-text').inputValue()).toBe(FIRST_DRAFT);
      await editor.getByTestId('composer-text').fill(FIXED);
      await proposeNow(editor);
      const resubmitted = editor.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/submit`));
      await editor.getByTestId('action-submit').click();
      expect((await resubmitted).status()).toBe(200);
      await editor.getByTestId('list-tab-pending').click();
      await postCard(editor, 'pending', post.id).waitFor();

      // The viewer reads the same list and can change nothing, here or in Settings.
      expect(await viewer.getByTestId('nav-admin').count()).toBe(0);
      await viewer.getByTestId('nav-publish').click();
      await viewer.getByTestId('publish-read-only').waitFor();
      await viewer.getByTestId('list-tab-pending').click();
      await postCard(viewer, 'pending', post.id).waitFor();
      for (const control of ['composer', 'action-draft', 'action-submit', 'action-schedule', 'action-publish-now', 'action-queue'])
        expect(await viewer.getByTestId(control).count()).toBe(0);
      for (const control of ['post-approve', 'post-reject', 'post-edit', 'post-submit', 'post-delete', 'post-cancel', 'post-retry'])
        expect(await viewer.getByTestId(control).count()).toBe(0);
      await screenshot(viewer, 'a05-viewer-publish');
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
      await screenshot(viewer, 'a06-viewer-settings');
      await viewer.getByTestId('language-picker').selectOption('ja');
      await viewer.getByTestId('nav-publish').click();
      await viewer.getByTestId('publish-read-only').getByText('閲覧者').waitFor();
      await screenshot(viewer, 'a07-viewer-publish-japanese');

      // The owner approves the fixed text.
      await owner.reload();
      await owner.getByTestId('list-tab-pending').click();
      const again = postCard(owner, 'pending', post.id);
      await again.waitFor();
      expect(await again.getByTestId('post-text').innerText()).toBe(FIXED);
      const approved = owner.waitForResponse((r) => r.url().endsWith(`/posts/${post.id}/approve`));
      await again.getByTestId('post-approve').click();
      const approvedResponse = await approved;
      expect(approvedResponse.status()).toBe(200);
      expect(((await approvedResponse.json()) as { post: { workflow: string } }).post.workflow).toBe('scheduled');
      await again.waitFor({ state: 'detached' });

      expect(app.problems).toEqual([]);
    },
  );

  it('the in-process publisher sends the approved post out: published in the lists and once in the team feed', { timeout: 90_000 }, async () => {
    // What the server says, with why if a target failed, so a failure here explains itself.
    const orgApi = owner
      .url()
      .replace(/^(.*\/orgs\/[^/]+)\/.*$/, '$1')
      .replace(app.baseUrl, `${app.baseUrl}/api`);
    await expect
      .poll(
        async () => {
          const { post } = (await (await owner.request.get(`${orgApi}/posts/${postId}`)).json()) as {
            post: { status: string; targets: { state: string; failureReason: string | null }[] };
          };
          return `${post.status} ${post.targets.map((t) => `${t.state}${t.failureReason ? `: ${t.failureReason}` : ''}`).join(', ')}`;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('published published');
    // The lists poll every few seconds while something is due: "published" appears without a reload.
    await owner.getByTestId('list-tab-published').click();
    const published = postCard(owner, 'published', postId);
    await published.waitFor({ timeout: 15_000 });
    expect(await published.getAttribute('data-status')).toBe('published');
    await screenshot(owner, 'a08-owner-published');

    await editor.getByTestId('nav-team').click();
    await editor.getByTestId('team-feed').waitFor();
    const inFeed = editor.locator('[data-testid="team-post"]', { hasText: FIXED });
    await inFeed.waitFor();
    expect(await inFeed.count()).toBe(1);
    expect(await editor.locator('[data-testid="team-post"]', { hasText: FIRST_DRAFT }).count()).toBe(0);
    await screenshot(editor, 'a09-team-feed-published');

    await owner.getByTestId('language-picker').selectOption('ja');
    await owner.getByRole('heading', { name: '投稿', exact: true }).waitFor();
    await postCard(owner, 'published', postId).waitFor();
    await screenshot(owner, 'a10-owner-published-japanese');
    expect(app.problems).toEqual([]);
  });
});
