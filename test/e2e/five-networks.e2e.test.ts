import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchImage } from '../support/chorus-media-host.js';
import { startContractServer, type ContractServer, type RecordedRequest, type Reply } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { postCard } from './support/post-lists.js';
import { screenshot } from './support/screenshots.js';

/**
 * Issue 15's proof, in a real Chromium against the built server and one local stand-in per
 * network speaking its documented shapes (none can be reached from here): a Graph API (Facebook
 * Page and Instagram), Threads, LinkedIn and LINE's Messaging API. In the Japanese UI: connect
 * all five in Settings → Channels; compose one Japanese post with a real JPEG to all five and see
 * each network's counter, preview (with the image) and sending cap; publish with a double click;
 * each stand-in gets exactly one publish carrying the image. Instagram, Threads and LINE fetch it
 * from the address Chorus serves (CHORUS_PUBLIC_URL is the server's own loopback address), as the
 * real networks do; Facebook and LinkedIn receive the bytes. Then LINE delivers a signed chat
 * message and it shows in the Inbox. Needs `npm run build` and a Chromium.
 */

const JPEG = fs.readFileSync(new URL('../fixtures/images/melonpan.jpg', import.meta.url));
const TEXT = '本日の新作：メロンパンが焼き上がりました。数量限定です！';
const ALT = '焼きたてのメロンパン';
const PAGE_ID = '104857600123456';
const IG = '17841400000000002';
const APP_SECRET = 'abcdef0123456789abcdef0123456789';
const LINE_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const LINE_BOT = 'Ub7777777777777777777777777777777';
const CUSTOMER = 'Uc8888888888888888888888888888888';
const QUESTION = '明日もメロンパンは焼きますか？';
const NETWORKS = ['facebook', 'instagram', 'threads', 'linkedin', 'line'] as const;
type Five = (typeof NETWORKS)[number];

/** An image as a network got it: fetched from the address Chorus gave it, or uploaded as bytes. */
interface ReceivedImage {
  contentType: string | null;
  bytes: Uint8Array;
}

/** Per network: the publishing requests it ran, and every image it received. */
const published: Record<Five, RecordedRequest[]> = { facebook: [], instagram: [], threads: [], linkedin: [], line: [] };
const images: Record<Five, ReceivedImage[]> = { facebook: [], instagram: [], threads: [], linkedin: [], line: [] };
/** The text fields of each Page photo's multipart form. */
const facebookFields: { message: unknown; alt: unknown }[] = [];

/** What a network keeps of a fetch: the answer's type and bytes (a 404 would show as its JSON). */
async function fetched(address: string): Promise<ReceivedImage> {
  const { contentType, bytes } = await fetchImage(address);
  return { contentType, bytes };
}

let app: E2eSession;
let graph: ContractServer;
let threads: ContractServer;
let linkedin: ContractServer;
let line: ContractServer;

beforeAll(async () => {
  graph = await startContractServer({
    [`GET /v21.0/${PAGE_ID}`]: () => ({ json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' } }),
    [`GET /v21.0/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME Instagram' } }),
    // A Page photo arrives as multipart/form-data with the bytes in `source`.
    [`POST /v21.0/${PAGE_ID}/photos`]: async (request) => {
      const form = await new Response(new Uint8Array(request.bytes), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
      const source = form.get('source') as File;
      images.facebook.push({ contentType: source.type, bytes: new Uint8Array(await source.arrayBuffer()) });
      published.facebook.push(request);
      facebookFields.push({ message: form.get('message'), alt: form.get('alt_text_custom') });
      return { json: { id: 'photo-1', post_id: `${PAGE_ID}_${published.facebook.length}` } };
    },
    [`GET /v21.0/${IG}/content_publishing_limit`]: () => ({ json: { data: [{ quota_usage: 3, config: { quota_total: 50, quota_duration: 86400 } }] } }),
    // Instagram fetches the container's image_url, as it does within seconds of the container.
    [`POST /v21.0/${IG}/media`]: async (request) => {
      images.instagram.push(await fetched(request.form!.get('image_url')!));
      return { json: { id: `ig-container-${images.instagram.length}` } };
    },
    [`POST /v21.0/${IG}/media_publish`]: (request) => {
      published.instagram.push(request);
      return { json: { id: `1790000000000000${published.instagram.length}` } };
    },
    'GET /v21.0/:id': (_request, params) =>
      params.id!.startsWith('ig-container-')
        ? { json: { id: params.id, status_code: 'FINISHED' } }
        : { status: 404, json: { error: { message: 'Unsupported get request', type: 'GraphMethodException', code: 100 } } },
    // The streams' reads of either account (posts, feed, media): nothing there yet.
    'GET /v21.0/:id/:edge': () => ({ json: { data: [], paging: {} } }),
  });

  threads = await startContractServer({
    'GET /v1.0/me': () => ({ json: { id: '17841400000000001', username: 'acme_bakery', name: 'ACME Threads' } }),
    'GET /v1.0/me/threads_publishing_limit': () => ({ json: { data: [{ quota_usage: 12, config: { quota_total: 250, quota_duration: 86400 } }] } }),
    'GET /v1.0/me/threads': () => ({ json: { data: [] } }),
    'POST /v1.0/me/threads': async (request) => {
      images.threads.push(await fetched(request.query.get('image_url')!));
      return { json: { id: `threads-container-${images.threads.length}` } };
    },
    'POST /v1.0/me/threads_publish': (request) => {
      published.threads.push(request);
      return { json: { id: `threads-post-${published.threads.length}` } };
    },
    'GET /v1.0/:id': (_request, params) =>
      params.id!.startsWith('threads-container-')
        ? { json: { id: params.id, status: 'FINISHED' } }
        : { json: { id: params.id, permalink: `https://www.threads.net/@acme_bakery/post/${params.id}`, timestamp: new Date().toISOString() } },
  });

  linkedin = await startContractServer({
    'GET /rest/organizations/:id': () => ({ json: { id: 2414183, localizedName: 'ACME LinkedIn', vanityName: 'acme-bakery' } }),
    'GET /rest/posts': () => ({ json: { elements: [] } }),
    'POST /rest/images': () => ({
      json: { value: { uploadUrlExpiresAt: Date.now() + 3_600_000, uploadUrl: `${linkedin.url}/dms-uploads/melonpan`, image: 'urn:li:image:C4E10AQ' } },
    }),
    'PUT /dms-uploads/melonpan': (request) => {
      images.linkedin.push({ contentType: String(request.headers['content-type'] ?? '') || null, bytes: new Uint8Array(request.bytes) });
      return { status: 201 };
    },
    'POST /rest/posts': (request) => {
      published.linkedin.push(request);
      return { status: 201, headers: { 'x-restli-id': `urn:li:share:${published.linkedin.length}` } };
    },
    'GET /rest/socialActions/:urn/comments': () => ({ json: { elements: [] } }),
  });

  const accepted = new Set<string>();
  line = await startContractServer({
    'GET /v2/bot/info': () => ({ json: { userId: LINE_BOT, basicId: '@acmepan', displayName: 'ACME LINE', chatMode: 'chat', markAsReadMode: 'auto' } }),
    'GET /v2/bot/profile/:userId': () => ({ json: { userId: CUSTOMER, displayName: '山田花子' } }),
    'GET /v2/bot/message/quota': () => ({ json: { type: 'limited', value: 200 } }),
    'GET /v2/bot/message/quota/consumption': () => ({ json: { totalUsage: 57 } }),
    // LINE runs a retry key once, and fetches an image message's original and preview.
    'POST /v2/bot/message/broadcast': async (request): Promise<Reply> => {
      const key = String(request.headers['x-line-retry-key']);
      if (accepted.has(key)) return { status: 409, json: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': 'req-1' } };
      accepted.add(key);
      published.line.push(request);
      for (const message of request.json.messages as { type: string; originalContentUrl?: string; previewImageUrl?: string }[])
        if (message.type === 'image') images.line.push(await fetched(message.originalContentUrl!), await fetched(message.previewImageUrl!));
      return { json: {}, headers: { 'x-line-request-id': `req-${accepted.size}` } };
    },
  });

  app = await startE2eSession({ name: 'five-networks', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' }, publicUrlIsOwnAddress: true });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([graph, threads, linkedin, line].map((server) => server?.close()));
});

/** Opens a network's connect form in Settings → Channels, fills it (advanced fields too) and waits for its row. */
async function connect(page: Page, network: Five, fields: Record<string, string>, advanced: Record<string, string>) {
  await page.getByTestId(`connect-network-${network}`).click();
  for (const [name, value] of Object.entries(fields)) await page.getByTestId(`field-${network}-${name}`).fill(value);
  await page.getByTestId(`advanced-${network}`).click();
  for (const [name, value] of Object.entries(advanced)) await page.getByTestId(`field-${network}-${name}`).fill(value);
  await page.getByTestId(`submit-${network}`).click();
  const row = page.locator(`[data-testid="channel-row"][data-network="${network}"]`);
  await row.waitFor();
  return row;
}

const theJpeg: ReceivedImage = { contentType: 'image/jpeg', bytes: new Uint8Array(JPEG) };

describe('the five new networks in Chromium', () => {
  it('connects all five, publishes one Japanese post with an image to each once, and receives a LINE message in the inbox', { timeout: 600_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();

    const inTenWeeks = new Date(Date.now() + 70 * 24 * 60 * 60_000).toISOString();
    await connect(
      page,
      'facebook',
      { pageId: PAGE_ID, pageAccessToken: 'EAAPage'.padEnd(80, 'p'), appSecret: APP_SECRET, tokenExpiresAt: inTenWeeks },
      { apiBase: graph.url },
    );
    await connect(
      page,
      'instagram',
      { igUserId: IG, accessToken: 'EAAInsta'.padEnd(80, 'i'), appSecret: APP_SECRET, tokenExpiresAt: inTenWeeks },
      { apiBase: graph.url },
    );
    await connect(page, 'threads', { accessToken: 'threads-user-access-token-'.padEnd(60, 't') }, { apiBase: threads.url });
    await connect(
      page,
      'linkedin',
      { organizationId: '2414183', accessToken: 'linkedin-access-token-'.padEnd(60, 'l') },
      { apiBase: linkedin.url, authBase: linkedin.url },
    );
    const lineRow = await connect(
      page,
      'line',
      { channelAccessToken: 'line-channel-access-token-'.padEnd(80, 'q'), channelSecret: LINE_SECRET },
      { apiBase: line.url },
    );
    const webhook = await lineRow.getByTestId('line-webhook-address').inputValue();
    expect(webhook).toMatch(new RegExp(`^${app.baseUrl}/webhooks/line/[^/]+$`));
    expect(await page.getByTestId('channel-row').count()).toBe(5);
    await screenshot(page, 'five-networks-connected-ja');

    await page.getByTestId('nav-publish').click();
    await page.getByTestId('composer').waitFor();
    for (const network of NETWORKS) await page.locator(`[data-testid="account-chip"][data-network="${network}"]`).click();
    await page.getByTestId('composer-text').fill(TEXT);
    await page.getByTestId('composer-image-input').setInputFiles({ name: 'melonpan.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await page.getByTestId('composer-image-alt').fill(ALT);

    // Each network's own counter: its limit, its way of counting, and the post fits (Instagram only because of the image).
    const limits: Record<Five, number> = { facebook: 63206, instagram: 2200, threads: 500, linkedin: 3000, line: 5000 };
    for (const network of NETWORKS) {
      const counter = page.getByTestId(`counter-${network}`);
      expect(await counter.getAttribute('data-limit')).toBe(String(limits[network]));
      expect(await counter.getAttribute('data-fits')).toBe('true');
      expect(await page.getByTestId(`preview-text-${network}`).innerText()).toBe(TEXT);
      const preview = page.getByTestId(`preview-image-${network}`);
      expect(await preview.count()).toBe(1);
      expect(await preview.getAttribute('alt')).toBe(ALT);
    }
    expect(await page.getByTestId('counter-threads').getAttribute('data-length')).toBe(String([...TEXT].length));
    expect(await page.getByTestId('counter-line').getAttribute('data-length')).toBe(String(TEXT.length));
    expect(await page.getByTestId('composer-image-problems').count()).toBe(0);
    // The caps of the three capped networks, in Japanese: LINE's month, Instagram's and Threads' 24 hours.
    const quotas = page.getByTestId('sending-quota');
    await expect.poll(() => quotas.count(), { timeout: 30_000 }).toBe(3);
    const quotaText = (await quotas.allInnerTexts()).join('\n');
    expect(quotaText).toContain('ACME LINE：今月 200 通中 57 通を使用');
    expect(quotaText).toContain('ACME Threads：過去 24 時間に 250 件中 12 件投稿済み');
    expect(quotaText).toContain('ACME Instagram：過去 24 時間に API で 50 件中 3 件投稿済み');
    await screenshot(page, 'five-networks-composer-ja');

    await page.getByTestId('action-publish-now').dblclick();
    const targets = page.getByTestId('send-report-target');
    await expect
      .poll(async () => (await targets.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')))).join(','), { timeout: 120_000, interval: 500 })
      .toBe(Array(5).fill('published').join(','));
    // The lists below follow the report: the post leaves "scheduled" for "published".
    const postId = (await page.getByTestId('send-report').getAttribute('data-post-id'))!;
    await postCard(page, 'published', postId).waitFor({ state: 'attached', timeout: 30_000 });
    expect(await postCard(page, 'scheduled', postId).count()).toBe(0);
    await screenshot(page, 'five-networks-published-ja');

    // Exactly one publish per network, each with the post's text and the very bytes of the JPEG.
    expect(Object.fromEntries(NETWORKS.map((n) => [n, published[n].length]))).toEqual({ facebook: 1, instagram: 1, threads: 1, linkedin: 1, line: 1 });
    expect(graph.sent(`POST /v21.0/${PAGE_ID}/feed`)).toHaveLength(0);
    expect(facebookFields).toEqual([{ message: TEXT, alt: ALT }]);
    expect(images.facebook).toEqual([theJpeg]);

    const container = graph.sent(`POST /v21.0/${IG}/media`);
    expect(container).toHaveLength(1);
    expect([container[0]!.form!.get('caption'), container[0]!.form!.get('alt_text')]).toEqual([TEXT, ALT]);
    expect(container[0]!.form!.get('image_url')).toMatch(new RegExp(`^${app.baseUrl}/m/[A-Za-z0-9_-]{43}$`));
    expect(published.instagram[0]!.form!.get('creation_id')).toBe('ig-container-1');
    expect(images.instagram).toEqual([theJpeg]);

    const threadsContainer = threads.sent('POST /v1.0/me/threads');
    expect(threadsContainer).toHaveLength(1);
    expect(['media_type', 'text', 'alt_text'].map((k) => threadsContainer[0]!.query.get(k))).toEqual(['IMAGE', TEXT, ALT]);
    expect(published.threads[0]!.query.get('creation_id')).toBe('threads-container-1');
    expect(images.threads).toEqual([theJpeg]);

    expect(published.linkedin[0]!.json).toMatchObject({ commentary: TEXT, content: { media: { id: 'urn:li:image:C4E10AQ', altText: ALT } } });
    expect(images.linkedin.map((i) => i.bytes)).toEqual([theJpeg.bytes]);

    const lineMessages = published.line[0]!.json.messages;
    expect(lineMessages).toEqual([
      { type: 'text', text: TEXT },
      { type: 'image', originalContentUrl: expect.stringMatching(new RegExp(`^${app.baseUrl}/m/`)), previewImageUrl: lineMessages[1].originalContentUrl },
    ]);
    // Original and preview, both the JPEG; and the address is the one Instagram got (one copy per org and image).
    expect(images.line).toEqual([theJpeg, theJpeg]);
    expect(lineMessages[1].originalContentUrl).toBe(container[0]!.form!.get('image_url'));

    // A friend writes to the LINE account: LINE delivers it signed with the channel secret.
    const body = JSON.stringify({
      destination: LINE_BOT,
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: Date.now(),
          webhookEventId: '01JFIVEE2E0001',
          deliveryContext: { isRedelivery: false },
          source: { type: 'user', userId: CUSTOMER },
          replyToken: 'r',
          message: { id: '7771', type: 'text', quoteToken: 'q', text: QUESTION },
        },
      ],
    });
    const delivered = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': createHmac('sha256', LINE_SECRET).update(body).digest('base64') },
      body,
    });
    expect(delivered.status).toBe(200);

    // The inbox worker reads the account's chat messages; the conversation arrives without a column.
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('page-inbox').waitFor();
    const conversation = page.getByTestId('conversation-row').filter({ hasText: QUESTION });
    await conversation.waitFor({ timeout: 180_000 });
    expect(await conversation.innerText()).toContain('山田花子');
    await conversation.click();
    const message = page.getByTestId('conversation-pane').getByTestId('conversation-message').filter({ hasText: QUESTION });
    await message.waitFor();
    // Named by the sender's profile, not the opaque LINE user id; LINE chats take no like or repost.
    expect(await message.innerText()).toContain('山田花子');
    expect(await message.getByTestId('message-like').count()).toBe(0);
    expect(await message.getByTestId('message-repost').count()).toBe(0);
    await screenshot(page, 'five-networks-line-inbox-ja', { fullPage: false });

    // Nothing was sent twice meanwhile.
    expect(Object.fromEntries(NETWORKS.map((n) => [n, published[n].length]))).toEqual({ facebook: 1, instagram: 1, threads: 1, linkedin: 1, line: 1 });
    expect(app.problems).toEqual([]);
  });
});
