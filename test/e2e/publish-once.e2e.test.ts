import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { connectTeamFeedChannel } from './support/team-channel.js';

/**
 * Exactly once from the click: a double-click on Publish now in a real Chromium, against the
 * built server and its own publisher, is one post, published once (the issue: two posts on
 * Bluesky in 3 of 3 tries). The team feed is the network here: it needs nothing outside.
 * Needs `npm run build` and Debian's chromium.
 */

let app: E2eSession;

beforeAll(async () => {
  app = await startE2eSession({ name: 'publish-once' });
});

afterAll(async () => {
  await app?.close();
});

const TEXT = 'Doors open at nine today: first coffee is on us.';

interface ListedPost {
  id: string;
  text: string;
  status: string;
}

/** The org's posts as the server has them (the signed-in page's own session). */
const postsOnServer = (page: Page, orgId: string): Promise<ListedPost[]> =>
  page.evaluate(async (org) => ((await (await fetch(`/api/orgs/${org}/posts?limit=50`)).json()) as { posts: ListedPost[] }).posts, orgId);

describe('Publish now in Chromium', () => {
  it('publishes once for a double-click, with one Idempotency-Key', { timeout: 120_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    const orgId = /\/orgs\/([^/]+)\//.exec(page.url())![1]!;
    await connectTeamFeedChannel(page);

    await page.getByTestId('nav-publish').click();
    await page.getByTestId('composer').waitFor();
    await page.locator('[data-testid="account-chip"][data-network="team"]').click();
    await page.getByTestId('composer-text').fill(TEXT);

    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === `/api/orgs/${orgId}/posts`)
        keys.push(request.headers()['idempotency-key'] ?? '(none)');
    });
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/orgs/${orgId}/posts` && r.request().method() === 'POST');
    await page.getByTestId('action-publish-now').dblclick();
    expect((await created).status()).toBe(201);

    // The server's worker publishes it to the team feed; by then any second request would have landed long ago.
    await expect.poll(async () => (await postsOnServer(page, orgId)).map((p) => p.status), { timeout: 60_000, interval: 500 }).toEqual(['published']);
    expect((await postsOnServer(page, orgId)).map((p) => p.text)).toEqual([TEXT]);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}\.post$/);

    await page.getByTestId('nav-team').click();
    await page.locator('[data-testid="team-post"]').first().waitFor();
    expect(await page.locator('[data-testid="team-post"]').allInnerTexts()).toEqual([expect.stringContaining(TEXT)]);
    expect(app.problems).toEqual([]);
  });
});
