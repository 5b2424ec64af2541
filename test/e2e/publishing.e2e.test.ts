import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkRules, type Network } from '../../core/networks/index.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { screenshot } from './support/screenshots.js';

const measureFor = (network: Network, text: string) => networkRules(network).measureText(text);

/**
 * Settings → Channels, the composer and the calendar in a real Chromium against the built
 * server with its own publisher: a Bluesky account on a real local PDS and an X account on a
 * local server answering X's documented shapes are connected through the UI; a Japanese text
 * that fits Bluesky but not X is fixed with an X version, scheduled, seen on the calendar,
 * published by the server's worker, and found on the PDS exactly once.
 * Needs `npm run build`, a Chromium and PostgreSQL (the Bluesky AppView).
 */

const ZONE = 'Asia/Tokyo';

const OWNER = { name: '佐藤 花子', email: 'hanako@example.com', password: 'correct horse battery', org: 'Kissa Hanako' };
const X_ME = { id: '1460000000000000001', name: 'Kissa Hanako', username: 'kissahanako' };

// Fits Bluesky's 300 graphemes, not X's weighted 280 (every CJK character weighs 2).
const SHARED_TEXT =
  '本日から秋の限定ブレンド「紅葉」の販売を始めました。深煎りの豆に、ほんのりとした甘さと香ばしさを重ねた一杯です。' +
  '店内では焼きたてのりんごのタルトと一緒にお楽しみいただけます。数量限定のため、売り切れの際はご容赦ください。' +
  '週末はテラス席もご用意しています。皆さまのご来店を心よりお待ちしております。 https://example.com/autumn';
const X_TEXT = '秋の限定ブレンド「紅葉」を本日発売。焼きたてのりんごのタルトと一緒にどうぞ。数量限定です。 https://example.com/autumn';
const LATER_TEXT = '来週の焙煎教室のお知らせ：初心者の方も歓迎です。';

let app: E2eSession;
let bluesky: BlueskyTestNetwork;
let account: TestAccount;
let x: ContractServer;
const tweets: { id: string; text: string; created_at: string; author_id: string; edit_history_tweet_ids: string[] }[] = [];

const shot = (page: Page, name: string) => screenshot(page, name, { fromTop: false });

beforeAll(async () => {
  bluesky = await startBlueskyNetwork();
  account = await bluesky.createAccount('kissa');
  x = await startContractServer({
    'GET /2/users/me': () => ({ json: { data: X_ME } }),
    'POST /2/tweets': (request) => {
      const tweet = {
        id: String(1460000000000001000n + BigInt(tweets.length)),
        text: request.json.text,
        created_at: new Date().toISOString(),
        author_id: X_ME.id,
        edit_history_tweet_ids: [] as string[],
      };
      tweet.edit_history_tweet_ids.push(tweet.id);
      tweets.push(tweet);
      return { status: 201, json: { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: tweet.edit_history_tweet_ids } } };
    },
    'GET /2/users/:id/tweets': () => ({ json: tweets.length ? { data: tweets, meta: { result_count: tweets.length } } : { meta: { result_count: 0 } } }),
  });
  // The local PDS and the X stand-in live on loopback, which Chorus refuses unless the operator allows it.
  app = await startE2eSession({ name: 'publishing', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' }, browserProfile: { timezoneId: ZONE } });
});

afterAll(async () => {
  await app?.close();
  await x?.close();
  await bluesky?.close();
});

/** The records of the account's repo on the PDS itself, not what Chorus believes. */
async function postsOnPds(): Promise<{ uri: string; value: { text: string } }[]> {
  const url = `${bluesky.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(account.did)}&collection=app.bsky.feed.post&limit=100`;
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return ((await response.json()) as { records: { uri: string; value: { text: string } }[] }).records;
}

async function connect(page: Page, network: string, fields: Record<string, string>, advanced: Record<string, string> = {}): Promise<void> {
  await page.getByTestId(`connect-network-${network}`).click();
  const form = page.getByTestId(`credentials-form-${network}`);
  for (const [name, value] of Object.entries(fields)) await form.getByTestId(`field-${network}-${name}`).fill(value);
  if (Object.keys(advanced).length) {
    await form.getByTestId(`advanced-${network}`).click();
    for (const [name, value] of Object.entries(advanced)) await form.getByTestId(`field-${network}-${name}`).fill(value);
  }
  await form.getByTestId(`submit-${network}`).click();
}

const counter = (page: Page, network: string) => page.getByTestId(`counter-${network}`);

describe('publishing in Chromium', () => {
  it('connects Bluesky and X, fixes an X-too-long Japanese post with an override, schedules it and sees it published once', { timeout: 300_000 }, async () => {
    const { context, page } = await app.newPage('owner');

    // First run: the owner and the org.
    await setUpOwner(page, OWNER);

    // Settings → Channels: a wrong app password is refused in plain words, the right one connects.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();
    await page.getByTestId('no-channels').waitFor();
    expect(await page.getByTestId('field-bluesky-service').inputValue()).toBe('https://bsky.social');
    await connect(page, 'bluesky', { service: bluesky.pdsUrl, identifier: account.handle, appPassword: 'not-the-app-password' });
    const refused = page.getByTestId('channel-error');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('The network did not accept these details');
    await shot(page, 'p01-channels-refused');
    await connect(page, 'bluesky', { service: bluesky.pdsUrl, identifier: account.handle, appPassword: account.password });
    const blueskyRow = page.locator('[data-testid="channel-row"][data-network="bluesky"]');
    await blueskyRow.waitFor();
    expect(await blueskyRow.innerText()).toContain(account.handle);
    expect(await blueskyRow.getByTestId('channel-health').getAttribute('data-status')).toBe('ok');

    await connect(page, 'x', { username: X_ME.username, userId: X_ME.id, clientId: 'chorus-e2e-client', accessToken: 'x-access-token' }, { apiBase: x.url });
    const xRow = page.locator('[data-testid="channel-row"][data-network="x"]');
    await xRow.waitFor();
    expect(await xRow.innerText()).toContain(X_ME.username);
    // "Check" asks the network again.
    const checked = page.waitForResponse((r) => r.url().endsWith('/check') && r.request().method() === 'POST');
    await xRow.getByTestId('channel-check').click();
    expect((await checked).status()).toBe(200);
    expect(x.sent('GET /2/users/me').length).toBeGreaterThanOrEqual(2);
    await shot(page, 'p02-channels-connected');

    // Compose for both accounts: the shared Japanese text fits Bluesky, not X.
    expect(measureFor('bluesky', SHARED_TEXT).fits).toBe(true);
    expect(measureFor('x', SHARED_TEXT).fits).toBe(false);
    expect(measureFor('x', X_TEXT).fits).toBe(true);
    await page.getByTestId('nav-publish').click();
    await page.getByTestId('composer').waitFor();
    for (const network of ['bluesky', 'x']) await page.locator(`[data-testid="account-chip"][data-network="${network}"]`).click();
    await page.getByTestId('composer-text').fill(SHARED_TEXT);
    const blueskyRule = measureFor('bluesky', SHARED_TEXT);
    const xRule = measureFor('x', SHARED_TEXT);
    expect(await counter(page, 'bluesky').getAttribute('data-fits')).toBe('true');
    expect(await counter(page, 'bluesky').innerText()).toContain(`${blueskyRule.length} / 300`);
    expect(await counter(page, 'x').getAttribute('data-fits')).toBe('false');
    expect(await counter(page, 'x').innerText()).toContain(`${xRule.length} / 280`);
    // The X counter is red.
    const xColor = await counter(page, 'x')
      .locator('p')
      .first()
      .evaluate((el) => getComputedStyle(el).color);
    expect(xColor).toMatch(/rgb\((2[0-5]\d|1[5-9]\d), \d{1,2}, \d{1,2}\)/);
    expect(await page.getByTestId('action-schedule').isDisabled()).toBe(true);
    expect(await page.getByTestId('action-publish-now').isDisabled()).toBe(true);
    expect(await page.getByTestId('preview-text-bluesky').innerText()).toBe(SHARED_TEXT);
    await shot(page, 'p03-composer-x-too-long');

    // An X version fixes it; Bluesky keeps the shared text.
    await page.getByTestId('composer-tab-x').click();
    await page.getByTestId('override-toggle-x').click();
    await page.getByTestId('override-text-x').fill(X_TEXT);
    expect(await counter(page, 'x').getAttribute('data-fits')).toBe('true');
    expect(await counter(page, 'x').innerText()).toContain(`${measureFor('x', X_TEXT).length} / 280`);
    expect(await page.getByTestId('preview-text-x').innerText()).toBe(X_TEXT);
    expect(await page.getByTestId('preview-text-bluesky').innerText()).toBe(SHARED_TEXT);

    // Schedule it for the next minute but one, in the browser's zone (Tokyo).
    expect(await page.getByTestId('schedule-zone').inputValue()).toBe(ZONE);
    const due = DateTime.now().setZone(ZONE).plus({ minutes: 2 }).startOf('minute');
    await page.getByTestId('schedule-date').fill(due.toFormat('yyyy-MM-dd'));
    await page.getByTestId('schedule-time').fill(due.toFormat('HH:mm'));
    await page.getByTestId('composer-campaign').fill('autumn');
    await shot(page, 'p04-composer-fixed');
    const created = page.waitForResponse((r) => /\/posts$/.test(r.url()) && r.request().method() === 'POST');
    await page.getByTestId('action-schedule').click();
    const createdResponse = await created;
    expect(createdResponse.status()).toBe(201);
    const { post } = (await createdResponse.json()) as { post: { id: string; dueAt: string; targets: { network: string; body: string; state: string }[] } };
    expect(post.dueAt).toBe(due.toUTC().toISO());
    expect(post.targets.map((t) => [t.network, t.body, t.state]).sort()).toEqual([
      ['bluesky', SHARED_TEXT, 'scheduled'],
      ['x', X_TEXT, 'scheduled'],
    ]);
    const card = page.locator(`[data-testid="post-card"][data-post-id="${post.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('scheduled');
    // The composer starts over.
    expect(await page.getByTestId('composer-text').inputValue()).toBe('');

    // A second post, for a later day, to move one day on within that day's week. Both days are
    // in the future: moving it onto today could put it in the past, and the worker would publish it.
    await page.locator('[data-testid="account-chip"][data-network="bluesky"]').click();
    await page.getByTestId('composer-text').fill(LATER_TEXT);
    const now = DateTime.now().setZone(ZONE);
    const nextDay = now.plus({ days: 1 });
    const laterDay = (nextDay.weekday === 7 ? nextDay.plus({ days: 1 }) : nextDay).set({ hour: 10, minute: 30 });
    const laterWeekIsNext = laterDay.startOf('week') > now.startOf('week');
    await page.getByTestId('schedule-date').fill(laterDay.toFormat('yyyy-MM-dd'));
    await page.getByTestId('schedule-time').fill('10:30');
    const createdLater = page.waitForResponse((r) => /\/posts$/.test(r.url()) && r.request().method() === 'POST');
    await page.getByTestId('action-schedule').click();
    const later = ((await (await createdLater).json()) as { post: { id: string } }).post;

    // The calendar's week shows both; the later one moves by dragging to another day and hour.
    await page.getByTestId('nav-calendar').click();
    await page.getByTestId('calendar-week').waitFor();
    if (laterWeekIsNext) await page.getByTestId('calendar-next').click();
    const laterChip = page.locator(`[data-testid="calendar-post"][data-post-id="${later.id}"]`);
    await laterChip.waitFor();
    expect(
      await page
        .getByTestId(`week-cell-${laterDay.toFormat('yyyy-MM-dd')}-10`)
        .locator(`[data-post-id="${later.id}"]`)
        .count(),
    ).toBe(1);
    expect(await laterChip.getAttribute('data-movable')).toBe('true');
    const moveTo = laterDay.plus({ days: 1 });
    const patched = page.waitForResponse((r) => r.url().endsWith(`/posts/${later.id}`) && r.request().method() === 'PATCH');
    await laterChip.dragTo(page.getByTestId(`week-cell-${moveTo.toFormat('yyyy-MM-dd')}-14`));
    const patchResponse = await patched;
    expect(patchResponse.status()).toBe(200);
    expect(((await patchResponse.json()) as { post: { scheduledLocal: string } }).post.scheduledLocal).toBe(`${moveTo.toFormat('yyyy-MM-dd')}T14:30`);
    await page
      .getByTestId(`week-cell-${moveTo.toFormat('yyyy-MM-dd')}-14`)
      .locator(`[data-post-id="${later.id}"]`)
      .waitFor();

    // The first post is on the calendar at its time, scheduled, until the worker publishes it.
    if (laterWeekIsNext) await page.getByTestId('calendar-prev').click();
    const chip = page.locator(`[data-testid="calendar-post"][data-post-id="${post.id}"]`);
    await page
      .getByTestId(`week-cell-${due.toFormat('yyyy-MM-dd')}-${due.toFormat('HH')}`)
      .locator(`[data-post-id="${post.id}"]`)
      .waitFor();
    await shot(page, 'p05-calendar-week');
    await page.getByTestId('calendar-campaign').fill('autumn');
    await chip.waitFor();
    expect(await laterChip.count()).toBe(0);
    await page.getByTestId('calendar-campaign').fill('');

    // The page polls: "published" appears without a reload, and only once every target is.
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const status = await chip.getAttribute('data-status');
          const states = await chip.getByTestId('target-state').evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
          seen.push(`${status}:${states.join(',')}`);
          if (status === 'published') expect(states).toEqual(['published', 'published']);
          return status;
        },
        { timeout: 200_000, interval: 1000 },
      )
      .toBe('published');
    // Each published target links to its live post where the network has a web page for it: X's
    // status page. The local PDS is outside Bluesky's main network: its post has only an at-uri, no link.
    const tweetUrl = `https://x.com/${X_ME.username}/status/${tweets[0]!.id}`;
    const liveLinks = (scope: Locator) =>
      scope
        .getByTestId('target-live-link')
        .evaluateAll((els) => els.map((el) => [el.getAttribute('data-network'), el.getAttribute('href'), el.getAttribute('target')]));
    expect(await liveLinks(chip)).toEqual([['x', tweetUrl, '_blank']]);
    await chip.getByTestId('calendar-post-open').click();
    const modal = page.getByTestId('target-table');
    await modal.waitFor();
    expect(
      await modal
        .getByTestId('target-row')
        .evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-network')}:${row.getAttribute('data-state')}`).sort()),
    ).toEqual(['bluesky:published', 'x:published']);
    expect(await modal.locator('[data-testid="target-row"][data-network="x"] a').getAttribute('href')).toBe(tweetUrl);
    expect(await modal.locator('[data-testid="target-row"][data-network="bluesky"] a').count()).toBe(0);
    await shot(page, 'p06-calendar-published');
    await page.keyboard.press('Escape');

    // On the PDS, the post exists exactly once, with the shared text; X got its own version once.
    const records = await postsOnPds();
    expect(records.filter((r) => r.value.text === SHARED_TEXT)).toHaveLength(1);
    expect(records).toHaveLength(1);
    expect(x.sent('POST /2/tweets').map((r) => r.json.text)).toEqual([X_TEXT]);

    // The Publish page lists it as published; Japanese UI for the same pages.
    await page.getByTestId('nav-publish').click();
    await page.getByTestId('list-tab-published').click();
    const listed = page.locator(`[data-testid="list-published"] [data-post-id="${post.id}"][data-status="published"]`);
    await listed.waitFor();
    expect(await liveLinks(listed)).toEqual([['x', tweetUrl, '_blank']]);
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByRole('heading', { name: '投稿', exact: true }).waitFor();
    for (const network of ['bluesky', 'x']) await page.locator(`[data-testid="account-chip"][data-network="${network}"]`).click();
    await page.getByTestId('composer-text').fill(SHARED_TEXT);
    expect(await counter(page, 'x').getAttribute('data-fits')).toBe('false');
    expect(await counter(page, 'x').innerText()).toContain('超過');
    await shot(page, 'p07-publish-japanese');
    await page.getByTestId('nav-calendar').click();
    await page.getByTestId('calendar-view').getByText('月').click();
    await page.getByTestId('calendar-month').waitFor();
    await page
      .getByTestId(`month-cell-${due.toFormat('yyyy-MM-dd')}`)
      .locator(`[data-post-id="${post.id}"]`)
      .waitFor();
    await shot(page, 'p08-calendar-month-japanese');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();
    await page.getByText('接続済みのアカウント').waitFor();
    await shot(page, 'p09-channels-japanese');

    await context.close();
    expect(app.problems).toEqual([]);
  });
});
