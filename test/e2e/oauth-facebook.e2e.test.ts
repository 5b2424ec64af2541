import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * "Sign in with Facebook" in a real Chromium: the Instagram connect dialog offers it because the
 * operator configured a Meta app; the browser leaves for www.facebook.com (answered by the
 * browser's request interception: consent given at once, back to Chorus's callback with a code),
 * Chorus trades the code with the Graph API (the local contract server, CHORUS_META_API_BASE),
 * and the channel settings show the Page and its Instagram account. Needs `npm run build` and a Chromium.
 */

const PAGE_ID = '104000000000001';
const IG = '17841400000000077';
const PAGE_TOKEN = 'EAApage'.padEnd(48, 'p');

let app: E2eSession;
let graph: ContractServer;

beforeAll(async () => {
  graph = await startContractServer({
    'GET /v21.0/oauth/access_token': (request) => ({
      json: {
        access_token: request.query.get('grant_type') === 'fb_exchange_token' ? 'EAAlong'.padEnd(40, 'l') : 'EAAshort'.padEnd(40, 's'),
        token_type: 'bearer',
      },
    }),
    'GET /v21.0/me/accounts': () => ({
      json: {
        data: [
          {
            id: PAGE_ID,
            name: 'ACME ベーカリー',
            access_token: PAGE_TOKEN,
            tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
            instagram_business_account: { id: IG, username: 'acme.bakery' },
          },
        ],
        paging: { cursors: { before: 'QVFIUmJlZm9yZQ', after: 'QVFIUmFmdGVy' } },
      },
    }),
    [`GET /v21.0/${PAGE_ID}`]: () => ({ json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' } }),
    [`GET /v21.0/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME Instagram' } }),
    'GET /v21.0/:id/:edge': () => ({ json: { data: [], paging: {} } }),
  });
  app = await startE2eSession({
    name: 'oauth-facebook',
    env: {
      CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
      CHORUS_META_APP_ID: '1234567890123',
      CHORUS_META_APP_SECRET: '0123456789abcdef0123456789abcdef',
      CHORUS_META_API_BASE: graph.url,
    },
  });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
});

describe('signing in with Facebook in Chromium', () => {
  it('connects the Page and its Instagram account with one click', { timeout: 120_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();

    let authorize: URL | null = null;
    await page.route('https://www.facebook.com/v21.0/dialog/oauth**', (route) => {
      authorize = new URL(route.request().url());
      const back = new URL(authorize.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code: 'fb-code', state: authorize.searchParams.get('state')! }).toString();
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    await page.getByTestId('connect-network-instagram').click();
    await page.getByTestId('credentials-form-instagram').waitFor();
    expect(await page.getByTestId('oauth-start-instagram').innerText()).toContain('Sign in with Facebook');
    await page.getByTestId('oauth-start-instagram').click();

    const done = page.getByTestId('oauth-connected');
    await done.waitFor();
    expect(await done.innerText()).toContain('ACME ベーカリー, ACME Instagram');
    await page.locator('[data-testid="channel-row"][data-network="facebook"][data-highlighted="true"]').waitFor();
    await page.locator('[data-testid="channel-row"][data-network="instagram"][data-highlighted="true"]').waitFor();
    await page.waitForURL((url) => url.search === '');
    await screenshot(page, 'oauth-facebook-page-and-instagram-connected');

    expect(Object.fromEntries(authorize!.searchParams)).toMatchObject({ client_id: '1234567890123', response_type: 'code' });
    expect(authorize!.searchParams.get('scope')).toContain('pages_manage_posts');
    expect(graph.sent('GET /v21.0/oauth/access_token')[0]!.query.get('code')).toBe('fb-code');
    expect(graph.sent(`GET /v21.0/${IG}`)[0]!.query.get('access_token')).toBe(PAGE_TOKEN);
    expect(app.problems).toEqual([]);
  });
});
