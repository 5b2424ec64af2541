import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { screenshot } from './support/screenshots.js';

/**
 * The inbox in a real Chromium against the built server, its ingest and inbox workers, and a real
 * local Bluesky network: a customer's mention arrives as a conversation (no column needed); the
 * owner assigns it with the keyboard, replies inline (the reply threads under the mention on the
 * PDS), makes a task from it that links back, and closes it. Screenshots at 1440 and 390 px, in English and Japanese.
 * Needs `npm run build`, a Chromium and PostgreSQL (the Bluesky AppView).
 */

const OWNER = { name: 'Mara Lind', email: 'mara@example.com', password: 'correct horse battery', org: 'Lind Coffee' };

let bluesky: BlueskyTestNetwork;
let shop: TestAccount;
let customer: TestAccount;
let app: E2eSession;

beforeAll(async () => {
  bluesky = await startBlueskyNetwork();
  shop = await bluesky.createAccount('lindcoffee');
  customer = await bluesky.createAccount('kaito');
  app = await startE2eSession({ name: 'inbox', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' }, browserProfile: { viewport: { width: 1440, height: 900 } } });
});

afterAll(async () => {
  await app?.close();
  await bluesky?.close();
});

/** The customer mentions the shop, with a facet, as the Bluesky app would. */
async function customerMentionsShop(words: string): Promise<string> {
  const { AtpAgent, RichText } = await import('@atproto/api');
  const agent = new AtpAgent({ service: bluesky.pdsUrl });
  await agent.login({ identifier: customer.handle, password: customer.password });
  const rich = new RichText({ text: `@${shop.handle} ${words}` });
  await rich.detectFacets(agent);
  const { uri } = await agent.post({ text: rich.text, facets: rich.facets, createdAt: new Date().toISOString() });
  await bluesky.processAll();
  return uri;
}

const shot = (page: Page, name: string) => screenshot(page, name, { fullPage: false, fromTop: false });

describe('the inbox in Chromium', () => {
  it('opens a conversation from a mention; the owner assigns, replies inline, makes a task from it and closes it', { timeout: 300_000 }, async () => {
    const { context, page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    const orgId = /\/orgs\/([^/]+)\//.exec(page.url())![1]!;

    // Connect the shop's Bluesky account in Settings → Channels.
    await page.goto(`/orgs/${orgId}/settings/channels`);
    await page.getByTestId('connect-network-bluesky').click();
    const form = page.getByTestId('credentials-form-bluesky');
    await form.getByTestId('field-bluesky-service').fill(bluesky.pdsUrl);
    await form.getByTestId('field-bluesky-identifier').fill(shop.handle);
    await form.getByTestId('field-bluesky-appPassword').fill(shop.password);
    await form.getByTestId('submit-bluesky').click();
    await page.locator('[data-testid="channel-row"][data-network="bluesky"]').waitFor();

    const mentionUri = await customerMentionsShop('豆の定期便を始めたいのですが、どうすればいいですか?');
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('page-inbox').waitFor();
    // The inbox worker starts reading the account's mentions; the conversation arrives live.
    const row = page.getByTestId('conversation-row').filter({ hasText: '豆の定期便' });
    await row.waitFor({ timeout: 90_000 });
    await shot(page, 'inbox01-list-1440-en');

    // Open it with j, assign it to me with a.
    await page.keyboard.press('j');
    const pane = page.getByTestId('conversation-pane');
    await pane.waitFor();
    await page.keyboard.press('a');
    await expect
      .poll(
        () =>
          row
            .getByTestId('conversation-assignee')
            .textContent()
            .catch(() => null),
        { timeout: 15_000 },
      )
      .toBe(OWNER.name);

    // r focuses the reply box; the reply goes out and shows as sent, with the first response time.
    await page.keyboard.press('r');
    await page.keyboard.type('ありがとうございます!プロフィールのリンクから毎月お届けの定期便をお申し込みいただけます。');
    await pane.getByTestId('reply-send').click();
    const sent = pane.locator('[data-testid="conversation-message"][data-direction="outbound"][data-state="sent"]');
    await sent.waitFor({ timeout: 30_000 });
    await expect.poll(() => pane.getByTestId('conversation-first-response').innerText()).not.toContain('—');
    await shot(page, 'inbox02-replied-1440-en');

    // On the PDS, the reply's parent is the customer's mention.
    const replies = await fetch(`${bluesky.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(shop.did)}&collection=app.bsky.feed.post`).then(
      (r) => r.json(),
    );
    expect(replies.records.map((r: any) => r.value.reply?.parent.uri)).toContain(mentionUri);

    // Create task: the form starts from who wrote and what they wrote, and the task links back here.
    await pane.getByTestId('conversation-create-task').click();
    const taskTitle = page.getByTestId('conversation-task-title');
    await taskTitle.waitFor();
    expect(await taskTitle.inputValue()).toBe(`Follow up with @${customer.handle}: @${shop.handle} 豆の定期便を始めたいのですが、どうすればいいですか?`);
    await shot(page, 'inbox02b-create-task-1440-en');
    await page.getByTestId('conversation-task-create').click();
    await taskTitle.waitFor({ state: 'detached' });

    // Close it; it leaves the Open view and is found under Closed.
    await pane.getByTestId('conversation-close').click();
    await page.locator('[data-testid="conversation-pane"][data-status="closed"]').waitFor();
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(0);
    await page.getByTestId('inbox-status-filter').getByText('Closed').click();
    await page.locator('[data-testid="conversation-row"][data-status="closed"]').waitFor();
    await shot(page, 'inbox03-closed-1440-en');

    // The same in Japanese (picked in the header, saved to the account), and on a phone.
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByRole('heading', { name: '受信箱' }).waitFor();
    await page.getByTestId('inbox-status-filter').getByText('完了').click();
    await page.locator('[data-testid="conversation-row"][data-status="closed"]').waitFor();
    await shot(page, 'inbox04-closed-1440-ja');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('conversation-pane').waitFor();
    await shot(page, 'inbox05-conversation-390-ja');
    await page.getByTestId('conversation-back').click();
    await page.locator('[data-testid="conversation-row"][data-status="closed"]').waitFor();
    await shot(page, 'inbox06-list-390-ja');
    await page.getByTestId('language-picker').selectOption('en');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByTestId('conversation-row').first().click();
    await page.getByTestId('conversation-pane').waitFor();
    await shot(page, 'inbox07-conversation-390-en');

    // The task is the owner's, in Tasks, and opens the conversation it came from.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/orgs/${orgId}/tasks`);
    const task = page.getByTestId('task-row').filter({ hasText: '豆の定期便' });
    await task.waitFor();
    await task.getByTestId('task-conversation').click();
    await page.locator('[data-testid="conversation-pane"][data-status="closed"]').waitFor();

    expect(app.problems).toEqual([]);
    await context.close();
  });
});
