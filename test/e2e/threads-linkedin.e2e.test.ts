import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractServer, type ContractServer, type RecordedRequest } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * Threads and LinkedIn in a real Chromium, against one local server answering with both
 * networks' documented shapes (neither can be reached from here): connect each in Settings →
 * Channels, see each network's own counter and Threads' 24-hour publishing limit in the
 * composer, and publish one Japanese post to both, once each. Needs `npm run build` and a Chromium.
 */

const TEXT = '本日の新作：抹茶メロンパン (数量限定) https://acme.example/news';

let app: E2eSession;
let remote: ContractServer;
const threadsPosts: RecordedRequest[] = [];
const linkedinPosts: RecordedRequest[] = [];

beforeAll(async () => {
  remote = await startContractServer({
    'GET /v1.0/me': () => ({ json: { id: '17841400000000001', username: 'acme_bakery', name: 'ACME Threads' } }),
    'GET /v1.0/me/threads_publishing_limit': () => ({ json: { data: [{ quota_usage: 12, config: { quota_total: 250, quota_duration: 86400 } }] } }),
    'GET /v1.0/me/threads': () => ({ json: { data: [] } }),
    'POST /v1.0/me/threads': (request) => {
      threadsPosts.push(request);
      return { json: { id: `container-${threadsPosts.length}` } };
    },
    'POST /v1.0/me/threads_publish': () => ({ json: { id: `threads-post-${threadsPosts.length}` } }),
    'GET /v1.0/:id': (_request, params) => ({
      json: { id: params.id, permalink: `https://www.threads.net/@acme_bakery/post/${params.id}`, timestamp: '2026-12-05T01:30:00+0000' },
    }),
    'GET /rest/organizations/:id': () => ({ json: { id: 2414183, localizedName: 'ACME LinkedIn', vanityName: 'acme-bakery' } }),
    'GET /rest/posts': () => ({ json: { elements: [] } }),
    'POST /rest/posts': (request) => {
      linkedinPosts.push(request);
      return { status: 201, headers: { 'x-restli-id': `urn:li:share:${linkedinPosts.length}` } };
    },
  });
  app = await startE2eSession({ name: 'threads-linkedin', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  await remote?.close();
});

describe('Threads and LinkedIn in Chromium', () => {
  it('connects both, shows their counters and the Threads limit, and publishes a Japanese post once to each', { timeout: 300_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();

    await page.getByTestId('connect-network-threads').click();
    await page.getByTestId('field-threads-accessToken').fill('threads-user-access-token-'.padEnd(60, 't'));
    await page.getByTestId('advanced-threads').click();
    await page.getByTestId('field-threads-apiBase').fill(remote.url);
    await page.getByTestId('submit-threads').click();
    await page.locator('[data-testid="channel-row"][data-network="threads"]').waitFor();

    await page.getByTestId('connect-network-linkedin').click();
    await page.getByTestId('field-linkedin-organizationId').fill('2414183');
    await page.getByTestId('field-linkedin-accessToken').fill('linkedin-access-token-'.padEnd(60, 'l'));
    await page.getByTestId('advanced-linkedin').click();
    await page.getByTestId('field-linkedin-apiBase').fill(remote.url);
    await page.getByTestId('field-linkedin-authBase').fill(remote.url);
    await page.getByTestId('submit-linkedin').click();
    await page.locator('[data-testid="channel-row"][data-network="linkedin"]').waitFor();
    await screenshot(page, 'threads-linkedin-connected');

    await page.getByTestId('nav-publish').click();
    await page.getByTestId('composer').waitFor();
    await page.locator('[data-testid="account-chip"][data-network="threads"]').click();
    await page.locator('[data-testid="account-chip"][data-network="linkedin"]').click();
    await page.getByTestId('composer-text').fill(TEXT);
    const threadsCounter = page.getByTestId('counter-threads');
    const linkedinCounter = page.getByTestId('counter-linkedin');
    await threadsCounter.waitFor();
    expect(await threadsCounter.getAttribute('data-limit')).toBe('500');
    expect(await threadsCounter.getAttribute('data-length')).toBe(String([...TEXT].length));
    expect(await linkedinCounter.getAttribute('data-limit')).toBe('3000');
    await page.getByTestId('sending-quota').waitFor();
    expect(await page.getByTestId('sending-quota').innerText()).toContain('ACME Threads: 12 of 250 posts published in the last 24 hours');
    await screenshot(page, 'threads-linkedin-composer');

    await page.getByTestId('action-publish-now').dblclick();
    await expect.poll(() => threadsPosts.length + linkedinPosts.length, { timeout: 60_000, interval: 500 }).toBe(2);
    expect(threadsPosts[0]!.query.get('text')).toBe(TEXT);
    expect(linkedinPosts[0]!.json.commentary).toBe('本日の新作：抹茶メロンパン \\(数量限定\\) https://acme.example/news');
    expect(app.problems).toEqual([]);
  });
});
