import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractServer, type ContractServer, type RecordedRequest } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * "Sign in with LinkedIn" and "Sign in with Threads" in a real Chromium: the connect dialog
 * offers the button because the operator configured both apps; the browser leaves for the
 * network, which consents at once and sends it back to Chorus's callback with a code, and the
 * channel settings name what was connected. LinkedIn's sign-in page is the local contract
 * server (CHORUS_LINKEDIN_AUTH_BASE); Threads' is threads.net, answered by the browser's
 * request interception. Needs `npm run build` and a Chromium.
 */

let app: E2eSession;
let remote: ContractServer;

/** The network's consent page, already agreed to: back to the redirect URI with a code and the state. */
const consentAt = (query: URLSearchParams, code: string) => {
  const back = new URL(query.get('redirect_uri')!);
  back.search = new URLSearchParams({ code, state: query.get('state')! }).toString();
  return back.toString();
};

beforeAll(async () => {
  remote = await startContractServer({
    'GET /oauth/v2/authorization': (request: RecordedRequest) => ({ status: 302, headers: { location: consentAt(request.query, 'li-code') } }),
    'POST /oauth/v2/accessToken': () => ({
      json: { access_token: 'AQV'.padEnd(40, 'l'), expires_in: 5_184_000, refresh_token: 'AQX', refresh_token_expires_in: 31_536_000 },
    }),
    'GET /rest/organizationAcls': () => ({
      json: {
        elements: ['2414183', '2414184'].map((id) => ({
          roleAssignee: 'urn:li:person:8675309',
          role: 'ADMINISTRATOR',
          state: 'APPROVED',
          organization: `urn:li:organization:${id}`,
        })),
      },
    }),
    'GET /rest/organizations/:id': (_request, params) => ({
      json: { id: Number(params.id), localizedName: `ACME ${params.id === '2414183' ? 'Shibuya' : 'Umeda'}`, vanityName: `acme-${params.id}` },
    }),
    'POST /oauth/access_token': () => ({ json: { access_token: 'THshort', user_id: 17841400000000001 } }),
    'GET /access_token': () => ({ json: { access_token: 'THlong'.padEnd(40, 't'), token_type: 'bearer', expires_in: 5_184_000 } }),
    'GET /v1.0/me': () => ({ json: { id: '17841400000000001', username: 'acme_bakery', name: 'ACME Threads' } }),
  });
  app = await startE2eSession({
    name: 'oauth-threads-linkedin',
    env: {
      CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
      CHORUS_THREADS_APP_ID: '990001',
      CHORUS_THREADS_APP_SECRET: 'threads-app-secret',
      CHORUS_THREADS_API_BASE: remote.url,
      CHORUS_LINKEDIN_CLIENT_ID: '86abc',
      CHORUS_LINKEDIN_CLIENT_SECRET: 'linkedin-secret',
      CHORUS_LINKEDIN_AUTH_BASE: remote.url,
      CHORUS_LINKEDIN_API_BASE: remote.url,
    },
  });
});

afterAll(async () => {
  await app?.close();
  await remote?.close();
});

describe('signing in with LinkedIn and Threads in Chromium', () => {
  it('connects both LinkedIn pages the member administers, then a Threads account, each with one click', { timeout: 120_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();

    await page.getByTestId('connect-network-linkedin').click();
    await page.getByTestId('credentials-form-linkedin').waitFor();
    await page.getByTestId('oauth-start-linkedin').click();
    const linkedinDone = page.getByTestId('oauth-connected');
    await linkedinDone.waitFor();
    expect(await linkedinDone.innerText()).toContain('ACME Shibuya, ACME Umeda');
    expect(await page.locator('[data-testid="channel-row"][data-network="linkedin"][data-highlighted="true"]').count()).toBe(2);
    await page.waitForURL((url) => url.search === '');
    await screenshot(page, 'oauth-linkedin-pages-connected');
    expect(Object.fromEntries(remote.sent('GET /oauth/v2/authorization')[0]!.query)).toMatchObject({
      client_id: '86abc',
      scope: 'w_organization_social r_organization_social rw_organization_admin',
    });

    await page.route('https://threads.net/oauth/authorize**', (route) =>
      route.fulfill({ status: 302, headers: { location: consentAt(new URL(route.request().url()).searchParams, 'th-code') } }),
    );
    await page.getByTestId('connect-network-threads').click();
    await page.getByTestId('oauth-start-threads').click();
    await page.locator('[data-testid="channel-row"][data-network="threads"][data-highlighted="true"]').waitFor();
    expect(await page.getByTestId('oauth-connected').innerText()).toContain('ACME Threads (');
    expect(remote.sent('POST /oauth/access_token')[0]!.form!.get('code')).toBe('th-code');
    expect(app.problems).toEqual([]);
  });
});
